// In-memory block index entries: one per known block with a stored body, linked to their parents.
// A node keeps every entry in memory, so each is kept small: the hash and the 80 header bytes share
// one slab of memory, and their views and the decoded header are built only when asked for.
import { toHex } from '../core/bytes.js';
import { type BlockHeader, decodeHeader, encodeHeader } from '../core/header.js';
import type { BlockStatus, IndexRecord } from '../store/codec.js';

export interface ChainEntry {
  readonly hash: Uint8Array;
  readonly hashHex: string;
  readonly header: BlockHeader;
  /** The 80 serialized header bytes (a view: do not modify). */
  readonly headerBytes: Uint8Array;
  /** The header's timestamp and bits, kept as numbers for the hot paths (median time, retarget). */
  readonly time: number;
  readonly bits: number;
  readonly height: number;
  /** Sum of the work of this block and all its ancestors. */
  readonly chainWork: bigint;
  status: BlockStatus;
  readonly parent: ChainEntry | undefined;
  /** Arrival order, to keep the first-seen block on work ties. */
  readonly sequence: number;
}

const SLAB_SIZE = 112 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/** 112 bytes carved from a shared slab: one ArrayBuffer serves a thousand entries. */
function carve(): { slab: Uint8Array; at: number } {
  if (slabUsed + 112 > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += 112;
  return { slab, at };
}

class IndexEntry implements ChainEntry, UnlinkedEntry {
  readonly time: number;
  readonly bits: number;

  /**
   * `slab` holds the hash then the 80 header bytes at `at`; the views and the hex hash are made when
   * asked for. `parent` and `sequence` are set once, when a start-up entry is linked.
   */
  constructor(
    private readonly slab: Uint8Array,
    private readonly at: number,
    readonly height: number,
    readonly chainWork: bigint,
    public status: BlockStatus,
    public parent: ChainEntry | undefined,
    public sequence: number,
  ) {
    const view = new DataView(slab.buffer, slab.byteOffset + at + 32 + 68, 8);
    this.time = view.getUint32(0, true);
    this.bits = view.getUint32(4, true);
  }

  get hash(): Uint8Array {
    return this.slab.subarray(this.at, this.at + 32);
  }

  /** Not kept: a 64-character string per block would be a third of the entry. */
  get hashHex(): string {
    return toHex(this.hash);
  }

  get headerBytes(): Uint8Array {
    return this.slab.subarray(this.at + 32, this.at + 112);
  }

  get header(): BlockHeader {
    return decodeHeader(this.headerBytes);
  }

  link(parent: ChainEntry | undefined, sequence: number): ChainEntry {
    this.parent = parent;
    this.sequence = sequence;
    return this;
  }
}

export function makeEntry(
  hash: Uint8Array,
  header: BlockHeader,
  height: number,
  chainWork: bigint,
  status: BlockStatus,
  parent: ChainEntry | undefined,
  sequence: number,
): ChainEntry {
  return entryFromBytes(hash, encodeHeader(header), height, chainWork, status, parent, sequence);
}

/** An entry from the serialized header (as stored in the index record: no decoding). */
export function entryFromBytes(
  hash: Uint8Array,
  headerBytes: Uint8Array,
  height: number,
  chainWork: bigint,
  status: BlockStatus,
  parent: ChainEntry | undefined,
  sequence: number,
): ChainEntry {
  const { slab: into, at } = carve();
  into.set(hash, at);
  into.set(headerBytes.subarray(0, 80), at + 32);
  return new IndexEntry(into, at, height, chainWork, status, parent, sequence);
}

/** A stored entry read before its parent (start-up reads records in key order, not height order). */
export interface UnlinkedEntry {
  readonly height: number;
  readonly headerBytes: Uint8Array;
  /** The entry with its parent and arrival number; call once. */
  link(parent: ChainEntry | undefined, sequence: number): ChainEntry;
}

export function unlinkedEntry(
  hash: Uint8Array,
  headerBytes: Uint8Array,
  height: number,
  chainWork: bigint,
  status: BlockStatus,
): UnlinkedEntry {
  // The entry itself: a wrapper per record would outlive the read and be promoted with it.
  return entryFromBytes(hash, headerBytes, height, chainWork, status, undefined, -1) as IndexEntry;
}

/** The last common ancestor of two entries. */
export function findFork(a: ChainEntry, b: ChainEntry): ChainEntry {
  let x: ChainEntry | undefined = a;
  let y: ChainEntry | undefined = b;
  while (x && y && x !== y) {
    if (x.height > y.height) x = x.parent;
    else if (y.height > x.height) y = y.parent;
    else {
      x = x.parent;
      y = y.parent;
    }
  }
  if (!x || !y) throw new Error('entries do not share a genesis block');
  return x;
}

/** The stored index record of an entry (with another status when it is about to change). */
export function indexRecord(entry: ChainEntry, status: BlockStatus = entry.status): IndexRecord {
  return { header: entry.header, height: entry.height, chainWork: entry.chainWork, status };
}
