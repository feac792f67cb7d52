// Topics added at run time beside blocks and transactions (the class topic): each message is bounded
// here, then judged by the topic's owner. `reject` costs the relaying peer points (judge.ts); `ignore`
// costs nothing; neither is relayed. The owner's handler runs synchronously in the validator.
import { TopicValidatorResult } from '@libp2p/gossipsub';
import { errorText, type NetContext } from './context.js';
import type { Host } from './host.js';
import { LIMITS } from './protocol.js';

export type TopicVerdict = 'accept' | 'ignore' | 'reject';
export type TopicHandler = (data: Uint8Array, from: string) => TopicVerdict;

const RESULT: Record<TopicVerdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
};

export class AddedTopics {
  private readonly handlers = new Map<string, TopicHandler>();

  constructor(private readonly ctx: NetContext) {}

  /** Only topics gossipsub was created to allow (host.ts): the class topic. */
  private allowed(topic: string): boolean {
    return topic === this.ctx.ids.classTopic;
  }

  /** Subscribes now if the host runs, else when it starts (attach). */
  add(topic: string, handler: TopicHandler): void {
    if (!this.allowed(topic)) throw new Error(`topic ${topic} is not one this network may add`);
    this.handlers.set(topic, handler);
    const host = this.ctx.host();
    if (host) this.subscribe(host, topic);
  }

  attach(host: Host): void {
    for (const topic of this.handlers.keys()) this.subscribe(host, topic);
  }

  async publish(topic: string, data: Uint8Array): Promise<void> {
    const host = this.ctx.host();
    if (!host) throw new Error('P2PNetwork is not started');
    if (!this.handlers.has(topic)) throw new Error(`topic ${topic} was not added`);
    if (data.length > LIMITS.maxTopicMessageBytes)
      throw new Error(`message of ${data.length} bytes is too large`);
    await host.services.pubsub.publish(topic, data);
  }

  private subscribe(host: Host, topic: string): void {
    const pubsub = host.services.pubsub;
    pubsub.topicValidators.set(topic, (peer, msg) => this.validate(topic, peer.toString(), msg.data));
    pubsub.subscribe(topic);
  }

  private validate(topic: string, from: string, data: Uint8Array): TopicValidatorResult {
    const { ctx } = this;
    if (data.length === 0 || data.length > LIMITS.maxTopicMessageBytes) {
      ctx.judge(from, { kind: 'message', detail: `${topic} message of ${data.length} bytes` });
      return TopicValidatorResult.Reject;
    }
    if (ctx.isIncompatible(from)) return TopicValidatorResult.Ignore;
    const handler = this.handlers.get(topic);
    if (!handler) return TopicValidatorResult.Ignore;
    let verdict: TopicVerdict;
    try {
      verdict = handler(data, from);
    } catch (err) {
      ctx.log.error({ peer: from, topic, err: errorText(err) }, 'topic message handler failed');
      return TopicValidatorResult.Ignore;
    }
    if (verdict === 'reject') ctx.judge(from, { kind: 'message', detail: `${topic} message refused` });
    return RESULT[verdict];
  }
}
