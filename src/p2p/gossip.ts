// Gossip of blocks and transactions over gossipsub. Each topic's validator runs before gossipsub
// relays anything: the chain decides, judge() decides what the sender pays, and only a block that
// became our tip travels on. Validations in flight and failed copies of one header are bounded
// (gossip-limits.ts): beyond, a message is Ignored without being looked at.
import { TopicValidatorResult } from '@libp2p/gossipsub';
import { errorText, type NetContext } from './context.js';
import { CopyLimiter, InflightLimit } from './gossip-limits.js';
import { blockHashOf } from './header.js';
import type { Host } from './host.js';
import { HEADER_BYTES, LIMITS } from './protocol.js';
import { TokenBuckets } from './token-bucket.js';
import type { SubmitResult } from './types.js';

/** Tag, length and an Ed25519 public key (36 bytes, protobuf-encoded): enough to tell authors apart. */
const RECORD_AUTHOR_BYTES = 40;
const ALL = '*';

export class Gossip {
  private readonly blockSlots = new InflightLimit(
    LIMITS.gossipBlockValidations,
    LIMITS.gossipBlockValidationsPerPeer,
  );
  private readonly txSlots = new InflightLimit(LIMITS.gossipTxValidations, LIMITS.gossipTxValidationsPerPeer);
  private readonly copies: CopyLimiter;
  private readonly discoveryAuthors: TokenBuckets;
  private readonly discoveryTotal: TokenBuckets;

  constructor(
    private readonly ctx: NetContext,
    /** Asks for a sync round with a peer that sent a block whose parent we lack. */
    private readonly requestSync: (id: string) => void,
  ) {
    const now = () => ctx.clock.now();
    this.copies = new CopyLimiter(now);
    this.discoveryAuthors = new TokenBuckets(
      { burst: 1, perSecond: 1000 / LIMITS.discoveryRecordMs, maxKeys: 1000 },
      now,
    );
    this.discoveryTotal = new TokenBuckets(
      { burst: LIMITS.discoveryRecordBurst, perSecond: LIMITS.discoveryRecordsPerSecond },
      now,
    );
  }

  /** Registers the validators and subscribes to the topics. */
  attach(host: Host): void {
    const pubsub = host.services.pubsub;
    const { ids } = this.ctx;
    pubsub.topicValidators.set(ids.blocksTopic, (peer, msg) => this.validateBlock(peer.toString(), msg.data));
    pubsub.topicValidators.set(ids.txsTopic, (peer, msg) => this.validateTx(peer.toString(), msg.data));
    pubsub.topicValidators.set(ids.discoveryTopic, (peer, msg) =>
      this.validateDiscovery(peer.toString(), msg.data),
    );
    pubsub.subscribe(ids.blocksTopic);
    pubsub.subscribe(ids.txsTopic);
  }

  private pubsub() {
    const host = this.ctx.host();
    if (!host) throw new Error('P2PNetwork is not started');
    return host.services.pubsub;
  }

  async publishBlock(bytes: Uint8Array): Promise<void> {
    await this.pubsub().publish(this.ctx.ids.blocksTopic, bytes);
  }

  /** Publishes a new transaction. (gossipsub drops a publish it has seen in the last two minutes:
   * transactions offered again go through the mempool exchange's announcements instead.) */
  async publishTx(bytes: Uint8Array): Promise<void> {
    await this.pubsub().publish(this.ctx.ids.txsTopic, bytes);
  }

  /** Peers in our gossip mesh for a topic (diagnostics: relay needs a mesh). */
  meshPeers(kind: 'blocks' | 'txs'): string[] {
    const host = this.ctx.host();
    if (!host) return [];
    const topic = kind === 'blocks' ? this.ctx.ids.blocksTopic : this.ctx.ids.txsTopic;
    return (host.services.pubsub as unknown as { getMeshPeers(topic: string): string[] }).getMeshPeers(topic);
  }

  /** gossipsub's own score of a peer (diagnostics: below -80 everything it sends is dropped). */
  gossipScore(id: string): number {
    const host = this.ctx.host();
    if (!host) return 0;
    return (host.services.pubsub as unknown as { getScore(id: string): number }).getScore(id);
  }

  private async validateBlock(from: string, data: Uint8Array): Promise<TopicValidatorResult> {
    const { ctx } = this;
    if (ctx.isFiltered?.(from)) return TopicValidatorResult.Ignore;
    try {
      if (data.length < HEADER_BYTES || data.length > LIMITS.maxBlockBytes) {
        ctx.judge(from, { kind: 'malformed', detail: `gossiped block of ${data.length} bytes` });
        return TopicValidatorResult.Reject;
      }
      if (ctx.isIncompatible(from)) return TopicValidatorResult.Ignore;
      const hash = blockHashOf(data);
      if (ctx.chain.hasBlock(hash)) return TopicValidatorResult.Ignore;
      const key = ctx.peerKey(from);
      if (!this.blockSlots.tryEnter(key)) {
        ctx.log.debug({ peer: from, hash }, 'gossiped block ignored: validations busy');
        return TopicValidatorResult.Ignore;
      }
      // Each different body of one header is a new message to gossipsub: after a few failed, no more.
      if (!this.copies.tryLook(hash)) {
        this.blockSlots.leave(key);
        ctx.log.debug({ peer: from, hash }, 'gossiped block ignored: too many failed copies of its header');
        return TopicValidatorResult.Ignore;
      }
      let result: SubmitResult;
      try {
        result = await ctx.chain.submitBlock(data, from);
        if (result.status === 'invalid') this.copies.noteFailure(hash);
      } finally {
        this.blockSlots.leave(key);
        this.copies.done(hash);
      }
      const judgement = ctx.judge(from, { kind: 'block', result });
      ctx.log.debug({ peer: from, hash, status: result.status, tip: result.tip }, 'gossiped block');
      switch (result.status) {
        case 'accepted':
          // Only blocks that became our tip travel on: a side block stays with whoever mined it.
          return result.tip === false ? TopicValidatorResult.Ignore : TopicValidatorResult.Accept;
        case 'duplicate':
        case 'low-work':
          return TopicValidatorResult.Ignore;
        case 'orphan':
          // We miss its ancestors: ask the sender for them.
          this.requestSync(from);
          return TopicValidatorResult.Ignore;
        case 'invalid':
          return judgement.offence ? TopicValidatorResult.Reject : TopicValidatorResult.Ignore;
      }
    } catch (err) {
      ctx.log.error({ peer: from, err: errorText(err) }, 'block validation failed');
      return TopicValidatorResult.Ignore;
    }
  }

  private async validateTx(from: string, data: Uint8Array): Promise<TopicValidatorResult> {
    const { ctx } = this;
    if (ctx.isFiltered?.(from)) return TopicValidatorResult.Ignore;
    try {
      if (data.length === 0 || data.length > LIMITS.maxTxBytes) {
        ctx.judge(from, { kind: 'malformed', detail: `gossiped tx of ${data.length} bytes` });
        return TopicValidatorResult.Reject;
      }
      if (ctx.isIncompatible(from)) return TopicValidatorResult.Ignore;
      const key = ctx.peerKey(from);
      if (!this.txSlots.tryEnter(key)) {
        ctx.log.debug({ peer: from }, 'gossiped tx ignored: validations busy');
        return TopicValidatorResult.Ignore;
      }
      let result: SubmitResult;
      try {
        result = await ctx.chain.submitTx(data, from);
      } finally {
        this.txSlots.leave(key);
      }
      const judgement = ctx.judge(from, { kind: 'tx', result });
      if (result.status === 'accepted') return TopicValidatorResult.Accept;
      return judgement.offence ? TopicValidatorResult.Reject : TopicValidatorResult.Ignore;
    } catch (err) {
      ctx.log.error({ peer: from, err: errorText(err) }, 'tx validation failed');
      return TopicValidatorResult.Ignore;
    }
  }

  /**
   * Peer records of pubsub-peer-discovery: small, only from peers of our network, one per author per
   * 5 s and at most 20 a second from everyone (each may make the dialer look at the peer store).
   */
  private validateDiscovery(from: string, data: Uint8Array): TopicValidatorResult {
    if (data.length > LIMITS.maxPeerRecordBytes) {
      this.ctx.judge(from, { kind: 'malformed', detail: `peer record of ${data.length} bytes` });
      return TopicValidatorResult.Reject;
    }
    if (this.ctx.isIncompatible(from)) return TopicValidatorResult.Ignore;
    // A record starts with its author's public key (protobuf field 1): its first bytes name the author.
    const author = Buffer.from(data.subarray(0, RECORD_AUTHOR_BYTES)).toString('hex');
    if (!this.discoveryAuthors.take(author) || !this.discoveryTotal.take(ALL))
      return TopicValidatorResult.Ignore;
    return TopicValidatorResult.Accept;
  }
}
