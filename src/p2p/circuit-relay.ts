// Circuit relay service (libp2p circuit relay v2) of a node that listens on WebSockets: browser nodes
// reserve a slot here so that other browsers can reach them through us, long enough to set up a
// direct WebRTC connection (the relayed connection only carries its signalling). Every resource it
// takes is bounded, in total and per host: the library caps reservations in total and per relayed
// connection (data, duration); the per-host cap and the release of a departed peer's reservation are
// ours (`RelayReservations`), asked by the connection gater. The service itself is relay-service.ts,
// loaded only by a node with a WebSockets port.
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2';
import type { Connection, PeerId } from '@libp2p/interface';
import { ipOf } from './bans.js';
import type { LocalNets } from './netgroup.js';

export const RELAY_LIMITS = {
  /** Reservations held at once, in all (a reservation of a peer that disconnects is dropped). */
  maxReservations: 32,
  /** Reservations held at once by peers of one host (IP; on loopback and local subnets, one per peer id). */
  perHost: 4,
  /** A reservation lasts this long unless refreshed (libp2p clients refresh 5 minutes before the end). */
  reservationTtlMs: 15 * 60_000,
  /** A relayed connection is closed after this many bytes, either way together... */
  dataLimitBytes: 128 * 1024,
  /** ...or after this long, whichever comes first: enough for WebRTC's offer, answer and candidates.
   * (The relay enforces it in milliseconds; the library also sends the milliseconds in the limit it
   * tells clients, a field the spec reads as seconds, so a client may believe it has longer.) */
  durationLimitMs: 2 * 60_000,
  /** Relay requests (reserve or connect, each a relayed connection while it lasts) at once per connection. */
  maxHopStreamsPerConnection: 4,
  /** Relayed connections to one peer at once (each is a stream on its connection with us). */
  maxStopStreamsPerConnection: 8,
  /** A relay request must be answered within this long. */
  hopTimeoutMs: 30_000,
} as const;

export interface RelayReservationsHooks {
  /** The running relay service, if any. */
  service(): CircuitRelayService | undefined;
  connections(): Connection[];
}

/** The per-host cap on reservations, and their release when their peer leaves. */
export class RelayReservations {
  constructor(
    private readonly local: LocalNets,
    private readonly hooks: RelayReservationsHooks,
    private readonly perHost: number = RELAY_LIMITS.perHost,
  ) {}

  /** The gater's question: refuse this peer's reservation? (A peer renewing its own is never refused.) */
  deny(peer: PeerId): boolean {
    const reservations = this.hooks.service()?.reservations;
    if (!reservations || reservations.has(peer)) return false;
    const id = peer.toString();
    const remote = this.hooks.connections().find((c) => c.remotePeer.equals(peer))?.remoteAddr;
    if (!remote) return true;
    const host = this.local.placeOf(ipOf(remote), id).host;
    let fromHost = 0;
    for (const [holder, r] of reservations.entries()) {
      if (this.local.placeOf(ipOf(r.addr), holder.toString()).host === host) fromHost++;
    }
    return fromHost >= this.perHost;
  }

  /** A peer disconnected: its reservation is of no use (no one can reach it through us), so it goes. */
  release(peer: PeerId): void {
    this.hooks.service()?.reservations.delete(peer);
  }

  count(): number {
    return this.hooks.service()?.reservations.size ?? 0;
  }
}
