// The process-wide crypto choices of a Node process that opens a chain (the full node, the CLI's chain
// tools, the library's openChain): libsodium's SHA-256 for consensus hashing, and the node's Ed25519
// verifier (libsodium, else OpenSSL) for signatures checked on the main thread. Both give the same
// answers as @noble, which a browser keeps; this only makes them faster.
import { setMainThreadVerify } from '../chain/chain.js';
import { verifyNode } from '../crypto/ed25519-node.js';
import { installNativeSha256 } from '../crypto/sha256-native.js';

let installed = false;

export function installNodeCrypto(): void {
  if (installed) return;
  installed = true;
  installNativeSha256();
  setMainThreadVerify(verifyNode);
}
