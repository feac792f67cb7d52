// gossipsub's own peer scoring, set explicitly (its defaults score no topic at all, so a Reject costs a
// peer nothing there, and its IP colocation penalty mutes every peer of an address that ~10 peer ids
// have used within the hour: a devnet on one host, a classroom behind one NAT). Numbers are explained in
// src/p2p/README.md ("Gossip"); gossipsub checks them at start (validatePeerScoreParams).
import type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams } from '@libp2p/gossipsub/score';
import type { ProtocolIds } from './protocol.js';

/** Counters decay every second; a Reject is forgotten with a half-life of about 4 minutes. */
const DECAY_INTERVAL_MS = 1000;
const INVALID_DECAY = 0.997;

/**
 * A topic where what matters is what a peer sends first and what it sends wrongly. Mesh delivery
 * quotas (P3, P3b) are off: blocks come every few minutes or on demand (regtest), and a quiet
 * mesh would otherwise punish every honest peer.
 */
function topic(weight: number, invalidWeight: number, firstDeliveryCap: number): TopicScoreParams {
  return {
    topicWeight: weight,
    // P1: up to +3 per topic for an hour in the mesh
    timeInMeshWeight: 3 / 3600,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 3600,
    // P2: messages first delivered by the peer, up to the cap
    firstMessageDeliveriesWeight: 5 / firstDeliveryCap,
    firstMessageDeliveriesDecay: 0.99,
    firstMessageDeliveriesCap: firstDeliveryCap,
    meshMessageDeliveriesWeight: 0,
    meshMessageDeliveriesDecay: 0.5,
    meshMessageDeliveriesCap: 1,
    meshMessageDeliveriesThreshold: 1,
    meshMessageDeliveriesWindow: 10,
    meshMessageDeliveriesActivation: 60_000,
    meshFailurePenaltyWeight: 0,
    meshFailurePenaltyDecay: 0.5,
    // P4: the square of the Rejects counted, times this weight
    invalidMessageDeliveriesWeight: invalidWeight,
    invalidMessageDeliveriesDecay: INVALID_DECAY,
  };
}

/**
 * Thresholds (gossipsub's defaults, stated): below -10 a peer gets no gossip (IHAVE/IWANT) from us,
 * below -50 none of our publications, below -80 every message it sends is dropped unread.
 */
export const GOSSIP_THRESHOLDS: PeerScoreThresholds = {
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 100,
  opportunisticGraftThreshold: 5,
};

/**
 * - blocks: P4 is -10 × 0.5 × Rejects²: one Reject takes a peer out of the mesh (score < 0), two (-20)
 *   out of gossip, four (-80) out of our publications, five (-125) graylisted.
 * - txs: P4 is -2 × 0.5 × Rejects²: 9 Rejects (-81) graylist a peer.
 * - IP colocation (P6): more than 10 peer ids on one address cost 5 × surplus², except on `local`
 *   addresses (loopback and the operator's local subnets: many honest nodes share them).
 */
export function gossipScoreParams(ids: ProtocolIds, local: Set<string>): Partial<PeerScoreParams> {
  return {
    topics: {
      [ids.blocksTopic]: topic(0.5, -10, 20),
      [ids.txsTopic]: topic(0.5, -2, 200),
    },
    topicScoreCap: 10,
    appSpecificScore: () => 0,
    appSpecificWeight: 0,
    IPColocationFactorWeight: -5,
    IPColocationFactorThreshold: 10,
    IPColocationFactorWhitelist: local,
    behaviourPenaltyWeight: -10,
    behaviourPenaltyThreshold: 6,
    behaviourPenaltyDecay: 0.9,
    decayInterval: DECAY_INTERVAL_MS,
    decayToZero: 0.01,
    retainScore: 3600_000,
  };
}
