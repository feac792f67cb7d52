// Which library the node verifies with: the fastest that loads and answers every rule probe as the rule.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createRequire } from 'node:module';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, describe, expect, it } from 'vitest';
import { verify as verifyWallet } from '../../../src/crypto/ed25519.js';
import {
  nativeDisabledByEnv,
  nodeVerifier,
  probeDisagreement,
  selectVerifier,
  verifyOpenSsl,
} from '../../../src/crypto/ed25519-node.js';

const sodium = createRequire(import.meta.url)('sodium-native') as {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
};
const bareSodium = {
  name: 'bare libsodium',
  verify: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => sodium.crypto_sign_verify_detached(s, m, pk),
};
const cofactored = {
  name: 'cofactored noble',
  verify: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => ed25519.verify(s, m, pk, { zip215: false }),
};
const bareOpenSsl = {
  name: 'bare OpenSSL',
  verify: (pk: Uint8Array, m: Uint8Array, s: Uint8Array) =>
    cryptoVerify(
      null,
      m,
      createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pk).toString('base64url') },
        format: 'jwk',
      }),
      s,
    ),
};

describe('selectVerifier', () => {
  it('picks libsodium here unless HASHLINE_NO_NATIVE is set', () => {
    if (nativeDisabledByEnv()) expect(nodeVerifier.name).toMatch(/^node:crypto/);
    else
      expect({ name: nodeVerifier.name, skipped: nodeVerifier.skipped }).toEqual({
        name: expect.stringMatching(/^libsodium \(sodium-native 5\.1\.0\)$/),
        skipped: [],
      });
  });

  it('keeps to node:crypto when native code is turned off', () => {
    const v = selectVerifier({ noNative: true, loadNative: () => bareSodium });
    expect(v.name).toMatch(/^node:crypto \(OpenSSL /);
    expect(v.verify).toBe(verifyOpenSsl);
    expect(v.skipped).toEqual(['libsodium: HASHLINE_NO_NATIVE is set']);
  });

  it('falls back to node:crypto when the native package does not load', () => {
    const v = selectVerifier({
      loadNative: () => {
        throw new Error("Cannot find module 'sodium-native'\nRequire stack: …");
      },
    });
    expect(v.name).toMatch(/^node:crypto/);
    expect(v.skipped).toEqual(["libsodium: Cannot find module 'sodium-native'"]);
  });

  it('passes over a library whose acceptance set differs from the rule', () => {
    expect(selectVerifier({ loadNative: () => cofactored }).skipped).toEqual([
      'cofactored noble: answers the rule probe "mixed-order A, [k]T ≠ 0" differently',
    ]);
    expect(selectVerifier({ loadNative: () => bareSodium }).skipped).toEqual([
      'bare libsodium: answers the rule probe "R = identity (canonical), S = k·a" differently',
    ]);
  });

  it('ends with noble when neither native library conforms', () => {
    const v = selectVerifier({ loadNative: () => bareSodium, loadOpenSsl: () => bareOpenSsl });
    expect(v.name).toBe('@noble/curves');
    expect(v.verify).toBe(verifyWallet);
    expect(v.skipped).toEqual([
      'bare libsodium: answers the rule probe "R = identity (canonical), S = k·a" differently',
      'bare OpenSSL: answers the rule probe "small-order A, small-order R, S = 0" differently',
    ]);
  });
});

describe('probeDisagreement', () => {
  it('finds nothing wrong with the project’s verifiers and counts a throw as a wrong answer', () => {
    expect(probeDisagreement(verifyWallet)).toBeNull();
    expect(probeDisagreement(verifyOpenSsl)).toBeNull();
    expect(probeDisagreement(nodeVerifier.verify)).toBeNull();
    expect(
      probeDisagreement(() => {
        throw new Error('boom');
      }),
    ).toBe('an honest signature');
  });
});

describe('nativeDisabledByEnv', () => {
  const saved = process.env.HASHLINE_NO_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.HASHLINE_NO_NATIVE;
    else process.env.HASHLINE_NO_NATIVE = saved;
  });

  it('reads HASHLINE_NO_NATIVE like the mining kernel does', () => {
    for (const [value, off] of [
      ['1', true],
      ['yes', true],
      ['0', false],
      ['', false],
    ] as const) {
      process.env.HASHLINE_NO_NATIVE = value;
      expect({ value, off: nativeDisabledByEnv() }).toEqual({ value, off });
    }
    delete process.env.HASHLINE_NO_NATIVE;
    expect(nativeDisabledByEnv()).toBe(false);
  });
});
