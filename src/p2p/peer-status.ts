// The status handshake with every peer, the latest status each one sent, and peers of another
// network or genesis (kept away for a while). Our tip is announced again when it changes, at most
// once per TIP_ANNOUNCE_MS.
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { atMostEvery } from './clock.js';
import { errorText, isMalformed, type NetContext } from './context.js';
import { answerStatus, requestStatus } from './status-protocol.js';
import type { PeerStatus } from './types.js';

/** Thrown by dial() when the remote runs another network or genesis. */
export class IncompatiblePeerError extends Error {
  constructor(
    readonly peerId: string,
    message: string,
  ) {
    super(message);
    this.name = 'IncompatiblePeerError';
  }
}

export interface StatusEvents {
  /** A compatible peer completed its first handshake. */
  ready(id: string, status: PeerStatus): void;
  /** Any status from a compatible peer, the first one included. */
  status(id: string, status: PeerStatus): void;
  /** A peer turned out to be of another network or genesis. */
  incompatible(id: string): void;
}

/** Peers of another network remembered at most: beyond, the one remembered longest ago is forgotten. */
export const MAX_INCOMPATIBLE = 1000;

/**
 * Tip changes are announced at most once per this many ms (the first at once, those that follow
 * within it merged into one at its end). Each announcement opens a status stream to every peer, and
 * libp2p writes the peer's record to its peer store for every stream: once per block, a burst of
 * blocks (a peer relaying them as fast as we take them) cost several per cent of the node's time. The
 * blocks themselves travel by gossip; the status tells peers that missed them, at most this late.
 */
export const TIP_ANNOUNCE_MS = 1000;

export class PeerStatuses {
  private readonly statuses = new Map<string, PeerStatus>();
  private readonly handshakes = new Map<string, Promise<PeerStatus>>();
  /** Peer id → until when it is kept away; in order of marking, bounded by MAX_INCOMPATIBLE. */
  private readonly incompatibleUntil = new Map<string, number>();
  /** Why each peer kept away is (its keys are incompatibleUntil's, and go with them). */
  private readonly incompatibleReasons = new Map<string, string>();
  private announcedTip = '';
  private announcing = false;
  private reannounce = false;

  constructor(
    private readonly ctx: NetContext,
    private readonly events: StatusEvents,
    /** How long a peer of another network is kept away. */
    private readonly incompatibleMs: number,
  ) {}

  get(id: string): PeerStatus | undefined {
    return this.statuses.get(id);
  }

  has(id: string): boolean {
    return this.statuses.has(id);
  }

  entries(): [string, PeerStatus][] {
    return [...this.statuses.entries()];
  }

  ids(): string[] {
    return [...this.statuses.keys()];
  }

  /** Peers kept away now (expired ones are dropped as they are met). */
  get incompatibleCount(): number {
    return this.incompatibleUntil.size;
  }

  isIncompatible(id: string): boolean {
    const until = this.incompatibleUntil.get(id);
    if (until === undefined) return false;
    if (until > this.ctx.clock.now()) return true;
    this.incompatibleUntil.delete(id);
    this.incompatibleReasons.delete(id);
    return false;
  }

  /** Why a peer is kept away as of another network, while it is. */
  incompatibleReason(id: string): string | undefined {
    return this.isIncompatible(id) ? this.incompatibleReasons.get(id) : undefined;
  }

  forget(id: string): void {
    this.statuses.delete(id);
    for (const key of this.handshakes.keys()) if (key.startsWith(`${id}/`)) this.handshakes.delete(key);
  }

  clear(): void {
    this.statuses.clear();
    this.handshakes.clear();
  }

  ourStatus(): PeerStatus {
    const { chain } = this.ctx;
    const tip = chain.tip();
    return {
      network: chain.network,
      genesisHash: chain.genesisHash,
      height: tip.height,
      tipHash: tip.hash,
      chainWork: tip.chainWork,
      api: this.ctx.apiUrl(),
    };
  }

  /** Why a peer's status is not ours, in one sentence (for logs and the API's last error). */
  incompatibility(status: PeerStatus): string {
    const { network, genesisHash } = this.ctx.chain;
    // The peer chose its network name: shown only when it is a plain tag (it goes into logs and pages).
    const name = /^[a-z0-9-]{1,32}$/.test(status.network) ? status.network : 'an unknown network';
    const theirs = `${name} (genesis ${status.genesisHash.slice(0, 8)}…)`;
    return status.network !== network
      ? `peer is on another network: ${theirs}, this node is on ${network}`
      : `peer is on another genesis: ${theirs}, this node has ${genesisHash.slice(0, 8)}… (another version?)`;
  }

  isCompatible(status: PeerStatus): boolean {
    return status.network === this.ctx.chain.network && status.genesisHash === this.ctx.chain.genesisHash;
  }

  /**
   * Exchanges status with `peer` over `connection` (default: its newest), once at a time per
   * connection: a handshake stuck on a dead connection must not hold up one on a fresh connection.
   */
  handshake(peer: PeerId, connection?: Connection): Promise<PeerStatus> {
    const id = peer.toString();
    const conn = connection ?? this.ctx.connectionOf(id);
    const key = `${id}/${conn?.id ?? ''}`;
    const running = this.handshakes.get(key);
    if (running) return running;
    const { ctx } = this;
    // async so that even a synchronous failure (stopped meanwhile) becomes a rejection
    const exchange = (async () => {
      if (!ctx.host()) throw new Error('P2PNetwork is not started');
      if (!conn) throw new Error('not connected');
      return requestStatus(conn, ctx.ids.status, this.ourStatus(), ctx.stopSignal());
    })()
      .then((status) => {
        this.onStatus(id, status);
        return status;
      })
      .catch((err) => {
        if (isMalformed(err)) ctx.judge(id, { kind: 'failure', err, detail: 'status' });
        if (err instanceof Error && err.name === 'UnsupportedProtocolError') {
          // Every Hashline node of this version speaks the status protocol: not one, or an older one.
          const reason = `peer does not speak ${ctx.ids.status} (not a Hashline node of this version?)`;
          this.markIncompatible(id, reason);
          void ctx.hangUp(id);
          ctx.log.info({ peer: id }, `${reason}; disconnecting`);
          throw new IncompatiblePeerError(id, reason);
        }
        // A peer that cannot do the handshake is of no use.
        if (!this.statuses.has(id)) {
          ctx.log.debug({ peer: id, err: errorText(err) }, 'status handshake failed; disconnecting');
          void ctx.hangUp(id);
        }
        throw err;
      })
      .finally(() => {
        if (this.handshakes.get(key) === exchange) this.handshakes.delete(key);
      });
    this.handshakes.set(key, exchange);
    return exchange;
  }

  async onStatusStream(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    try {
      const status = await answerStatus(stream, () => this.ourStatus(), this.ctx.stopSignal());
      this.onStatus(id, status);
    } catch (err) {
      if (isMalformed(err)) this.ctx.judge(id, { kind: 'failure', err, detail: 'status' });
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'inbound status failed');
    }
  }

  /** Keeps a peer of another network/genesis away for a while (not a ban: it did nothing wrong). */
  private markIncompatible(id: string, reason: string): void {
    const now = this.ctx.clock.now();
    this.incompatibleUntil.delete(id);
    for (const [old, until] of this.incompatibleUntil) {
      if (until > now && this.incompatibleUntil.size < MAX_INCOMPATIBLE) break;
      this.incompatibleUntil.delete(old); // expired, or the oldest beyond the bound
      this.incompatibleReasons.delete(old);
    }
    this.incompatibleUntil.set(id, now + this.incompatibleMs);
    this.incompatibleReasons.set(id, reason);
    this.statuses.delete(id);
    this.events.incompatible(id);
  }

  private onStatus(id: string, status: PeerStatus): void {
    if (!this.isCompatible(status)) {
      const reason = this.incompatibility(status);
      this.markIncompatible(id, reason);
      this.ctx.log.info(
        { peer: id, network: status.network, genesis: status.genesisHash },
        `${reason}; disconnecting`,
      );
      // Let our answer reach the peer before the connection goes.
      this.ctx.clock.after(100, () => void this.ctx.hangUp(id));
      return;
    }
    if (!this.ctx.connectionOf(id)) return; // gone meanwhile
    const isNew = !this.statuses.has(id);
    this.statuses.set(id, status);
    if (isNew) this.events.ready(id, status);
    this.events.status(id, status);
  }

  /** Starts following the chain tip: changes are announced to every peer (at most once per TIP_ANNOUNCE_MS). */
  followTip(): () => void {
    this.announcedTip = this.ctx.chain.tip().hash;
    const announce = atMostEvery(this.ctx.clock, TIP_ANNOUNCE_MS, () => this.announceTip());
    const unfollow = this.ctx.chain.onTip(() => announce());
    return () => {
      announce.cancel();
      unfollow();
    };
  }

  /** Exchanges status with every peer if our tip changed since the last announcement (or if forced). */
  announceTip(force = false): void {
    if (!this.ctx.host()) return;
    if (force) this.announcedTip = '';
    if (this.announcing) {
      this.reannounce = true;
      return;
    }
    const tip = this.ctx.chain.tip().hash;
    if (tip === this.announcedTip) return;
    this.announcedTip = tip;
    this.announcing = true;
    const peers = new Map<string, PeerId>();
    for (const id of this.statuses.keys()) {
      const connection = this.ctx.connectionOf(id);
      if (connection) peers.set(id, connection.remotePeer);
    }
    Promise.allSettled([...peers.values()].map((peer) => this.handshake(peer))).finally(() => {
      this.announcing = false;
      if (this.reannounce) {
        this.reannounce = false;
        this.announceTip();
      }
    });
  }
}
