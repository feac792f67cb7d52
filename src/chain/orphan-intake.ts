// Taking in a block whose parent is unknown. A 1 MB block decoded in full makes megabytes of garbage,
// and an orphan's body cannot be judged before its parent comes anyway, so a serialized one is read
// only as far as its header (proof of work and bits within the network's limit) and its coinbase
// (the height it claims). Its body is checked in full when the parent arrives.
import { ByteReader, toHex } from '../core/bytes.js';
import { type BlockHeader, readHeader } from '../core/header.js';
import type { NetworkParams } from '../core/params.js';
import { decodeCoinbaseData, isCoinbase, readTx, type Tx } from '../core/tx.js';
import { checkHeaderSanity } from '../core/validation.js';
import type { OrphanPool } from './orphans.js';

/** What an orphan shows of itself. */
export interface OrphanHead {
  readonly hash: string;
  readonly previousHash: string;
  /** The height its coinbase claims. */
  readonly height: number;
}

/**
 * The head of a serialized block: its header sane (proof of work at bits within the limit, time not
 * too far ahead) and its first transaction a coinbase with a height; else undefined.
 */
export function readOrphanHead(
  bytes: Uint8Array,
  params: NetworkParams,
  now: number,
): OrphanHead | undefined {
  let header: BlockHeader;
  let coinbase: Tx;
  try {
    const r = new ByteReader(bytes);
    header = readHeader(r);
    if (r.count(1) === 0) return undefined;
    coinbase = readTx(r);
  } catch {
    return undefined;
  }
  const sane = checkHeaderSanity(header, params, now);
  if (!sane.ok || !isCoinbase(coinbase)) return undefined;
  const height = claimedHeight(coinbase);
  if (height === undefined) return undefined;
  return { hash: toHex(sane.value), previousHash: toHex(header.prevHash), height };
}

/** The height a coinbase claims (undefined if its data is too short to say). */
export function claimedHeight(coinbase: Tx): number | undefined {
  try {
    return decodeCoinbaseData(coinbase.data).height;
  } catch {
    return undefined;
  }
}

/**
 * Holds an orphan for `peer`, unless it claims a height too far above the tip (a real chain that far
 * ahead is synced by headers, not held block by block). Returns whether it is held.
 */
export function holdOrphan(
  pool: OrphanPool,
  head: OrphanHead,
  bytes: Uint8Array,
  peer: string,
  tipHeight: number,
): boolean {
  if (head.height > tipHeight + pool.limits.maxHeightAhead) return false;
  // A view into a larger message buffer would keep all of it alive: hold a copy of exactly the block.
  const own = bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return pool.add({ ...head, bytes: own, peer });
}
