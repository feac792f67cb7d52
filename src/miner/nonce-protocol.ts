// Messages and shared memory between NonceSearcher (main thread) and its nonce workers.
//
// Each search job gets its own SharedArrayBuffer. Workers claim chunks of the job's nonce range
// by incrementing NEXT_CHUNK, so fast and slow workers share the range without the main thread in
// the loop, and a late worker of an abandoned job can only touch that job's memory.
// FIRST_HIT holds the lowest chunk index in which a hit was found: workers skip chunks after it but
// finish the ones before it, so the search returns the lowest matching nonce, as a serial scan would.

import { HEADER_BYTES, NONCE_SPACE, TARGET_BYTES } from './kernels/scan-args.js';

/** Int32 slots of the control block. */
export const CONTROL = {
  /** Set to 1 by the main thread to stop the job (abort). */
  STOP: 0,
  /** Next unclaimed chunk index. */
  NEXT_CHUNK: 1,
  /** Lowest chunk index with a hit so far (NO_HIT when none). */
  FIRST_HIT: 2,
} as const;
export const CONTROL_SLOTS = 4;
/** Byte offset of the BigInt64 counter of hashes done in this job. */
export const HASHES_OFFSET = CONTROL_SLOTS * 4;
export const JOB_MEMORY_BYTES = HASHES_OFFSET + 8;
export const NO_HIT = 0x7fffffff;

export interface WorkerInit {
  kernel: 'native' | 'js';
}

export interface JobMessage {
  type: 'job';
  id: number;
  header: Uint8Array;
  target: Uint8Array;
  /** First nonce of the job's range and how many nonces it covers. */
  start: number;
  count: number;
  chunkSize: number;
  memory: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'ready'; kernel: 'native' | 'js' }
  | { type: 'done'; id: number; hit: { chunk: number; nonce: number } | null }
  | { type: 'failed'; message: string };

/** Bounds of the worker thread count (the API's miner/start accepts the same; the browser's workers too). */
export const MIN_THREADS = 1;
export const MAX_THREADS = 256;

export function checkThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < MIN_THREADS || threads > MAX_THREADS)
    throw new RangeError(`threads must be an integer in ${MIN_THREADS}..${MAX_THREADS}`);
  return threads;
}

/** Checks a search's arguments (80-byte header, 32-byte target, a range within the 2^32 nonces) and
 * returns its range; both searchers (worker threads, Web Workers) take the same. */
export function checkSearch(
  header: Uint8Array,
  target: Uint8Array,
  range: { start: number; count: number } = { start: 0, count: NONCE_SPACE },
): { start: number; count: number } {
  if (!(header instanceof Uint8Array) || header.length !== HEADER_BYTES)
    throw new TypeError('header must be 80 bytes');
  if (!(target instanceof Uint8Array) || target.length !== TARGET_BYTES)
    throw new TypeError('target must be 32 bytes');
  const { start, count } = range;
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(count) ||
    start < 0 ||
    count < 0 ||
    start + count > NONCE_SPACE
  )
    throw new RangeError('range must lie within 0..0xffffffff');
  return { start, count };
}
