// The circuit relay service of circuit-relay.ts, apart so that only a node with a WebSockets port
// loads @libp2p/circuit-relay-v2 (host-node.ts imports this file when it needs it).
import { circuitRelayServer } from '@libp2p/circuit-relay-v2';
import { RELAY_LIMITS } from './circuit-relay.js';

/** The libp2p service, with RELAY_LIMITS (and `maxReservations` of them in all, 1 to 256). */
export function relayService(maxReservations: number = RELAY_LIMITS.maxReservations) {
  if (!Number.isInteger(maxReservations) || maxReservations < 1 || maxReservations > 256)
    throw new RangeError('relay reservations must be an integer from 1 to 256');
  return circuitRelayServer({
    hopTimeout: RELAY_LIMITS.hopTimeoutMs,
    maxInboundHopStreams: RELAY_LIMITS.maxHopStreamsPerConnection,
    maxOutboundStopStreams: RELAY_LIMITS.maxStopStreamsPerConnection,
    reservations: {
      maxReservations,
      reservationTtl: RELAY_LIMITS.reservationTtlMs,
      applyDefaultLimit: true,
      defaultDataLimit: BigInt(RELAY_LIMITS.dataLimitBytes),
      defaultDurationLimit: RELAY_LIMITS.durationLimitMs,
    },
  });
}
