// The inbound side of the connection limits at run time: asked by the connection gater once an
// inbound peer's id is known (after Noise), it counts the inbound peers we have, applies the caps
// and eviction of inbound-limits.ts, hangs up the evicted peer and remembers who recently brought
// us something useful (eviction protects them).

import type { Connection } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { sha256 } from '@noble/hashes/sha2.js';
import { ipOf } from './bans.js';
import type { Clock } from './clock.js';
import { admitInbound, type InboundPeer, type InboundSettings } from './inbound-limits.js';
import type { LocalNets } from './netgroup.js';
import { randomBytes, readU32, utf8 } from './portable.js';
import type { ChainAccess, P2PLogger, SubmitResult } from './types.js';

/** An admitted peer whose connection is not open yet still holds its slot for this long. */
const PENDING_MS = 15_000;
/** Peers whose last useful message we remember, at most (the oldest go first). */
const MAX_ACTIVITY = 1000;

export interface InboundSlotsHooks {
  connections(): Connection[];
  hangUp(id: string): Promise<void>;
  /** The operator's --peer ids: always accepted, never evicted, not counted. */
  isBootstrap(id: string): boolean;
}

export class InboundSlots {
  private readonly key: Uint8Array;
  private readonly pending = new Map<string, { place: InboundPeer; until: number }>();
  private readonly activity = new Map<string, { block?: number; tx?: number }>();
  /** Evicted peers whose connections are closing: their slots are free already. */
  private readonly evicting = new Map<string, number>();

  constructor(
    private readonly settings: InboundSettings,
    private readonly local: LocalNets,
    private readonly clock: Clock,
    private readonly log: P2PLogger,
    private readonly hooks: InboundSlotsHooks,
    random: (bytes: number) => Uint8Array = randomBytes,
  ) {
    this.key = random(32);
  }

  /** Accepted a block or transaction from a peer: eviction protects the latest such peers. */
  noteUseful(id: string, kind: 'block' | 'tx'): void {
    const entry = this.activity.get(id) ?? {};
    this.activity.delete(id);
    entry[kind] = this.clock.now();
    this.activity.set(id, entry);
    if (this.activity.size > MAX_ACTIVITY) this.activity.delete(this.activity.keys().next().value!);
  }

  forget(id: string): void {
    this.activity.delete(id);
    this.pending.delete(id);
    this.evicting.delete(id);
  }

  /** Inbound peers holding a slot: open inbound connections, and admitted ones not open yet. */
  inboundPeers(): InboundPeer[] {
    const now = this.clock.now();
    const peers = new Map<string, InboundPeer>();
    for (const [id, until] of this.evicting) if (until <= now) this.evicting.delete(id);
    for (const c of this.hooks.connections()) {
      const id = c.remotePeer.toString();
      if (c.direction !== 'inbound' || c.status !== 'open' || peers.has(id)) continue;
      if (this.evicting.has(id) || this.hooks.isBootstrap(id)) continue;
      const seen = this.activity.get(id);
      peers.set(id, {
        id,
        ...this.local.placeOf(ipOf(c.remoteAddr), id),
        connectedAt: c.timeline.open,
        rttMs: c.rtt,
        lastBlockAt: seen?.block,
        lastTxAt: seen?.tx,
      });
    }
    for (const [id, { place, until }] of this.pending) {
      if (until <= now || peers.has(id)) this.pending.delete(id);
      else peers.set(id, place);
    }
    return [...peers.values()];
  }

  /** The gater's question: refuse this inbound peer? Evicts one to make room when it may. */
  deny(peer: string, addr: Multiaddr): boolean {
    if (this.hooks.isBootstrap(peer)) return false;
    const current = this.inboundPeers().filter((p) => p.id !== peer);
    const place = this.local.placeOf(ipOf(addr), peer);
    const verdict = admitInbound(place, current, this.settings, (g) => this.netgroupKey(g));
    if (!verdict.accept) {
      this.log.debug({ peer, address: addr.toString(), reason: verdict.reason }, 'inbound peer refused');
      return true;
    }
    if (verdict.evict !== undefined) {
      this.log.info({ peer: verdict.evict, for: peer }, 'inbound peer evicted');
      this.pending.delete(verdict.evict);
      this.evicting.set(verdict.evict, this.clock.now() + PENDING_MS);
      void this.hooks.hangUp(verdict.evict);
    }
    const now = this.clock.now();
    this.pending.set(peer, { place: { id: peer, ...place, connectedAt: now }, until: now + PENDING_MS });
    return false;
  }

  /** A hash of the netgroup under our secret key: which groups are protected is not predictable. */
  private netgroupKey(netgroup: string): number {
    return readU32(sha256.create().update(this.key).update(utf8.encode(netgroup)).digest());
  }
}

/** The chain as the network's parts see it, telling `note` who brought an accepted block or transaction. */
export function noticingUseful(
  chain: ChainAccess,
  note: (id: string, kind: 'block' | 'tx') => void,
): ChainAccess {
  const seen = (from: string | undefined, kind: 'block' | 'tx', results: SubmitResult[]) => {
    if (from !== undefined && results.some((r) => r.status === 'accepted')) note(from, kind);
    return results;
  };
  const useful: Partial<ChainAccess> = {
    submitBlock: async (bytes, from) => seen(from, 'block', [await chain.submitBlock(bytes, from)])[0]!,
    submitBlocks: async (blocks, from) => {
      const results = await chain.submitBlocks(blocks, from);
      if (typeof from === 'string' || from === undefined) return seen(from, 'block', results);
      // Each sender of a block the chain took.
      const senders = new Set(from.filter((_, i) => results[i]?.status === 'accepted'));
      for (const id of senders) note(id, 'block');
      return results;
    },
    submitTx: async (bytes, from) => seen(from, 'tx', [await chain.submitTx(bytes, from)])[0]!,
  };
  return new Proxy(chain, {
    get: (target, key) => {
      if (key in useful) return useful[key as keyof ChainAccess];
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
