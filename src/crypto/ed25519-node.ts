// The node's Ed25519 verifier: the fastest of libsodium (sodium-native), node:crypto (OpenSSL) and
// @noble/curves that loads here and answers every rule probe as the rule does. All three implement the
// rule of docs/protocol.md ("Signature acceptance rule"); test/unit/crypto checks them on edge cases.
import { fromHex } from '../core/bytes.js';
import { verify as verifyNoble } from './ed25519.js';
import type { VerifierKind } from './ed25519-of-kind.js';
import { verifyOpenSsl } from './ed25519-openssl.js';
import { RULE_PROBES } from './ed25519-probes.js';
import { type LoadedVerifier, loadSodiumVerifier, type Verify } from './ed25519-sodium.js';

export { signNode, verifyOpenSsl } from './ed25519-openssl.js';
export { isWeakPublicKey } from './ed25519-rule.js';

export interface NodeVerifier extends LoadedVerifier {
  /** Which one it is (a worker thread loads the same: ed25519-of-kind.ts). */
  readonly kind: VerifierKind;
  /** Why each faster verifier was passed over, in order of preference. */
  readonly skipped: readonly string[];
}

/** The first probe a verifier answers differently from the rule, or null. */
export function probeDisagreement(verify: Verify): string | null {
  for (const p of RULE_PROBES) {
    let answer: boolean;
    try {
      answer = verify(fromHex(p.publicKey), fromHex(p.message), fromHex(p.signature));
    } catch {
      answer = !p.valid;
    }
    if (answer !== p.valid) return p.name;
  }
  return null;
}

const loadOpenSslVerifier = (): LoadedVerifier => ({
  name: `node:crypto (OpenSSL ${process.versions.openssl})`,
  verify: verifyOpenSsl,
});

/** HASHLINE_NO_NATIVE=1 (the flag that also turns off the native mining kernel) keeps to node:crypto. */
export function nativeDisabledByEnv(): boolean {
  const flag = process.env.HASHLINE_NO_NATIVE;
  return flag !== undefined && flag !== '' && flag !== '0';
}

export function selectVerifier(
  opts: { noNative?: boolean; loadNative?: () => LoadedVerifier; loadOpenSsl?: () => LoadedVerifier } = {},
): NodeVerifier {
  const skipped: string[] = [];
  const candidates: Array<[VerifierKind, () => LoadedVerifier]> = [];
  if (opts.noNative) skipped.push('libsodium: HASHLINE_NO_NATIVE is set');
  else candidates.push(['libsodium', opts.loadNative ?? loadSodiumVerifier]);
  candidates.push(['node:crypto', opts.loadOpenSsl ?? loadOpenSslVerifier]);
  for (const [kind, load] of candidates) {
    let loaded: LoadedVerifier;
    try {
      loaded = load();
    } catch (e) {
      skipped.push(`${kind}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const wrong = probeDisagreement(loaded.verify);
    if (wrong === null) return { ...loaded, kind, skipped };
    skipped.push(`${loaded.name}: answers the rule probe "${wrong}" differently`);
  }
  return { name: '@noble/curves', kind: 'noble', verify: verifyNoble, skipped };
}

/** Chosen once per process, at first import (a verifier worker thread loads the same kind: ed25519-of-kind.ts). */
export const nodeVerifier: NodeVerifier = selectVerifier({ noNative: nativeDisabledByEnv() });
const selected = nodeVerifier.verify;

export function verifyNode(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return selected(publicKey, message, signature);
}
