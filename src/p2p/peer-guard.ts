// Who may talk to us: misbehaviour points (scoring.ts) kept under each peer's key (peer-key.ts), what
// each outcome costs (judge.ts), bans by peer id and address (bans.ts), and the libp2p connection gater
// that enforces them on every inbound and outbound connection.
import type { Connection, ConnectionGater, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { type BanList, ipOf } from './bans.js';
import { type Judgement, judge, type Verdict } from './judge.js';
import type { PeerKeys } from './peer-key.js';
import type { Offence, PeerScores } from './scoring.js';
import type { BanInfo, P2PLogger } from './types.js';

export interface GuardHooks {
  connections(): Connection[];
  hangUp(id: string): Promise<void>;
  /** Of another network for now: refused like a ban, but not one. */
  isIncompatible(id: string): boolean;
  banned(info: BanInfo): void;
  /** Inbound slots and caps (inbound-slots.ts): true refuses the peer. */
  denyInbound?(peer: string, addr: Multiaddr): boolean;
  /** Relay reservation caps (circuit-relay.ts): true refuses the reservation. */
  denyRelayReservation?(peer: PeerId): boolean;
}

export class PeerGuard {
  constructor(
    readonly scores: PeerScores,
    readonly banList: BanList,
    readonly keys: PeerKeys,
    private readonly banSeconds: number,
    private readonly log: P2PLogger,
    private readonly hooks: GuardHooks,
  ) {}

  isRefused(id: string): boolean {
    return this.banList.isBanned(id) || this.hooks.isIncompatible(id);
  }

  gater(): ConnectionGater {
    const bans = this.banList;
    const refused = (peer: PeerId, addr?: Multiaddr) =>
      this.isRefused(peer.toString()) || (addr !== undefined && bans.isAddrBanned(addr));
    return {
      denyDialPeer: (peer) => this.isRefused(peer.toString()),
      denyDialMultiaddr: (addr) => bans.isAddrBanned(addr),
      denyInboundConnection: (conn) => bans.isAddrBanned(conn.remoteAddr),
      denyInboundEncryptedConnection: (peer, conn) =>
        refused(peer, conn.remoteAddr) ||
        (this.hooks.denyInbound?.(peer.toString(), conn.remoteAddr) ?? false),
      denyOutboundEncryptedConnection: (peer, conn) => refused(peer, conn.remoteAddr),
      filterMultiaddrForPeer: (_peer, addr) => !bans.isAddrBanned(addr),
      denyInboundRelayReservation: (peer) =>
        this.isRefused(peer.toString()) || (this.hooks.denyRelayReservation?.(peer) ?? false),
      denyOutboundRelayedConnection: (source, target) =>
        this.isRefused(source.toString()) || this.isRefused(target.toString()),
    };
  }

  /** The key a peer's points, bans and budgets are kept under: its address off loopback, else its id. */
  keyOf(id: string): string {
    const remote = this.hooks.connections().find((c) => c.remotePeer.toString() === id)?.remoteAddr;
    return this.keys.keyOf(id, remote);
  }

  score(id: string): number {
    return this.scores.score(this.keyOf(id));
  }

  counts(id: string): { invalid: number; malleated: number } {
    return this.scores.counts(this.keyOf(id));
  }

  /** Judges what a peer did (judge.ts) and charges it; returns the judgement. */
  judge(id: string, verdict: Verdict): Judgement {
    const judgement = judge(verdict);
    if (judgement.offence) this.penalize(id, judgement.offence, judgement.reason);
    else if (judgement.noteMalleated) this.scores.noteMalleated(this.keyOf(id));
    return judgement;
  }

  /** Costs a peer's key points; at 0 the peer id is banned and, when keyed by address, the address too. */
  penalize(id: string, offence: Offence, reason: string): void {
    const key = this.keyOf(id);
    const { score, shouldBan } = this.scores.penalize(key, offence);
    this.log.debug({ peer: id, key, offence, reason, score }, 'peer penalized');
    if (!shouldBan || this.banList.isBanned(id)) return;
    this.scores.reset(key);
    const why = `${offence}: ${reason}`;
    this.ban(id, this.banSeconds, why);
    // Loopback and local subnets are keyed by id: banning their address would ban every local node.
    if (key !== id) this.ban(key, this.banSeconds, why);
  }

  /** Bans a peer id, or an IP address, for `seconds`; its connections are closed. */
  ban(idOrIp: string, seconds: number, reason: string): BanInfo {
    const info = this.banList.ban(idOrIp, seconds, reason);
    this.log.warn(
      { peer: info.id, kind: info.kind, reason, until: new Date(info.until).toISOString() },
      'peer banned',
    );
    this.hooks.banned(info);
    for (const c of this.hooks.connections()) {
      const ip = ipOf(c.remoteAddr);
      const hit =
        info.kind === 'peer'
          ? c.remotePeer.toString() === info.id
          : ip !== undefined && this.banList.isBanned(ip);
      if (hit) void this.hooks.hangUp(c.remotePeer.toString());
    }
    return info;
  }
}
