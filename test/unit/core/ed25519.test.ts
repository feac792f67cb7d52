import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/index.js';
import { generateKeyPair, keyPairFromPrivate, sign, verify } from '../../../src/crypto/ed25519.js';
import { signNode, verifyNode } from '../../../src/crypto/ed25519-node.js';

// RFC 8032, section 7.1, TEST 1 and TEST 2.
const rfc8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const keys = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(keyPairFromPrivate);
const messages = fc.uint8Array({ maxLength: 200 });

describe('Ed25519', () => {
  it.each(rfc8032)('matches RFC 8032 vector $publicKey in both implementations', (v) => {
    const pair = keyPairFromPrivate(fromHex(v.secret));
    expect(toHex(pair.publicKey)).toBe(v.publicKey);
    const msg = fromHex(v.message);
    expect(toHex(sign(msg, pair.privateKey))).toBe(v.signature);
    expect(toHex(signNode(msg, pair.privateKey))).toBe(v.signature);
    expect(verify(pair.publicKey, msg, fromHex(v.signature))).toBe(true);
    expect(verifyNode(pair.publicKey, msg, fromHex(v.signature))).toBe(true);
  });

  it('signs deterministically and identically with noble and node:crypto', () => {
    fc.assert(
      fc.property(keys, messages, (pair, msg) => {
        const a = sign(msg, pair.privateKey);
        const b = signNode(msg, pair.privateKey);
        expect(toHex(a)).toBe(toHex(b));
        expect(toHex(sign(msg, pair.privateKey))).toBe(toHex(a));
      }),
      { numRuns: 40 },
    );
  });

  it('verifies the same way in both implementations, valid or tampered', () => {
    fc.assert(
      fc.property(keys, messages, fc.nat(), (pair, msg, k) => {
        const sig = sign(msg, pair.privateKey);
        expect(verify(pair.publicKey, msg, sig)).toBe(true);
        expect(verifyNode(pair.publicKey, msg, sig)).toBe(true);

        const badSig = sig.slice();
        badSig[k % 64]! ^= 1 << (k % 8);
        expect(verify(pair.publicKey, msg, badSig)).toBe(false);
        expect(verifyNode(pair.publicKey, msg, badSig)).toBe(false);

        const badMsg = new Uint8Array([...msg, 0]);
        expect(verify(pair.publicKey, badMsg, sig)).toBe(false);
        expect(verifyNode(pair.publicKey, badMsg, sig)).toBe(false);

        const otherKey = keyPairFromPrivate(new Uint8Array(32).fill(k & 0xff)).publicKey;
        if (toHex(otherKey) !== toHex(pair.publicKey)) {
          expect(verify(otherKey, msg, sig)).toBe(false);
          expect(verifyNode(otherKey, msg, sig)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('rejects wrong lengths and garbage keys without throwing', () => {
    const pair = keyPairFromPrivate(new Uint8Array(32).fill(3));
    const msg = new Uint8Array([1, 2, 3]);
    const sig = sign(msg, pair.privateKey);
    for (const [pk, s] of [
      [pair.publicKey.subarray(0, 31), sig],
      [pair.publicKey, sig.subarray(0, 63)],
      [new Uint8Array(33), sig],
    ] as const) {
      expect(verify(pk, msg, s)).toBe(false);
      expect(verifyNode(pk, msg, s)).toBe(false);
    }
    // A y coordinate with no point on the curve.
    const offCurve = fromHex(`02${'00'.repeat(31)}`);
    expect(verify(offCurve, msg, sig)).toBe(false);
    expect(verifyNode(offCurve, msg, sig)).toBe(false);
  });

  it('refuses a signature whose s is not reduced (s + L), in both implementations', () => {
    const pair = keyPairFromPrivate(new Uint8Array(32).fill(9));
    const msg = new Uint8Array([7]);
    const sig = sign(msg, pair.privateKey);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const s = littleEndianToBigInt(sig.subarray(32)) + L;
    const malleated = new Uint8Array([...sig.subarray(0, 32), ...bigIntToLittleEndian(s)]);
    expect(verify(pair.publicKey, msg, malleated)).toBe(false);
    expect(verifyNode(pair.publicKey, msg, malleated)).toBe(false);
  });

  // Consensus needs one answer for every (key, message, signature). With a small-order public key the
  // cofactorless check passes for R = identity, s = 0 whatever the message: anyone can "sign". noble
  // (zip215: false) refuses such keys; OpenSSL accepts them. A node verifying with node:crypto and a
  // wallet or second implementation verifying with noble would disagree about a spend of coins locked
  // to such a key's hash. Both must refuse.
  it('refuses forged signatures for small-order and non-canonical public keys, in both implementations', () => {
    const p = 2n ** 255n - 19n;
    const msg = new TextEncoder().encode('anything at all');
    const identity = bigIntToLittleEndian(1n);
    const forged = new Uint8Array(64);
    forged.set(identity); // R = identity, s = 0
    const withSignBit = identity.slice();
    withSignBit[31]! |= 0x80;
    const cases = {
      'identity (order 1)': identity,
      'order 2 (y = -1)': bigIntToLittleEndian(p - 1n),
      'identity, non-canonical y = p + 1': bigIntToLittleEndian(p + 1n),
      'identity, sign bit set on x = 0': withSignBit,
    };
    for (const [name, publicKey] of Object.entries(cases)) {
      expect({ name, noble: verify(publicKey, msg, forged) }).toEqual({ name, noble: false });
      expect({ name, node: verifyNode(publicKey, msg, forged) }).toEqual({ name, node: false });
    }
  });

  // A key's owner can choose R = identity (nonce 0): S = k·a. Both implementations accept the canonical
  // encoding and refuse non-canonical ones, so the owner cannot split them with R either.
  it('agrees on signatures whose R is the identity, canonical or not', () => {
    const p = 2n ** 255n - 19n;
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const { pointBytes: publicKey, scalar } = ed25519.utils.getExtendedPublicKey(new Uint8Array(32).fill(5));
    const msg = new Uint8Array([1, 2, 3]);
    const withSignBit = bigIntToLittleEndian(1n);
    withSignBit[31]! |= 0x80;
    const encodings: Array<[Uint8Array, boolean]> = [
      [bigIntToLittleEndian(1n), true],
      [bigIntToLittleEndian(p + 1n), false],
      [withSignBit, false],
    ];
    for (const [R, valid] of encodings) {
      const k = littleEndianToBigInt(sha512(new Uint8Array([...R, ...publicKey, ...msg]))) % L;
      const sig = new Uint8Array([...R, ...bigIntToLittleEndian((k * scalar) % L)]);
      expect(verify(publicKey, msg, sig)).toBe(valid);
      expect(verifyNode(publicKey, msg, sig)).toBe(valid);
    }
  });

  it('generates distinct random key pairs that sign and verify', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    expect(toHex(a.privateKey)).not.toBe(toHex(b.privateKey));
    const msg = new Uint8Array([1]);
    expect(verifyNode(a.publicKey, msg, sign(msg, a.privateKey))).toBe(true);
    expect(() => keyPairFromPrivate(new Uint8Array(31))).toThrow(TypeError);
  });
});

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function bigIntToLittleEndian(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

describe('isWeakPublicKey', () => {
  it('flags exactly the small-order points among curve points, and non-canonical encodings', async () => {
    const { ed25519 } = await import('@noble/curves/ed25519.js');
    const { isWeakPublicKey } = await import('../../../src/crypto/ed25519-node.js');
    // The 8 torsion points: multiply the order-8 generator of the torsion subgroup found by noble.
    const torsion = [];
    for (let i = 0; i < 8; i++) {
      // Points [k]T for the order-8 point T with y = Y8 and even x.
      const yLe = new Uint8Array(32);
      let y = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
      for (let b = 0; b < 32; b++) {
        yLe[b] = Number(y & 0xffn);
        y >>= 8n;
      }
      const t = ed25519.Point.fromBytes(yLe, false);
      expect(t.isSmallOrder()).toBe(true);
      torsion.push(i === 0 ? ed25519.Point.ZERO : t.multiplyUnsafe(BigInt(i)));
    }
    for (const point of torsion) expect(isWeakPublicKey(point.toBytes())).toBe(true);
    // Ordinary keys are fine.
    for (let i = 1; i < 20; i++) {
      const pub = ed25519.getPublicKey(new Uint8Array(32).fill(i));
      expect(isWeakPublicKey(pub)).toBe(false);
    }
    // y = p (non-canonical encoding of y = 0).
    const nonCanonical = new Uint8Array(32).fill(0xff);
    nonCanonical[0] = 0xed;
    nonCanonical[31] = 0x7f;
    expect(isWeakPublicKey(nonCanonical)).toBe(true);
  });
});
