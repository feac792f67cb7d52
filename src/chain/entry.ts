// In-memory block index entries: one per known block with a stored body, linked to their parents.
// A node keeps every entry in memory, so each is kept small: the hash and the 80 header bytes share
// one slab of memory, and the decoded header is built only when asked for.
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
function carve(): Uint8Array {
  if (slabUsed + 112 > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + 112);
  slabUsed += 112;
  return out;
}

class IndexEntry implements ChainEntry {
  readonly hash: Uint8Array;
  readonly headerBytes: Uint8Array;
  readonly hashHex: string;
  readonly time: number;
  readonly bits: number;

  constructor(
    hash: Uint8Array,
    header: BlockHeader,
    readonly height: number,
    readonly chainWork: bigint,
    public status: BlockStatus,
    readonly parent: ChainEntry | undefined,
    readonly sequence: number,
  ) {
    const bytes = carve();
    bytes.set(hash, 0);
    bytes.set(encodeHeader(header), 32);
    this.hash = bytes.subarray(0, 32);
    this.headerBytes = bytes.subarray(32, 112);
    this.hashHex = toHex(hash);
    this.time = header.time;
    this.bits = header.bits;
  }

  get header(): BlockHeader {
    return decodeHeader(this.headerBytes);
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
  return new IndexEntry(hash, header, height, chainWork, status, parent, sequence);
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
