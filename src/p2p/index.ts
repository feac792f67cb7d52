// Public face of the peer-to-peer layer.
export { ProtocolError } from './codec.js';
export { blockHashOf, prevHashOf } from './header.js';
export { resolveHttpPeer } from './http-peer.js';
export { loadOrCreatePeerKey } from './key-file.js';
export {
  generatePeerKey,
  type PeerKey,
  parsePeerKey,
  peerIdOf,
  serializePeerKey,
} from './keys.js';
export { parseCidr } from './netgroup.js';
export { IncompatiblePeerError, P2PNetwork, type P2PNetworkOptions, P2PPortInUseError } from './network.js';
export { LIMITS, protocolIds } from './protocol.js';
export { MAX_SCORE, PENALTY } from './scoring.js';
export type {
  AnchorStore,
  BanInfo,
  BanStore,
  ChainAccess,
  ChainTip,
  HeadersVerdict,
  KnownPeer,
  P2PEvents,
  P2PLogger,
  PeerInfo,
  PeerStatus,
  RelayEvent,
  SubmitResult,
  SubmitStatus,
  SyncProgress,
  SyncStatus,
} from './types.js';
