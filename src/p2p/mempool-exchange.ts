// Mempool exchange: pending transactions cross every new connection, and transactions offered
// again (restored by a reorganisation, a wallet's unconfirmed ones) reach peers without gossipsub,
// whose seen-cache would drop them. On connect each side asks the other for its txids (GET_INV)
// and fetches those it lacks (GET_TXS); ANNOUNCE tells peers of txids to fetch. A transaction
// accepted from a peer is announced to the others, so it travels on. Everything fetched goes
// through ChainAccess.submitTx, as gossip does; an invalid one costs the sender points.
import type { Connection, Stream } from '@libp2p/interface';
import { ProtocolError } from './codec.js';
import { errorText, isMalformed, type NetContext } from './context.js';
import type { Host } from './host.js';
import { requestInv, requestTxs, sendAnnounce, serveMempool } from './mempool-protocol.js';
import { OrphanTxs } from './orphan-txs.js';
import { LIMITS } from './protocol.js';

/** Txids recently fetched or refused: not fetched again for this long. */
const RECENT_MS = 10 * 60_000;
const MAX_RECENT = 20_000;

export interface ExchangeOptions {
  /** Announcements are gathered this long before going out. */
  announceDelayMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class MempoolExchange {
  private readonly buckets = new Map<string, Bucket>();
  private readonly fetching = new Set<string>();
  private readonly recent = new Map<string, number>();
  /** txid → peers that need not hear of it (they sent it to us). */
  private readonly outbox = new Map<string, Set<string>>();
  private flushing = false;
  private flushScheduled = false;
  private readonly orphans: OrphanTxs;

  constructor(
    private readonly ctx: NetContext,
    private readonly opts: ExchangeOptions,
  ) {
    this.orphans = new OrphanTxs(() => ctx.clock.now());
  }

  async attach(host: Host): Promise<void> {
    await host.handle(this.ctx.ids.mempool, (stream, connection) => this.onStream(stream, connection), {
      maxInboundStreams: 8,
    });
  }

  forget(id: string): void {
    this.buckets.delete(id);
  }

  /** A peer completed a handshake (on a new connection): fetch the pending transactions it has and we lack. */
  async onReady(id: string): Promise<number> {
    const connection = this.ctx.connectionOf(id);
    if (!connection || this.ctx.isFiltered?.(id)) return 0;
    try {
      const inv = await requestInv(connection, this.ctx.ids.mempool, this.ctx.stopSignal());
      const wanted = inv.filter((t) => this.wants(t)).slice(0, LIMITS.maxExchangeTxs);
      const got = await this.fetchFrom(id, wanted, LIMITS.maxExchangeBytes);
      if (got > 0) this.ctx.log.info({ peer: id, txs: got }, 'pending transactions received from peer');
      return got;
    } catch (err) {
      this.onFailure(id, err, 'mempool exchange');
      return 0;
    }
  }

  /** Tells peers of these txids (theirs to fetch if they lack them), except those in `except`. */
  announce(txids: readonly string[], except?: string): void {
    for (const txid of txids) {
      if (this.outbox.size >= LIMITS.maxInvTxids && !this.outbox.has(txid)) break;
      const skip = this.outbox.get(txid) ?? new Set<string>();
      if (except !== undefined) skip.add(except);
      this.outbox.set(txid, skip);
    }
    if (this.flushScheduled || this.outbox.size === 0) return;
    this.flushScheduled = true;
    this.ctx.clock.after(this.opts.announceDelayMs, () => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.ctx.host()) return;
    this.flushing = true;
    const batch = new Map(this.outbox);
    this.outbox.clear();
    try {
      await Promise.allSettled(
        this.ctx.readyPeers().map(async (peer) => {
          const connection = this.ctx.connectionOf(peer);
          if (!connection || this.ctx.isFiltered?.(peer)) return;
          const txids = [...batch].filter(([, skip]) => !skip.has(peer)).map(([txid]) => txid);
          for (let i = 0; i < txids.length; i += LIMITS.maxAnnounceTxids) {
            const chunk = txids.slice(i, i + LIMITS.maxAnnounceTxids);
            await sendAnnounce(connection, this.ctx.ids.mempool, chunk, this.ctx.stopSignal()).catch((err) =>
              this.onFailure(peer, err, 'announce'),
            );
          }
        }),
      );
    } finally {
      this.flushing = false;
      if (this.outbox.size > 0) this.announce([]);
    }
  }

  private wants(txid: string): boolean {
    if (this.fetching.has(txid) || this.ctx.chain.getPendingTx(txid) !== undefined) return false;
    const until = this.recent.get(txid);
    if (until === undefined) return true;
    if (until > this.ctx.clock.now()) return false;
    this.recent.delete(txid);
    return true;
  }

  private remember(txid: string): void {
    if (this.recent.size >= MAX_RECENT) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(txid, this.ctx.clock.now() + RECENT_MS);
  }

  /**
   * Fetches `txids` from peer `id` in batches and submits them; resolves with the number accepted.
   * A txid is not fetched again for a while once its transaction came (accepted or refused) or the
   * peer no longer had it; after a failed request it may be fetched again, from this peer or another.
   */
  private async fetchFrom(id: string, txids: string[], maxBytes: number): Promise<number> {
    let accepted = 0;
    let bytes = 0;
    for (let i = 0; i < txids.length && bytes < maxBytes; i += LIMITS.maxTxsPerRequest) {
      const connection = this.ctx.connectionOf(id);
      if (!connection || this.ctx.isRefused(id) || this.ctx.isFiltered?.(id)) break;
      const batch = txids.slice(i, i + LIMITS.maxTxsPerRequest).filter((t) => this.wants(t));
      if (batch.length === 0) continue;
      for (const t of batch) this.fetching.add(t);
      let answered = false;
      try {
        const txs = await requestTxs(connection, this.ctx.ids.mempool, batch, this.ctx.stopSignal());
        answered = true;
        for (const tx of txs) {
          bytes += tx.length;
          if (await this.submit(id, tx)) accepted++;
        }
      } finally {
        for (const t of batch) {
          this.fetching.delete(t);
          if (answered) this.remember(t);
        }
      }
    }
    if (accepted > 0) accepted += await this.retryOrphans();
    return accepted;
  }

  /** Submits the orphans again while that lets more in (a parent accepted may free a chain of them). */
  private async retryOrphans(): Promise<number> {
    let accepted = 0;
    for (let progress = true; progress && this.orphans.size > 0; ) {
      progress = false;
      for (const orphan of this.orphans.take()) {
        if (await this.submit(orphan.from, orphan.bytes)) {
          accepted++;
          progress = true;
        }
      }
    }
    return accepted;
  }

  private async submit(from: string, tx: Uint8Array): Promise<boolean> {
    const { ctx } = this;
    const result = await ctx.chain.submitTx(tx, from);
    if (result.status === 'accepted') {
      const txid = result.txid;
      if (txid !== undefined) this.announce([txid], from);
      return true;
    }
    if (result.code === 'missing-inputs') this.orphans.add(tx, from);
    ctx.judge(from, { kind: 'tx', result });
    return false;
  }

  /** Token bucket per peer: a burst, refilled steadily. */
  private admit(id: string): boolean {
    const now = this.ctx.clock.now();
    const bucket = this.buckets.get(id) ?? { tokens: LIMITS.mempoolRequestBurst, at: now };
    bucket.tokens = Math.min(
      LIMITS.mempoolRequestBurst,
      bucket.tokens + ((now - bucket.at) / 1000) * LIMITS.mempoolRequestsPerSecond,
    );
    bucket.at = now;
    this.buckets.set(id, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    if (this.ctx.isFiltered?.(id)) {
      stream.abort(new Error('peer filtered'));
      return;
    }
    let admitted = true;
    try {
      const req = await serveMempool(
        stream,
        this.ctx.chain,
        () => (admitted = this.admit(id)),
        this.ctx.stopSignal(),
      );
      if (!admitted) this.ctx.judge(id, { kind: 'flood', detail: 'mempool requests beyond the rate limit' });
      if (req?.type === 'announce') {
        const wanted = req.txids.filter((t) => this.wants(t));
        if (wanted.length > 0)
          this.fetchFrom(id, wanted, LIMITS.maxExchangeBytes).catch((err) =>
            this.onFailure(id, err, 'fetch'),
          );
      }
    } catch (err) {
      if (isMalformed(err)) this.ctx.judge(id, { kind: 'failure', err, detail: 'mempool request' });
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'mempool request failed');
    }
  }

  /** A failed exchange: frames over the limits cut the peer off; other breaches cost points. */
  private onFailure(id: string, err: unknown, what: string): void {
    // A timeout of an exchange is the peer's slowness or ours: not charged here (sync charges its own).
    if (err instanceof ProtocolError && err.code !== 'timeout')
      this.ctx.judge(id, { kind: 'failure', err, detail: what });
    if (err instanceof ProtocolError && (err.code === 'too-large' || err.code === 'unexpected')) {
      void this.ctx.hangUp(id);
    }
    this.ctx.log.debug({ peer: id, err: errorText(err) }, `${what} failed`);
  }
}
