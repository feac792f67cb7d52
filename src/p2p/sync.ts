// Sync from one peer, headers first: fetch and check its headers (header-sync.ts), then download
// the bodies of a chain with more work than ours (block-download.ts), and repeat while our tip
// moves. The network's scheduler (sync-scheduler.ts) runs the same parts with several peers; this
// one-peer round is what they do when a single source is given.
import { BlockDownload } from './block-download.js';
import { type Clock, systemClock } from './clock.js';
import type { PeerFault } from './download-types.js';
import { fetchHeaderChain } from './header-sync.js';
import { judge } from './judge.js';
import type { Offence } from './scoring.js';
import { StallTimeout } from './stall-timeout.js';
import type { ChainAccess } from './types.js';

/** The two requests of the sync protocol, as seen by the downloader. */
export interface SyncSource {
  readonly peer: string;
  getHeaders(locator: string[]): Promise<Uint8Array[]>;
  /** Blocks for a prefix of `hashes` (possibly shorter when the peer caps its answer). */
  getBlocks(hashes: string[]): Promise<Uint8Array[]>;
}

/** Why syncing with a peer stopped, and what, if anything, to hold against it. */
export interface SyncStop {
  reason: string;
  offence?: Offence;
  /** The peer sent a block the chain found corrupted in transit (noted, not an offence). */
  malleated?: boolean;
}

/** Maps a failed request to what it says about the peer (judge.ts's one map of failures). */
export function offenceOf(err: unknown): SyncStop {
  const reason = err instanceof Error ? err.message : String(err);
  const { offence } = judge({ kind: 'failure', err, detail: 'sync request' });
  return offence ? { reason, offence } : { reason };
}

export interface SyncOptions {
  chain: ChainAccess;
  source: SyncSource;
  /** The chain work the peer claimed in its status, if known. */
  claimedWork?: bigint;
  /** Most blocks per getBlocks request (fewer when blocks are large). */
  batchSize?: number;
  /** Requests kept in flight. */
  pipelineDepth?: number;
  /** Called after every submitted run with the number of blocks accepted so far. */
  onProgress?: (accepted: number) => void;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface SyncResult {
  /** Blocks the chain accepted. */
  blocks: number;
  /** Why the round ended early, if it did. */
  reason?: string;
  /** Misbehaviour to hold against the peer, if any. */
  offence?: Offence;
  /** The peer sent a block the chain found corrupted in transit. */
  malleated?: boolean;
}

/** One sync round with one peer: repeats until the peer has nothing that moves our tip. */
export async function syncFromPeer(opts: SyncOptions): Promise<SyncResult> {
  const { chain, source, signal } = opts;
  let blocks = 0;
  let stop: SyncStop | undefined;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const tipBefore = chain.tip().hash;
      const headers = await fetchHeaderChain({ chain, source, claimedWork: opts.claimedWork, signal });
      if (headers.stop?.offence) stop = headers.stop;
      if (!headers.target) break;
      let fault: PeerFault | undefined;
      const base = blocks;
      const download = new BlockDownload(
        {
          chain,
          clock: opts.clock ?? systemClock,
          stall: new StallTimeout(),
          peers: () => [source.peer],
          sourceOf: () => source,
          onFault: (_peer, f) => {
            fault ??= f;
          },
          onProgress: (n) => opts.onProgress?.(base + n),
          batchSize: opts.batchSize,
          requestsPerPeer: opts.pipelineDepth ?? 3,
          signal,
        },
        headers.target,
      );
      const result = await download.start();
      blocks += result.blocks;
      if (fault ?? result.reason) {
        stop = fault ?? { reason: result.reason! };
        break;
      }
      // Side blocks are not progress: a round that did not move our tip is the last.
      const tip = chain.tip().hash;
      if (tip === tipBefore) break;
      // At the peer's last header, and it had nothing after it: no need to ask again.
      if (headers.complete && tip === headers.target.hashes.at(-1)) break;
    }
  } catch (err) {
    stop = offenceOf(err);
  }
  return stop === undefined
    ? { blocks }
    : { blocks, reason: stop.reason, offence: stop.offence, malleated: stop.malleated };
}
