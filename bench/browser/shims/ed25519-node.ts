// The page's stand-in for src/crypto/ed25519-node.ts (libsodium and node:crypto): the chain's default
// verifier becomes the rule on @noble/curves. Pages pass their own verifier (web/src/node/verifier.ts).
export { verify as verifyNode } from '../../../src/crypto/ed25519.js';

export const nativeDisabledByEnv = (): boolean => true;
