// What the block download is given and gives back, and its limits (see block-download.ts).
import type { Clock } from './clock.js';
import type { StallTimeout } from './stall-timeout.js';
import type { SyncSource, SyncStop } from './sync.js';
import type { ChainAccess, SubmitResult } from './types.js';

export const DOWNLOAD_LIMITS = {
  /** Blocks ahead of the last one handed to the chain that may be asked for. */
  windowBlocks: 1024,
  /** Requests in flight per peer (a round trip each: three keep a peer busy). */
  requestsPerPeer: 3,
  /** Most blocks per request (fewer when blocks are large). */
  maxBatch: 128,
  /** Blocks in the first request, before their size is known. */
  firstBatch: 16,
  /** Bytes a request aims at once the average block size is known. */
  batchBytes: 1_000_000,
  /** At most what the peer delivers in this many seconds, once its rate is measured (a slow link). */
  batchSeconds: 1,
  /** Downloaded blocks waiting for an earlier one: no new request beyond this (but the window's first). */
  maxHeldBytes: 32_000_000,
  /** Most blocks handed to the chain at once (several peers' batches, so that its pipeline stays full). */
  maxSubmitBlocks: 256,
  /** Peers downloading at once. */
  maxPeers: 8,
  /** Requests in flight in all (each answer is at most 8 MB and a block; about 1 MB once sizes are known). */
  maxRequests: 12,
} as const;

export interface DownloadTarget {
  /** Hashes in chain order; the first one's parent is a block we have. */
  hashes: readonly string[];
  /** Chain work at the last one. */
  work: bigint;
}

/** Why a peer leaves the download, and what the caller should do about it. */
export interface PeerFault extends SyncStop {
  /** It held up the window past the stall timeout: disconnect it. */
  stalled?: boolean;
  /** The chain's answer to a block it sent, when that is the fault (judged as any block: judge.ts). */
  result?: SubmitResult;
}

export interface DownloadOptions {
  chain: ChainAccess;
  clock: Clock;
  stall: StallTimeout;
  /** Peers that may serve the current target, best first (asked at every scheduling pass). */
  peers: (target: DownloadTarget) => string[];
  sourceOf: (peer: string) => SyncSource | undefined;
  /** Peers asked only when no other can serve (recent stallers). */
  avoid?: (peer: string) => boolean;
  /** A peer left the download for `fault` (the caller penalizes or disconnects). */
  onFault: (peer: string, fault: PeerFault) => void;
  /** After every submitted run, with the blocks accepted so far. */
  onProgress?: (accepted: number) => void;
  /** Most blocks per request; default DOWNLOAD_LIMITS.maxBatch. */
  batchSize?: number;
  windowBlocks?: number;
  requestsPerPeer?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  /** Blocks the chain accepted (side blocks included). */
  blocks: number;
  /** Why the download ended before the end of its target, if it did. */
  reason?: string;
}
