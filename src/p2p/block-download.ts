// Block bodies from several peers at once (Bitcoin Core's parallel download with its stall logic).
// The wanted blocks are the hashes of a checked header chain, in chain order. Batches from a
// window at the front of that list go to any peer that may serve them, a few requests per peer;
// blocks are handed to the chain in order as the front of the window arrives. When a peer is idle
// but the window cannot move because its first block is still with another peer, that peer gets
// the stall timeout (stall-timeout.ts) to deliver; then it is reported as a staller (the caller
// disconnects it) and its blocks go to the others.

import { nextMacrotask } from '../util/timers.js';
import type { TimerHandle } from './clock.js';
import { DeliveryRates } from './delivery-rates.js';
import {
  DOWNLOAD_LIMITS,
  type DownloadOptions,
  type DownloadResult,
  type DownloadTarget,
  type PeerFault,
} from './download-types.js';
import { blockHashOf } from './header.js';
import { offenceOf, type SyncSource, type SyncStop } from './sync.js';
import type { SubmitResult } from './types.js';
import { WantedBlocks } from './wanted-blocks.js';

interface Request {
  peer: string;
  hashes: string[];
  /** When it was sent (ms, the download's clock). */
  sentAt: number;
}

interface Held {
  bytes: Uint8Array;
  from: string;
}

const YIELD_EVERY_MS = 4;

export class BlockDownload {
  private target: DownloadTarget;
  private readonly wanted = new WantedBlocks();
  private readonly assigned = new Map<string, Request>();
  private readonly held = new Map<string, Held>();
  private heldBytes = 0;
  private readonly inflight = new Map<string, number>();
  /** Requests in flight in all. */
  private requests = 0;
  /** Peers out of this download (no longer have the blocks, stalled, misbehaved). */
  private readonly excluded = new Set<string>();
  private seenBlocks = 0;
  private seenBytes = 0;
  private readonly rates = new DeliveryRates(() => this.opts.clock.now());
  private accepted = 0;
  private submitting = false;
  /** Position of the first block of the run with the chain, while there is one. */
  private submittingFrom: number | undefined;
  private stallTimer?: { peer: string; hash: string; handle: TimerHandle };
  private finished?: DownloadResult;
  private resolveDone!: (result: DownloadResult) => void;
  readonly done: Promise<DownloadResult>;
  private lastYield = performance.now();

  constructor(
    private readonly opts: DownloadOptions,
    target: DownloadTarget,
  ) {
    this.target = target;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.setWanted(target);
    if (opts.signal?.aborted) this.onAbort();
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.finish('sync stopped');

  get acceptedSoFar(): number {
    return this.accepted;
  }

  get currentTarget(): DownloadTarget {
    return this.target;
  }

  /** Starts (or resumes) asking peers; resolves `done` when the target is in or nobody can serve it. */
  start(): Promise<DownloadResult> {
    this.pump();
    return this.done;
  }

  /** Blocks of the target not handed to the chain yet. */
  get remaining(): number {
    return this.wanted.remaining;
  }

  /**
   * A better chain: aims at it instead when it has more work ('switched'). One that continues the
   * target (the headers after its last block) is added to the end ('extended'): the window and
   * requests stay. False if not taken.
   */
  offer(target: DownloadTarget): 'extended' | 'switched' | false {
    if (this.finished || target.work <= this.target.work) return false;
    const at = target.hashes.lastIndexOf(this.target.hashes.at(-1)!);
    this.target = target;
    if (at < 0) this.setWanted(target);
    else this.addWanted(target.hashes.slice(at + 1));
    this.pump();
    return at < 0 ? 'switched' : 'extended';
  }

  /** Peers may have changed (one came, one went): look again. */
  wake(): void {
    this.pump();
  }

  /** A peer is gone: its requests go to others. */
  dropPeer(peer: string): void {
    this.excluded.add(peer);
    this.release(peer);
    this.pump();
  }

  private setWanted(target: DownloadTarget): void {
    const { chain } = this.opts;
    this.wanted.reset(target.hashes, (h) => !chain.hasBlock(h));
    const wanted = (hash: string) => this.wanted.positionOf(hash) !== undefined;
    for (const [hash, held] of this.held) {
      if (wanted(hash)) continue;
      this.held.delete(hash);
      this.heldBytes -= held.bytes.length;
    }
    for (const hash of this.assigned.keys()) if (!wanted(hash)) this.assigned.delete(hash);
    this.clearStall();
  }

  private addWanted(hashes: readonly string[]): void {
    // The run with the chain (if any) is kept: a malleated block of it is asked for again.
    this.wanted.compact(this.submittingFrom);
    this.wanted.append(hashes, (h) => !this.opts.chain.hasBlock(h));
  }

  private finish(reason?: string): void {
    if (this.finished) return;
    this.finished = reason === undefined ? { blocks: this.accepted } : { blocks: this.accepted, reason };
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.clearStall();
    this.held.clear();
    this.heldBytes = 0;
    this.resolveDone(this.finished);
  }

  /** About batchBytes of blocks, or what `peer` delivers in batchSeconds if that is less. */
  private nextBatchSize(peer: string): number {
    const max = Math.max(1, this.opts.batchSize ?? DOWNLOAD_LIMITS.maxBatch);
    if (this.seenBlocks === 0) return Math.min(max, DOWNLOAD_LIMITS.firstBatch);
    const rate = this.rates.rateOf(peer);
    const bytes = Math.min(
      DOWNLOAD_LIMITS.batchBytes,
      (rate ?? Number.POSITIVE_INFINITY) * DOWNLOAD_LIMITS.batchSeconds,
    );
    const fit = Math.floor(bytes / (this.seenBytes / this.seenBlocks));
    return Math.max(1, Math.min(max, fit));
  }

  /** The first run of blocks in the window that nobody has or is fetching, sized for `peer`. */
  private nextBatch(peer: string): string[] {
    const { wanted } = this;
    const end = Math.min(wanted.end, wanted.front + (this.opts.windowBlocks ?? DOWNLOAD_LIMITS.windowBlocks));
    const size = this.nextBatchSize(peer);
    const batch: string[] = [];
    for (let i = wanted.front; i < end && batch.length < size; i++) {
      const hash = wanted.at(i)!;
      const free = !this.assigned.has(hash) && !this.held.has(hash);
      if (free) batch.push(hash);
      else if (batch.length > 0) break;
    }
    // Blocks waiting for an earlier one are bounded in bytes; the window's first block is always asked for.
    if (
      batch.length > 0 &&
      this.heldBytes >= DOWNLOAD_LIMITS.maxHeldBytes &&
      batch[0] !== wanted.at(wanted.front)
    )
      return [];
    return batch;
  }

  private pump(): void {
    if (this.finished) return;
    if (this.wanted.remaining === 0 && !this.submitting) {
      this.finish();
      return;
    }
    const perPeer = this.opts.requestsPerPeer ?? DOWNLOAD_LIMITS.requestsPerPeer;
    const sources = this.sources();
    // One request per peer per pass, so that every peer gets a share (the first batches included).
    let windowBlocked = false;
    for (let launched = true; launched && !windowBlocked; ) {
      launched = false;
      for (const source of sources) {
        if ((this.inflight.get(source.peer) ?? 0) >= perPeer) continue;
        if (this.requests >= DOWNLOAD_LIMITS.maxRequests) break;
        const batch = this.nextBatch(source.peer);
        if (batch.length === 0) {
          windowBlocked = true;
          break;
        }
        this.launch(source, batch);
        launched = true;
      }
    }
    // Peers that could take more while the window has nothing left to give: someone may be stalling.
    const waiting = windowBlocked
      ? sources.filter((s) => (this.inflight.get(s.peer) ?? 0) < perPeer).map((s) => s.peer)
      : [];
    this.watchForStall(waiting);
    // Requests first, then the chain: the next batches download while this one connects.
    void this.submitReady();
    if (this.finished) return;
    if (this.inflight.size === 0 && !this.submitting && this.wanted.remaining > 0) {
      const first = this.wanted.at(this.wanted.front)!;
      if (!this.held.has(first)) this.finish('no peer can serve the blocks');
    }
  }

  /** Peers to ask now; those to avoid (recent stallers) only when no other can serve. */
  private sources(): SyncSource[] {
    const peers = this.opts.peers(this.target).filter((peer) => !this.excluded.has(peer));
    const avoid = this.opts.avoid ?? (() => false);
    const preferred = this.sourcesOf(peers.filter((peer) => !avoid(peer)));
    return preferred.length > 0 ? preferred : this.sourcesOf(peers.filter(avoid));
  }

  private sourcesOf(peers: readonly string[]): SyncSource[] {
    const sources: SyncSource[] = [];
    for (const peer of peers) {
      if (sources.length >= DOWNLOAD_LIMITS.maxPeers) break;
      const source = this.opts.sourceOf(peer);
      if (source) sources.push(source);
    }
    return sources;
  }

  private launch(source: SyncSource, hashes: string[]): void {
    const request: Request = { peer: source.peer, hashes, sentAt: this.opts.clock.now() };
    for (const hash of hashes) this.assigned.set(hash, request);
    this.inflight.set(source.peer, (this.inflight.get(source.peer) ?? 0) + 1);
    this.requests++;
    source.getBlocks(hashes).then(
      (blocks) => this.received(request, blocks),
      (err) => this.failed(request, offenceOf(err)),
    );
  }

  private endRequest(request: Request): boolean {
    this.requests--;
    const n = (this.inflight.get(request.peer) ?? 1) - 1;
    if (n > 0) this.inflight.set(request.peer, n);
    else this.inflight.delete(request.peer);
    let current = false;
    for (const hash of request.hashes) {
      if (this.assigned.get(hash) === request) {
        this.assigned.delete(hash);
        current = true;
      }
    }
    return current && !this.finished;
  }

  private received(request: Request, blocks: Uint8Array[]): void {
    if (!this.endRequest(request)) {
      this.pump();
      return;
    }
    const { peer, hashes } = request;
    if (blocks.length === 0) {
      // It no longer has them (a reorganisation, pruning): others may. No offence.
      this.fault(peer, { reason: 'peer no longer has the blocks it announced' });
      return;
    }
    if (blocks.length > hashes.length) {
      this.fault(peer, { reason: 'peer sent unrequested blocks', offence: 'protocolViolation' });
      return;
    }
    for (let i = 0; i < blocks.length; i++) {
      if (blockHashOf(blocks[i]!) !== hashes[i]) {
        this.fault(peer, { reason: 'peer sent a block we did not ask for', offence: 'protocolViolation' });
        return;
      }
    }
    let answerBytes = 0;
    blocks.forEach((bytes, i) => {
      const hash = hashes[i]!;
      answerBytes += bytes.length;
      this.seenBlocks++;
      this.seenBytes += bytes.length;
      const at = this.wanted.positionOf(hash);
      if (at === undefined || at < this.wanted.front || this.held.has(hash)) return; // the target moved meanwhile
      this.held.set(hash, { bytes, from: peer });
      this.heldBytes += bytes.length;
    });
    this.rates.answered(peer, request.sentAt, answerBytes);
    this.pump();
  }

  private failed(request: Request, stop: SyncStop): void {
    if (!this.endRequest(request)) {
      this.pump();
      return;
    }
    this.fault(request.peer, stop);
  }

  private fault(peer: string, fault: PeerFault): void {
    this.excluded.add(peer);
    this.release(peer);
    this.opts.onFault(peer, fault);
    this.pump();
  }

  /** Forgets what `peer` was asked for, so that others get it. */
  private release(peer: string): void {
    for (const [hash, request] of this.assigned) if (request.peer === peer) this.assigned.delete(hash);
    this.inflight.delete(peer);
    if (this.stallTimer?.peer === peer) this.clearStall();
  }

  /** Times the holder of the window's first block while another peer waits for work (as Core does). */
  private watchForStall(waiting: readonly string[]): void {
    const first = this.wanted.at(this.wanted.front);
    const holder = first === undefined ? undefined : this.assigned.get(first);
    if (!holder || first === undefined || waiting.every((peer) => peer === holder.peer)) {
      this.clearStall();
      return;
    }
    if (this.stallTimer?.peer === holder.peer && this.stallTimer.hash === first) return;
    this.clearStall();
    const { stall } = this.opts;
    const handle = this.opts.clock.after(stall.current, () => {
      this.stallTimer = undefined;
      if (this.finished || this.assigned.get(first)?.peer !== holder.peer) {
        this.pump();
        return;
      }
      stall.stalled();
      this.fault(holder.peer, {
        reason: `stalled the block download for ${stall.current / 2} ms`,
        offence: 'timeout',
        stalled: true,
      });
    });
    this.stallTimer = { peer: holder.peer, hash: first, handle };
  }

  private clearStall(): void {
    this.stallTimer?.handle.cancel();
    this.stallTimer = undefined;
  }

  /**
   * Hands the blocks at the front of the window to the chain, in order, whoever sent them: the chain
   * overlaps a run's signature checks with connecting its next blocks only within one call, and cut at
   * every change of sender (a batch of each peer in turn) the runs would be one batch each.
   */
  private async submitReady(): Promise<void> {
    if (this.submitting || this.finished) return;
    this.submitting = true;
    let submitted = false;
    try {
      for (;;) {
        if (this.finished) return;
        const { wanted } = this;
        const first = wanted.at(wanted.front);
        if (first === undefined || !this.held.has(first)) break;
        const run: Uint8Array[] = [];
        const senders: string[] = [];
        const hashes: string[] = [];
        const most = DOWNLOAD_LIMITS.maxSubmitBlocks;
        for (let i = wanted.front; i < wanted.end && run.length < most; i++) {
          const held = this.held.get(wanted.at(i)!);
          if (!held) break;
          run.push(held.bytes);
          senders.push(held.from);
          hashes.push(wanted.at(i)!);
        }
        this.submittingFrom = wanted.front;
        for (const hash of hashes) {
          this.heldBytes -= this.held.get(hash)!.bytes.length;
          this.held.delete(hash);
        }
        wanted.front += run.length;
        // A chain that connects blocks without real I/O settles in microtasks and would starve
        // the sockets: yield now and then so the next batches keep arriving meanwhile.
        if (performance.now() - this.lastYield > YIELD_EVERY_MS) {
          await nextMacrotask();
          this.lastYield = performance.now();
        }
        const tipBefore = this.opts.chain.tip().hash;
        const results = await this.opts.chain.submitBlocks(run, senders);
        submitted = true;
        if (this.finished) return;
        if (this.opts.chain.tip().hash !== tipBefore) this.opts.stall.progressed();
        this.submittingFrom = undefined;
        const stop = this.judge(results, senders, hashes);
        this.opts.onProgress?.(this.accepted);
        if (stop !== undefined) {
          this.finish(stop);
          return;
        }
        this.pump();
      }
    } catch (err) {
      this.finish(`the chain failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.submitting = false;
      this.submittingFrom = undefined;
    }
    if (submitted) this.pump();
  }

  /** Counts what the chain took; returns why the download must end, if it must. */
  private judge(
    results: readonly SubmitResult[],
    senders: readonly string[],
    hashes: readonly string[],
  ): string | undefined {
    for (let i = 0; i < results.length; i++) {
      const result = results[i]!;
      const from = senders[i]!;
      switch (result.status) {
        case 'accepted':
          this.accepted++;
          break;
        case 'duplicate':
          break;
        case 'orphan':
          return 'downloaded block does not connect';
        case 'low-work':
          return 'the chain refused the branch as low-work';
        case 'invalid':
          if (result.malleated) {
            // A copy that does not match its header (the sender built it so: judge.ts charges it).
            // The block itself may be fine: fetch it again from someone else.
            // Found by hash: the target may have changed while the run was with the chain.
            const at = this.wanted.positionOf(hashes[i]!);
            if (at !== undefined && at < this.wanted.front) this.wanted.front = at;
            this.excluded.add(from);
            this.release(from);
            this.opts.onFault(from, {
              reason: `malleated block: ${result.code ?? ''}`,
              malleated: true,
              result,
            });
            return undefined;
          }
          this.opts.onFault(from, {
            reason: `invalid block: ${result.code ?? result.message ?? ''}`,
            offence: 'invalidBlock',
            result,
          });
          return `invalid block from ${from}`;
      }
    }
    return undefined;
  }
}
