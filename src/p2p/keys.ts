// The node's libp2p identity: an Ed25519 key whose public half is the peer id. Persisting
// it keeps the peer id (and so other nodes' address books) valid across restarts. Portable: the
// node's key file is key-file.ts, the browser node keeps its key in the store.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';

export type PeerKey = PrivateKey;

export function generatePeerKey(): Promise<PeerKey> {
  return generateKeyPair('Ed25519');
}

/** libp2p's protobuf encoding of the key (what go-/js-libp2p store on disk). */
export function serializePeerKey(key: PeerKey): Uint8Array {
  return privateKeyToProtobuf(key);
}

export function parsePeerKey(bytes: Uint8Array): PeerKey {
  return privateKeyFromProtobuf(bytes);
}

export function peerIdOf(key: PeerKey): string {
  // For Ed25519 keys the peer id is the base58btc identity multihash of the public key.
  return key.publicKey.toString();
}
