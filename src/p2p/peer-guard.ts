// Who may talk to us: misbehaviour points (scoring.ts), bans by peer id and IP (bans.ts), and the
// libp2p connection gater that enforces them on every inbound and outbound connection.
import type { Connection, ConnectionGater, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import { type BanList, ipOf, isLoopbackIp } from './bans.js';
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
}

export class PeerGuard {
  constructor(
    readonly scores: PeerScores,
    readonly banList: BanList,
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
    };
  }

  /** Costs a peer points; at 0 it is banned by id and, off loopback, by IP. */
  penalize(id: string, offence: Offence, reason: string): void {
    const { score, shouldBan } = this.scores.penalize(id, offence);
    this.log.debug({ peer: id, offence, reason, score }, 'peer penalized');
    if (!shouldBan || this.banList.isBanned(id)) return;
    this.scores.reset(id);
    const why = `${offence}: ${reason}`;
    // Every local node shares a loopback address: banning it would ban them all.
    const remote = this.hooks.connections().find((c) => c.remotePeer.toString() === id)?.remoteAddr;
    const ip = remote ? ipOf(remote) : undefined;
    this.ban(id, this.banSeconds, why);
    if (ip !== undefined && !isLoopbackIp(ip)) this.ban(ip, this.banSeconds, why);
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
      const hit = info.kind === 'peer' ? c.remotePeer.toString() === info.id : ipOf(c.remoteAddr) === info.id;
      if (hit) void this.hooks.hangUp(c.remotePeer.toString());
    }
    return info;
  }
}
