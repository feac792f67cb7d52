// Every Ed25519 verifier of the project must accept exactly the signatures the rule accepts
// (docs/protocol.md, "Signature acceptance rule"): a verifier that differs splits nodes from wallets.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/index.js';
import { keyPairFromPrivate, sign, verify as verifyWallet } from '../../../src/crypto/ed25519.js';
import { nodeVerifier, verifyNode, verifyOpenSsl } from '../../../src/crypto/ed25519-node.js';
import { RULE_PROBES } from '../../../src/crypto/ed25519-probes.js';
import { loadSodiumVerifier } from '../../../src/crypto/ed25519-sodium.js';
import { packChecks } from '../../../src/node/packed-checks.js';
import { SignatureVerifierPool, verifyPacked } from '../../../src/node/verifier.js';
import { type Library, type SignatureVector, signatureVectors } from './ed25519-vectors.js';

type Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

const sodiumVerifier = loadSodiumVerifier();
const VERIFIERS: Record<string, Verify> = {
  'wallet (noble)': verifyWallet,
  'node:crypto': verifyOpenSsl,
  libsodium: sodiumVerifier.verify,
  verifyNode,
  'packed records': (publicKey, message, signature) =>
    verifyPacked(packChecks([{ publicKey, message, signature, txIndex: 0, inputIndex: 0 }])) === -1,
};

const sodium = createRequire(import.meta.url)('sodium-native') as {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
};
/** The libraries on their own, without the checks the project adds around them. */
const BARE: Record<Library, (v: SignatureVector) => boolean> = {
  'noble-cofactored': (v) => {
    try {
      return ed25519.verify(v.signature, v.message, v.publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  openssl: (v) => {
    try {
      const key = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(v.publicKey).toString('base64url') },
        format: 'jwk',
      });
      return cryptoVerify(null, v.message, key, v.signature);
    } catch {
      return false;
    }
  },
  libsodium: (v) => sodium.crypto_sign_verify_detached(v.signature, v.message, v.publicKey),
};

const vectors = signatureVectors();

describe('Ed25519 edge-case vectors', () => {
  it('cover valid and refused signatures of every class', () => {
    expect(vectors.length).toBeGreaterThan(60);
    expect(vectors.filter((v) => v.valid).length).toBeGreaterThanOrEqual(10);
    for (const lib of Object.keys(BARE) as Library[]) {
      expect(vectors.some((v) => v.libraries.includes(lib))).toBe(true);
    }
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: every verifier gives the rule’s answer', (_, v) => {
    const answers = Object.fromEntries(
      Object.entries(VERIFIERS).map(([name, f]) => [name, f(v.publicKey, v.message, v.signature)]),
    );
    expect(answers).toEqual(Object.fromEntries(Object.keys(VERIFIERS).map((name) => [name, v.valid])));
  });

  // Why each verifier wraps its library: alone, each differs from the rule on exactly these vectors.
  it.each(Object.keys(BARE) as Library[])(
    'bare %s differs from the rule exactly where the vectors say',
    (lib) => {
      const differs = vectors.filter((v) => BARE[lib](v) !== v.valid).map((v) => v.name);
      expect(differs).toEqual(vectors.filter((v) => v.libraries.includes(lib)).map((v) => v.name));
    },
  );

  it('every verifier agrees on random honest and tampered signatures', () => {
    const keys = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(keyPairFromPrivate);
    const messages = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(keys, messages, fc.nat(), (pair, msg, k) => {
        const sig = sign(msg, pair.privateKey);
        const bad = sig.slice();
        bad[k % 64]! ^= 1 << (k % 8);
        for (const [s, valid] of [
          [sig, true],
          [bad, false],
        ] as const) {
          for (const [name, f] of Object.entries(VERIFIERS)) {
            expect({ name, ok: f(pair.publicKey, msg, s) }).toEqual({ name, ok: valid });
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('SignatureVerifierPool on the vectors', () => {
  const pool = new SignatureVerifierPool({ threads: 2 });
  afterAll(() => pool.close());
  const valid = vectors.filter((v) => v.valid);
  const check = (v: SignatureVector, i: number) => ({
    publicKey: v.publicKey,
    message: v.message,
    signature: v.signature,
    txIndex: i,
    inputIndex: 0,
  });

  it('accepts a block of valid vectors and finds each refused one at its index, on worker threads', async () => {
    const block = Array.from({ length: 40 }, (_, i) => check(valid[i % valid.length]!, i));
    expect(await pool.verify(block)).toBe(-1);
    for (const [i, v] of vectors.filter((x) => !x.valid).entries()) {
      const at = (i * 7) % block.length;
      const withBad = block.map((c, j) => (j === at ? check(v, j) : c));
      expect({ name: v.name, bad: await pool.verify(withBad) }).toEqual({ name: v.name, bad: at });
    }
  }, 60_000);

  it('names the library it verifies with', () => {
    expect(pool.implementation).toBe(nodeVerifier.name);
  });
});

describe('the rule probes', () => {
  it('are vectors of the edge-case set, with the same answer', () => {
    const byBytes = new Map(
      vectors.map((v) => [toHex(v.signature) + toHex(v.publicKey) + toHex(v.message), v]),
    );
    for (const p of RULE_PROBES) {
      const v = byBytes.get(p.signature + p.publicKey + p.message);
      expect({ probe: p.name, valid: v?.valid }).toEqual({ probe: p.name, valid: p.valid });
    }
  });
});
