// In-memory block index entries: one per known block with a stored body, linked to their parents.
import { toHex } from '../core/bytes.js';
import type { BlockHeader } from '../core/header.js';
import type { BlockStatus } from '../store/codec.js';

export interface ChainEntry {
  readonly hash: Uint8Array;
  readonly hashHex: string;
  readonly header: BlockHeader;
  readonly height: number;
  /** Sum of the work of this block and all its ancestors. */
  readonly chainWork: bigint;
  status: BlockStatus;
  readonly parent: ChainEntry | undefined;
  /** Arrival order, to keep the first-seen block on work ties. */
  readonly sequence: number;
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
  return { hash, hashHex: toHex(hash), header, height, chainWork, status, parent, sequence };
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
