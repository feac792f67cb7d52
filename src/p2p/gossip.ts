// Gossip of blocks and transactions over gossipsub. Each topic's validator runs before gossipsub
// relays anything: the chain decides, and the sender of something invalid loses points.
import { TopicValidatorResult } from '@libp2p/gossipsub';
import { errorText, type NetContext } from './context.js';
import { blockHashOf } from './header.js';
import type { Host } from './host.js';
import { HEADER_BYTES, LIMITS } from './protocol.js';

export class Gossip {
  constructor(
    private readonly ctx: NetContext,
    /** Asks for a sync round with a peer that sent a block whose parent we lack. */
    private readonly requestSync: (id: string) => void,
  ) {}

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

  private async validateBlock(from: string, data: Uint8Array): Promise<TopicValidatorResult> {
    const { ctx } = this;
    try {
      if (data.length < HEADER_BYTES || data.length > LIMITS.maxBlockBytes) {
        ctx.penalize(from, 'malformedFrame', `gossiped block of ${data.length} bytes`);
        return TopicValidatorResult.Reject;
      }
      if (ctx.isIncompatible(from)) return TopicValidatorResult.Ignore;
      if (ctx.chain.hasBlock(blockHashOf(data))) return TopicValidatorResult.Ignore;
      const result = await ctx.chain.submitBlock(data, from);
      switch (result.status) {
        case 'accepted':
          return TopicValidatorResult.Accept;
        case 'duplicate':
        case 'low-work':
          return TopicValidatorResult.Ignore;
        case 'orphan':
          // We miss its ancestors: ask the sender for them.
          this.requestSync(from);
          return TopicValidatorResult.Ignore;
        case 'invalid':
          if (result.malleated) {
            ctx.noteMalleated(from);
            return TopicValidatorResult.Ignore;
          }
          ctx.penalize(from, 'invalidBlock', result.code ?? result.message ?? 'invalid block');
          return TopicValidatorResult.Reject;
      }
    } catch (err) {
      ctx.log.error({ peer: from, err: errorText(err) }, 'block validation failed');
      return TopicValidatorResult.Ignore;
    }
  }

  private async validateTx(from: string, data: Uint8Array): Promise<TopicValidatorResult> {
    const { ctx } = this;
    try {
      if (data.length === 0 || data.length > LIMITS.maxTxBytes) {
        ctx.penalize(from, 'malformedFrame', `gossiped tx of ${data.length} bytes`);
        return TopicValidatorResult.Reject;
      }
      if (ctx.isIncompatible(from)) return TopicValidatorResult.Ignore;
      const result = await ctx.chain.submitTx(data, from);
      switch (result.status) {
        case 'accepted':
          return TopicValidatorResult.Accept;
        case 'duplicate':
        case 'orphan':
        case 'low-work':
          return TopicValidatorResult.Ignore;
        case 'invalid':
          if (result.malleated) {
            ctx.noteMalleated(from);
            return TopicValidatorResult.Ignore;
          }
          ctx.penalize(from, 'invalidTx', result.code ?? result.message ?? 'invalid tx');
          return TopicValidatorResult.Reject;
      }
    } catch (err) {
      ctx.log.error({ peer: from, err: errorText(err) }, 'tx validation failed');
      return TopicValidatorResult.Ignore;
    }
  }

  /** Peer records of pubsub-peer-discovery: small, and only from peers of our network. */
  private validateDiscovery(from: string, data: Uint8Array): TopicValidatorResult {
    if (data.length > LIMITS.maxPeerRecordBytes) {
      this.ctx.penalize(from, 'malformedFrame', `peer record of ${data.length} bytes`);
      return TopicValidatorResult.Reject;
    }
    return this.ctx.isIncompatible(from) ? TopicValidatorResult.Ignore : TopicValidatorResult.Accept;
  }
}
