// The browser node's signature verifier: the acceptance rule of docs/protocol.md ("Signature acceptance
// rule") on WebCrypto's Ed25519 where the browser has it, else on @noble/curves (src/crypto/ed25519.ts).
// WebCrypto is BoringSSL in Chromium (OpenSSL-like: cofactorless, R compared as bytes), so it takes the
// same guards as the node:crypto verifier (src/crypto/ed25519-openssl.ts): weak public keys and S ≥ L are
// refused before the library sees them. At start it answers the rule probes (src/crypto/ed25519-probes.ts)
// with WebCrypto and falls back to noble if any answer differs or WebCrypto throws.

import type { SignatureVerifier } from '../../../src/chain/connect.js';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import type { SigCheck } from '../../../src/core/connect-rules.js';
import { verify as verifyNoble } from '../../../src/crypto/ed25519.js';
import { RULE_PROBES } from '../../../src/crypto/ed25519-probes.js';
import { isWeakPublicKey, L, scalarOf } from '../../../src/crypto/ed25519-rule.js';

export interface BrowserVerifier {
  /** 'WebCrypto Ed25519' or '@noble/curves', with why WebCrypto was passed over. */
  readonly name: string;
  readonly verify: SignatureVerifier;
}

type AsyncVerify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

const ED25519 = { name: 'Ed25519' } as const;
/** Imported keys kept for reuse (a block's inputs often share keys); cleared whole when full. */
const KEY_CACHE_LIMIT = 1024;
/** Checks in flight at once: enough to keep the browser's crypto thread busy, bounded for memory. */
const CONCURRENCY = 64;

/** WebCrypto verify with the rule's own checks first: the library alone accepts weak keys. */
export function webCryptoVerify(subtle: SubtleCrypto): AsyncVerify {
  const keys = new Map<string, Promise<CryptoKey>>();
  const importKey = (publicKey: Uint8Array): Promise<CryptoKey> => {
    const id = toHex(publicKey);
    let key = keys.get(id);
    if (!key) {
      if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
      key = subtle.importKey('raw', copy(publicKey), ED25519, false, ['verify']);
      keys.set(id, key);
      // A key the browser refuses (not a curve point) is not kept.
      key.catch(() => keys.delete(id));
    }
    return key;
  };
  return async (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    if (isWeakPublicKey(publicKey)) return false;
    if (scalarOf(signature) >= L) return false;
    try {
      return await subtle.verify(ED25519, await importKey(publicKey), copy(signature), copy(message));
    } catch {
      return false; // not a point on the curve, or the browser refuses the key
    }
  };
}

/** The first rule probe `verify` answers differently from the rule, or null. */
export async function probeDisagreement(verify: AsyncVerify): Promise<string | null> {
  for (const p of RULE_PROBES) {
    let answer: boolean;
    try {
      answer = await verify(fromHex(p.publicKey), fromHex(p.message), fromHex(p.signature));
    } catch {
      answer = !p.valid;
    }
    if (answer !== p.valid) return p.name;
  }
  return null;
}

/** A SignatureVerifier (index of the first bad check, or -1) over a per-signature verify. */
export function batchVerifier(verify: AsyncVerify): SignatureVerifier {
  return async (checks: readonly SigCheck[]) => {
    for (let from = 0; from < checks.length; from += CONCURRENCY) {
      const slice = checks.slice(from, from + CONCURRENCY);
      const answers = await Promise.all(slice.map((c) => verify(c.publicKey, c.message, c.signature)));
      const bad = answers.indexOf(false);
      if (bad >= 0) return from + bad;
    }
    return -1;
  };
}

const nobleAsync: AsyncVerify = async (publicKey, message, signature) =>
  verifyNoble(publicKey, message, signature);

/**
 * The browser node's verifier: WebCrypto when `subtle` (default: the page's; null: none) has Ed25519 and
 * answers every rule probe as the rule does, else @noble/curves.
 */
export async function createBrowserVerifier(
  subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
): Promise<BrowserVerifier> {
  let why = 'no WebCrypto';
  if (subtle) {
    const web = webCryptoVerify(subtle);
    try {
      // A browser without Ed25519 in WebCrypto throws NotSupportedError here: say so, not "a probe differs".
      await subtle.importKey('raw', copy(fromHex(RULE_PROBES[0]!.publicKey)), ED25519, false, ['verify']);
      const wrong = await probeDisagreement(web);
      if (wrong === null) return { name: 'WebCrypto Ed25519', verify: batchVerifier(web) };
      why = `WebCrypto answers the rule probe "${wrong}" differently`;
    } catch (e) {
      why = `WebCrypto Ed25519 failed: ${(e as Error).message}`;
    }
  }
  return { name: `@noble/curves (${why})`, verify: batchVerifier(nobleAsync) };
}

/** A copy in its own ArrayBuffer: WebCrypto takes BufferSource, and a view may cover a larger buffer. */
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
