// When and with whom to sync: one round at a time, queued when a peer announces more work than ours
// or sends a block whose parent we lack, or on demand (syncWith).
import type { Connection, Stream } from '@libp2p/interface';
import { errorText, isMalformed, type NetContext } from './context.js';
import type { PeerStatuses } from './peer-status.js';
import { LIMITS } from './protocol.js';
import { syncFromPeer } from './sync.js';
import { SyncSession, serveSync, type UploadBudget } from './sync-protocol.js';
import { TokenBuckets } from './token-bucket.js';
import type { PeerStatus, SyncProgress, SyncStatus } from './types.js';

const PROGRESS_LOG_MS = 3000;

/** A text progress bar for log lines: `[########------------] 40.0%`. */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const done = Math.round(f * width);
  return `[${'#'.repeat(done)}${'-'.repeat(width - done)}] ${(f * 100).toFixed(1)}%`;
}

/** The sync server's upload budget per peer key (defaults in protocol.ts LIMITS). */
export interface UploadSettings {
  burstBytes: number;
  bytesPerSecond: number;
}

export class SyncScheduler {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<string>();
  /** Tip each peer announced when we last auto-synced from it: do not retry the same claim. */
  private readonly autoSyncedTip = new Map<string, string>();
  private syncingWith?: string;
  private lastProgressLog = 0;
  /** Bytes the server may still send each peer key. */
  private readonly upload: TokenBuckets;
  /** Requests refused for the budget that a peer key may make for free. */
  private readonly refusals: TokenBuckets;

  constructor(
    private readonly ctx: NetContext,
    private readonly statuses: PeerStatuses,
    private readonly onProgress: (progress: SyncProgress) => void,
    private readonly batchSize?: number,
    upload: UploadSettings = {
      burstBytes: LIMITS.uploadBurstBytes,
      bytesPerSecond: LIMITS.uploadBytesPerSecond,
    },
  ) {
    const now = () => ctx.clock.now();
    this.upload = new TokenBuckets({ burst: upload.burstBytes, perSecond: upload.bytesPerSecond }, now);
    this.refusals = new TokenBuckets(
      { burst: LIMITS.uploadRefusalsPerMinute, perSecond: LIMITS.uploadRefusalsPerMinute / 60 },
      now,
    );
  }

  /** The upload budget of a peer's key: a request is answered while the key has bytes left. */
  private budgetOf(id: string): UploadBudget {
    const key = this.ctx.peerKey(id);
    return {
      admit: () => {
        if (this.upload.level(key) > 0) return true;
        this.ctx.log.debug({ peer: id, key }, 'sync request refused: upload budget spent');
        // Asking again at once, again and again, is a flood; a client that waits a little is not charged.
        if (!this.refusals.take(key))
          this.ctx.judge(id, { kind: 'flood', detail: 'sync requests beyond the upload budget' });
        return false;
      },
      spend: (bytes) => this.upload.charge(key, bytes),
    };
  }

  /** Answers a peer's sync requests, within its upload budget. */
  async serve(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    try {
      await serveSync(stream, this.ctx.chain, this.ctx.stopSignal(), this.budgetOf(id));
    } catch (err) {
      if (isMalformed(err)) this.ctx.judge(id, { kind: 'failure', err, detail: 'sync request' });
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'sync request failed');
    }
  }

  /** A peer's status arrived: sync if it claims more work than ours (once per claimed tip). */
  onStatus(id: string, status: PeerStatus): void {
    if (status.chainWork > this.ctx.chain.tip().chainWork && this.autoSyncedTip.get(id) !== status.tipHash) {
      this.request(id, status.tipHash);
    }
  }

  forget(id: string): void {
    this.pending.delete(id);
    this.autoSyncedTip.delete(id);
  }

  /** Resolves when the rounds queued so far are over. */
  idle(): Promise<void> {
    return this.queue.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Queues an automatic sync with `id` unless one is already queued. */
  request(id: string, claimedTip?: string): void {
    if (this.pending.has(id) || !this.ctx.host()) return;
    if (claimedTip !== undefined) this.autoSyncedTip.set(id, claimedTip);
    this.pending.add(id);
    this.exclusive(() => this.syncOnce(id)).catch((err) =>
      this.ctx.log.warn({ peer: id, err: errorText(err) }, 'sync failed'),
    );
  }

  /** Runs rounds one at a time: two rounds at once would only fetch the same blocks twice. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** One round with one peer, or with every peer (most work first); resolves with blocks accepted. */
  async syncWith(peerId?: string): Promise<{ blocks: number }> {
    if (!this.ctx.host()) throw new Error('P2PNetwork is not started');
    const targets =
      peerId !== undefined
        ? [peerId]
        : this.statuses
            .entries()
            .sort((a, b) => (b[1].chainWork > a[1].chainWork ? 1 : -1))
            .map(([id]) => id);
    let blocks = 0;
    for (const id of targets) blocks += await this.exclusive(() => this.syncOnce(id));
    return { blocks };
  }

  private async syncOnce(id: string): Promise<number> {
    const { ctx } = this;
    this.pending.delete(id);
    const connection = ctx.connectionOf(id);
    if (!ctx.host() || !connection || ctx.isRefused(id)) return 0;
    this.syncingWith = id;
    const started = ctx.clock.now();
    ctx.log.debug({ peer: id, height: ctx.chain.tip().height }, 'sync round started');
    const session = new SyncSession(connection, ctx.ids.sync, ctx.stopSignal());
    try {
      const result = await syncFromPeer({
        chain: ctx.chain,
        source: session,
        batchSize: this.batchSize,
        signal: ctx.stopSignal(),
        onProgress: (blocks) => this.reportProgress(id, blocks),
      });
      ctx.judge(id, {
        kind: 'syncRound',
        offence: result.offence,
        malleated: result.malleated,
        reason: result.reason ?? 'sync',
      });
      const level = result.blocks > 0 ? 'info' : 'debug';
      ctx.log[level](
        {
          peer: id,
          blocks: result.blocks,
          height: ctx.chain.tip().height,
          ms: ctx.clock.now() - started,
          stopped: result.reason,
        },
        'sync round finished',
      );
      return result.blocks;
    } finally {
      this.syncingWith = undefined;
      await session.close();
    }
  }

  private reportProgress(peer: string, blocks: number): void {
    const status: SyncProgress = { ...this.status(), peer, blocks };
    this.onProgress(status);
    const now = this.ctx.clock.now();
    if (now - this.lastProgressLog >= PROGRESS_LOG_MS) {
      this.lastProgressLog = now;
      this.ctx.log.info(
        {
          peer,
          height: status.ourHeight,
          peerHeight: status.peerHeight,
          percent: Math.floor(status.progress * 1000) / 10,
        },
        `syncing ${progressBar(status.progress)} ${status.ourHeight}/${status.peerHeight}`,
      );
    }
  }

  status(): SyncStatus {
    const ourHeight = this.ctx.chain.tip().height;
    let peerHeight = ourHeight;
    for (const [, status] of this.statuses.entries()) peerHeight = Math.max(peerHeight, status.height);
    const progress = peerHeight <= 0 ? 1 : Math.min(1, ourHeight / peerHeight);
    return { syncing: this.syncingWith !== undefined, peerHeight, ourHeight, progress };
  }
}
