// The verifier of one kind, loaded alone: a verifier worker thread takes the kind its process chose
// (ed25519-node.ts) instead of choosing again, so it does not load @noble/curves for a fallback it will
// not use (two verifier threads took 27 MB instead of 34).
import { verifyOpenSsl } from './ed25519-openssl.js';
import { loadSodiumVerifier, type Verify } from './ed25519-sodium.js';

/** The verifiers the node chooses from, fastest first. */
export type VerifierKind = 'libsodium' | 'node:crypto' | 'noble';

export async function loadVerifierOfKind(kind: VerifierKind): Promise<Verify> {
  if (kind === 'libsodium') return loadSodiumVerifier().verify;
  if (kind === 'node:crypto') return verifyOpenSsl;
  return (await import('./ed25519.js')).verify;
}
