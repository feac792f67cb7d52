// When and with whom to sync. A peer that announces more work than ours, sends a block whose parent
// we lack, or is named by syncWith, gets a sync loop: its headers are fetched and checked
// (header-sync.ts), and a chain with more work than ours is downloaded. There is one download at a
// time (block-download.ts), from every peer that may serve it, so a slow or lying peer's loop holds
// up nobody else's: the node catches up at the speed of its best peer.
import type { Connection, Stream } from '@libp2p/interface';
import { BlockDownload } from './block-download.js';
import { errorText, isMalformed, type NetContext } from './context.js';
import type { DownloadTarget, PeerFault } from './download-types.js';
import {
  fetchHeaderChain,
  fetchMoreHeaders,
  HEADER_LIMITS,
  type HeaderRun,
  type HeaderSyncResult,
} from './header-sync.js';
import type { PeerStatuses } from './peer-status.js';
import { LIMITS } from './protocol.js';
import { RecentStallers, StallTimeout } from './stall-timeout.js';
import { offenceOf } from './sync.js';
import { SyncSession, serveSync, type UploadBudget } from './sync-protocol.js';
import { TokenBuckets } from './token-bucket.js';
import type { PeerStatus, SyncProgress, SyncStatus } from './types.js';

const PROGRESS_LOG_MS = 3000;
/** Rounds of one sync loop (each must move our tip to be followed by another). */
const MAX_ROUNDS = 100_000;

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
  /** The sync loop running (or queued) with each peer. */
  private readonly loops = new Map<string, Promise<number>>();
  private readonly pending = new Set<string>();
  /** Tip each peer announced when we last auto-synced from it: do not retry the same claim. */
  private readonly autoSyncedTip = new Map<string, string>();
  private download?: BlockDownload;
  /** Peers whose headers gave the download's target (they may serve it whatever their status says). */
  private senders = new Set<string>();
  private readonly sessions = new Map<string, SyncSession>();
  private readonly stall = new StallTimeout();
  /** Peers dropped as stallers lately: no part of a download for them while others can serve. */
  private readonly stallers: RecentStallers;
  private lastProgressLog = 0;
  /** Loops waiting for the download's next run to reach the chain (extendWhileLeading). */
  private readonly progressWaiters = new Set<() => void>();
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
    this.stallers = new RecentStallers(now);
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
    if (this.ctx.isFiltered?.(id)) {
      stream.abort(new Error('peer filtered'));
      return;
    }
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
    this.download?.wake(); // it may serve the running download now
  }

  forget(id: string): void {
    this.pending.delete(id);
    this.autoSyncedTip.delete(id);
    this.download?.dropPeer(id);
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    void session?.close();
  }

  /** Resolves when the sync loops and the download started so far are over. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100 && (this.loops.size > 0 || this.download); i++) {
      await Promise.allSettled([...this.loops.values(), this.download?.done]);
    }
  }

  /** Starts an automatic sync loop with `id` unless one is already waiting to start. */
  request(id: string, claimedTip?: string): void {
    if (this.pending.has(id) || !this.ctx.host() || this.ctx.isFiltered?.(id)) return;
    if (claimedTip !== undefined) this.autoSyncedTip.set(id, claimedTip);
    this.pending.add(id);
    this.loopWith(id).catch((err) => this.ctx.log.warn({ peer: id, err: errorText(err) }, 'sync failed'));
  }

  /** One loop per peer at a time: a second one starts when the first is over. */
  private loopWith(id: string): Promise<number> {
    const previous = this.loops.get(id) ?? Promise.resolve(0);
    const run = previous.catch(() => 0).then(() => this.syncLoop(id));
    this.loops.set(id, run);
    const clear = () => {
      if (this.loops.get(id) === run) this.loops.delete(id);
    };
    run.then(clear, clear);
    return run;
  }

  /** Syncs with one peer, or with every peer (most work first); resolves with blocks accepted. */
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
    for (const id of targets) blocks += await this.loopWith(id);
    return { blocks };
  }

  /** Headers from `id`, then the download they call for; again while our tip moves. */
  private async syncLoop(id: string): Promise<number> {
    const { ctx } = this;
    this.pending.delete(id);
    const started = ctx.clock.now();
    let blocks = 0;
    let stopped: string | undefined;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const connection = ctx.connectionOf(id);
      if (!ctx.host() || !connection || ctx.isRefused(id) || ctx.isFiltered?.(id)) break;
      const tipBefore = ctx.chain.tip().hash;
      const first = await this.headersFrom(id, connection);
      if (first.stop) stopped = first.stop.reason;
      if (!first.target) break;
      const { accepted, headers } = await this.downloadTowards(id, first, first.target);
      blocks += accepted;
      if (headers.stop) stopped = headers.stop.reason;
      // Side blocks are not progress: a round that did not move our tip is the last.
      const tip = ctx.chain.tip().hash;
      if (tip === tipBefore) break;
      // At the peer's last header, and it had nothing after it: no need to ask again.
      if (headers.complete && tip === headers.target?.hashes.at(-1)) break;
    }
    const level = blocks > 0 ? 'info' : 'debug';
    ctx.log[level](
      { peer: id, blocks, height: ctx.chain.tip().height, ms: ctx.clock.now() - started, stopped },
      'sync round finished',
    );
    return blocks;
  }

  /** Fetches and checks the peer's headers (after `run`, if given); holds what they show against it. */
  private async headersFrom(id: string, connection: Connection, run?: HeaderRun): Promise<HeaderSyncResult> {
    const { ctx } = this;
    const session = new SyncSession(connection, ctx.ids.sync, ctx.stopSignal());
    let result: HeaderSyncResult;
    try {
      const opts = {
        chain: ctx.chain,
        source: session,
        claimedWork: this.statuses.get(id)?.chainWork,
        signal: ctx.stopSignal(),
      };
      result = await (run ? fetchMoreHeaders(opts, run) : fetchHeaderChain(opts));
    } catch (err) {
      result = { complete: false, stop: offenceOf(err) };
    } finally {
      await session.close();
    }
    const { stop } = result;
    if (stop) ctx.judge(id, { kind: 'syncRound', offence: stop.offence, reason: `headers: ${stop.reason}` });
    if (stop) ctx.log.debug({ peer: id, reason: stop.reason }, 'headers not downloaded further');
    return result;
  }

  /**
   * Joins the running download with the headers' target (or starts one). While the download aims at
   * this peer's headers, the headers after them are fetched before it drains and added to it. Resolves
   * with the blocks it accepted meanwhile and the last headers got.
   */
  private async downloadTowards(
    id: string,
    first: HeaderSyncResult,
    target: DownloadTarget,
  ): Promise<{ accepted: number; headers: HeaderSyncResult }> {
    let download = this.download;
    if (!download) {
      download = this.startDownload(id, target);
    } else if (!this.offerTo(download, id, target)) {
      if (download.currentTarget.hashes.at(-1) === target.hashes.at(-1)) {
        this.senders.add(id);
        download.wake();
      }
    }
    const before = download.acceptedSoFar;
    const headers = await this.extendWhileLeading(id, download, first);
    const result = await download.done;
    return { accepted: result.blocks - before, headers };
  }

  /** Adds this peer's next headers to the download while it aims at this peer's last ones. */
  private async extendWhileLeading(
    id: string,
    download: BlockDownload,
    first: HeaderSyncResult,
  ): Promise<HeaderSyncResult> {
    let headers = first;
    for (let i = 0; i < MAX_ROUNDS; i++) {
      if (headers.complete || !headers.run || download.currentTarget !== headers.target) break;
      // The peer's connection now (it may have reconnected since the round began).
      const connection = this.ctx.connectionOf(id);
      if (this.download !== download || !connection) break;
      if (download.remaining > HEADER_LIMITS.lookahead) {
        await this.progressOf(download);
        continue;
      }
      const next = await this.headersFrom(id, connection, headers.run);
      // Nothing after them: the download's target is the peer's tip (and what it claimed is checked).
      if (!next.target && next.complete) return { ...headers, complete: true, stop: next.stop };
      if (!next.target || !this.offerTo(download, id, next.target)) return next;
      headers = next;
    }
    return headers;
  }

  /** Offers `target` from `id` to the download; who may serve it follows what the download did. */
  private offerTo(download: BlockDownload, id: string, target: DownloadTarget): boolean {
    const taken = download.offer(target);
    // Another chain: its blocks are with the peer that sent it. A continuation: with the same peers.
    if (taken === 'switched') this.senders = new Set([id]);
    else if (taken === 'extended') this.senders.add(id);
    return taken !== false;
  }

  private wakeProgressWaiters(): void {
    const waiters = [...this.progressWaiters];
    this.progressWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Resolves when the download hands its next run to the chain, or ends. */
  private progressOf(download: BlockDownload): Promise<unknown> {
    return Promise.race([download.done, new Promise<void>((resolve) => this.progressWaiters.add(resolve))]);
  }

  private startDownload(id: string, target: DownloadTarget): BlockDownload {
    const { ctx } = this;
    this.senders = new Set([id]);
    const started = ctx.clock.now();
    const download = new BlockDownload(
      {
        chain: ctx.chain,
        clock: ctx.clock,
        stall: this.stall,
        peers: (t) => this.downloadPeers(t),
        sourceOf: (peer) => this.sessionFor(peer),
        // A staller comes back soon (a bootstrap peer is dialled again): not asked while others can serve.
        avoid: (peer) => this.stallers.has(peer),
        onFault: (peer, fault) => this.onFault(peer, fault),
        onProgress: (blocks) => {
          this.reportProgress(id, blocks);
          this.wakeProgressWaiters();
        },
        batchSize: this.batchSize,
        signal: ctx.stopSignal(),
      },
      target,
    );
    this.download = download;
    // Registered first, so that whoever awaits `done` finds the download gone.
    void download.done.then((result) => {
      if (this.download === download) this.download = undefined;
      this.wakeProgressWaiters();
      const sessions = [...this.sessions.values()];
      this.sessions.clear();
      for (const session of sessions) void session.close();
      ctx.log.debug(
        { blocks: result.blocks, ms: ctx.clock.now() - started, stopped: result.reason },
        'block download finished',
      );
    });
    void download.start();
    return download;
  }

  /** Peers that may serve `target`: those that sent its headers, and those claiming at least its work. */
  private downloadPeers(target: DownloadTarget): string[] {
    const { ctx } = this;
    const ready = ctx.readyPeers().filter((id) => !ctx.isRefused(id) && !ctx.isFiltered?.(id));
    const senders = ready.filter((id) => this.senders.has(id));
    const others = ready.filter(
      (id) => !this.senders.has(id) && (this.statuses.get(id)?.chainWork ?? -1n) >= target.work,
    );
    return [...senders, ...others];
  }

  private sessionFor(id: string): SyncSession | undefined {
    let session = this.sessions.get(id);
    if (session) return session;
    const connection = this.ctx.connectionOf(id);
    if (!connection) return undefined;
    session = new SyncSession(connection, this.ctx.ids.sync, this.ctx.stopSignal());
    this.sessions.set(id, session);
    return session;
  }

  private onFault(id: string, fault: PeerFault): void {
    const { ctx } = this;
    ctx.judge(
      id,
      fault.result
        ? { kind: 'block', result: fault.result }
        : { kind: 'syncRound', offence: fault.offence, reason: `block download: ${fault.reason}` },
    );
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    void session?.close();
    if (fault.stalled) {
      this.stallers.add(id);
      ctx.log.info({ peer: id, reason: fault.reason }, 'peer stalled the block download; disconnecting');
      void ctx.hangUp(id);
    } else {
      ctx.log.debug({ peer: id, reason: fault.reason }, 'peer left the block download');
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
    const tip = this.ctx.chain.tip();
    const ourHeight = tip.height;
    let peerHeight = ourHeight;
    let behind = false;
    for (const [, status] of this.statuses.entries()) {
      peerHeight = Math.max(peerHeight, status.height);
      behind ||= status.chainWork > tip.chainWork;
    }
    const progress = peerHeight <= 0 ? 1 : Math.min(1, ourHeight / peerHeight);
    // Working toward a peer that claims more work than ours (a loop still winding down at its tip is not syncing).
    const syncing = behind && (this.loops.size > 0 || this.download !== undefined);
    return { syncing, peerHeight, ourHeight, progress };
  }
}
