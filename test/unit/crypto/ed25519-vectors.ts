// Edge cases of Ed25519 verification, built with noble's point arithmetic (the classes of "Taming the many
// EdDSAs", Chalkias et al. 2020, and more). Each vector's `valid` follows from how it is built and from the
// rule in docs/protocol.md ("Signature acceptance rule"), never from running a verifier. `libraries` names
// the bare libraries whose own answer is the opposite, which is why each verifier wraps its library.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { L, P, Y8 } from '../../../src/crypto/ed25519-rule.js';

type Point = InstanceType<typeof ed25519.Point>;
const { BASE, ZERO } = ed25519.Point;

/** A bare library whose own verify differs from the rule on a vector. */
export type Library = 'noble-cofactored' | 'openssl' | 'libsodium';

export interface SignatureVector {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array; // always 32 bytes, as a sighash
  readonly signature: Uint8Array;
  readonly valid: boolean;
  readonly libraries: readonly Library[];
}

const text = (s: string) => new TextEncoder().encode(s);
const messageFor = (i: number) => sha256(text(`vector message ${i}`));
const nonce = (label: string) => bytesToNumberLE(sha512(text(`nonce ${label}`))) % L;
const le32 = (n: bigint) => numberToBytesLE(n, 32);
const concat = (a: Uint8Array, b: Uint8Array) => new Uint8Array([...a, ...b]);

function challenge(R: Uint8Array, A: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberLE(sha512(new Uint8Array([...R, ...A, ...message]))) % L;
}

/** The 8 points of small order: [i]T for the order-8 point T with y = Y8 and even x. */
const T8 = ed25519.Point.fromBytes(le32(Y8), false);
const TORSION: readonly Point[] = Array.from({ length: 8 }, (_, i) =>
  i === 0 ? ZERO : T8.multiplyUnsafe(BigInt(i)),
);
/** k·T for a point T of small order. */
const torsionTimes = (t: Point, k: bigint): Point => (k % 8n === 0n ? ZERO : t.multiplyUnsafe(k % 8n));

interface Key {
  readonly a: bigint; // secret scalar of the prime-order part
  readonly A: Uint8Array; // encoded public key
}

function honestKey(seed: number): Key {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(new Uint8Array(32).fill(seed));
  return { a: scalar, A: pointBytes };
}

/** A key [a]B + t: its owner knows a, and t is a point of small order. */
function mixedKey(seed: number, t: Point): Key {
  const a = nonce(`mixed key ${seed}`);
  return { a, A: BASE.multiplyUnsafe(a).add(t).toBytes() };
}

/** R | S with S = r + k·a mod L over the given R bytes: the signing equation, whatever R is. */
function signWith(key: Key, R: Uint8Array, r: bigint, message: Uint8Array): Uint8Array {
  const k = challenge(R, key.A, message);
  return concat(R, le32((r + k * key.a) % L));
}

/** The first message, by index in [0, 256), for which `build` returns a signature. */
function search(build: (message: Uint8Array) => Uint8Array | undefined): {
  message: Uint8Array;
  signature: Uint8Array;
} {
  for (let i = 0; i < 256; i++) {
    const message = messageFor(i);
    const signature = build(message);
    if (signature) return { message, signature };
  }
  throw new Error('no message found in 256 tries');
}

/** The first y ≥ start (as encoded, maybe ≥ p) that has a curve point or, with `onCurve` false, that has none. */
function yWithCurvePoint(start: bigint, onCurve: boolean): Uint8Array {
  for (let y = start; y < start + 64n; y++) {
    const bytes = le32(y);
    let decodes = true;
    try {
      ed25519.Point.fromBytes(bytes, true); // zip215: decodes y ≥ p too
    } catch {
      decodes = false;
    }
    if (decodes === onCurve) return bytes;
  }
  throw new Error('no such y in 64 tries');
}

const vector = (
  name: string,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  valid: boolean,
  libraries: Library[] = [],
): SignatureVector => ({ name, publicKey, message, signature, valid, libraries });

function honestVectors(): SignatureVector[] {
  const out: SignatureVector[] = [];
  for (let seed = 1; seed <= 4; seed++) {
    const secret = new Uint8Array(32).fill(seed);
    const m = messageFor(seed);
    const sig = ed25519.sign(m, secret);
    const A = ed25519.getPublicKey(secret);
    out.push(vector(`valid: honest signature ${seed}`, A, m, sig, true));
    if (seed > 1) continue;
    out.push(vector('wrong message', A, messageFor(99), sig, false));
    out.push(vector('another key', ed25519.getPublicKey(new Uint8Array(32).fill(77)), m, sig, false));
    out.push(vector('sign bit of A flipped (the negated key)', flipBit(A, 255), m, sig, false));
    out.push(vector('a bit of R flipped', A, m, flipBit(sig, 3), false));
    out.push(vector('a bit of S flipped', A, m, flipBit(sig, 32 * 8 + 5), false));
    const s = bytesToNumberLE(sig.subarray(32));
    const R = sig.subarray(0, 32);
    out.push(vector('S + L (not reduced, same residue)', A, m, concat(R, le32(s + L)), false));
    out.push(vector('S + 8L (not reduced, same residue)', A, m, concat(R, le32(s + 8n * L)), false));
    out.push(vector('S = L', A, m, concat(R, le32(L)), false));
    out.push(vector('S = 2^256 − 1', A, m, concat(R, new Uint8Array(32).fill(0xff)), false));
    out.push(vector('R not on the curve', A, m, concat(yWithCurvePoint(2n, false), sig.subarray(32)), false));
    const nonCanonicalR = yWithCurvePoint(P + 2n, true); // y − p in 2..18: a point not of small order
    out.push(
      vector(
        'R a non-canonical encoding (y ≥ p) of an ordinary point',
        A,
        m,
        concat(nonCanonicalR, sig.subarray(32)),
        false,
      ),
    );
  }
  return out;
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** R = −[k]A among the small-order points, S = 0: for a key A of small order, [S]B = R + [k]A holds. */
function forgeForSmallOrderKey(A: Uint8Array, point: Point) {
  return search((m) => {
    const R = TORSION.find((t) =>
      torsionTimes(point, challenge(t.toBytes(), A, m))
        .negate()
        .equals(t),
    );
    return R && concat(R.toBytes(), le32(0n));
  });
}

/** Small-order and non-canonical public keys, with signatures for which the cofactorless equation holds. */
function weakKeyVectors(): SignatureVector[] {
  const out: SignatureVector[] = [];
  TORSION.forEach((t, i) => {
    const A = t.toBytes();
    const forged = forgeForSmallOrderKey(A, t); // "Taming" vector 0
    out.push(
      vector(`small-order A = [${i}]T, small-order R, S = 0`, A, forged.message, forged.signature, false, [
        'openssl',
      ]),
    );
    // R = [r]B + T' with T' = −[k]A, S = r ("Taming" vector 1).
    const r = nonce(`small-order key ${i}`);
    const withR = search((m) => {
      const tj = TORSION.find((u) =>
        torsionTimes(t, challenge(BASE.multiplyUnsafe(r).add(u).toBytes(), A, m))
          .negate()
          .equals(u),
      );
      return tj && concat(BASE.multiplyUnsafe(r).add(tj).toBytes(), le32(r));
    });
    out.push(
      vector(`small-order A = [${i}]T, R = [r]B + T', S = r`, A, withR.message, withR.signature, false, [
        'openssl',
      ]),
    );
  });
  const identitySignBit = le32(1n);
  identitySignBit[31]! |= 0x80;
  const minusOneSignBit = le32(P - 1n);
  minusOneSignBit[31]! |= 0x80;
  const nonCanonical: Array<[string, Uint8Array]> = [
    ['A = p + 1 (the identity, y not reduced)', le32(P + 1n)],
    ['A = p (y = 0 not reduced, order 4)', le32(P)],
    ['A = identity with the sign bit set on x = 0', identitySignBit],
    ['A = (0, −1) with the sign bit set on x = 0', minusOneSignBit],
  ];
  for (const [name, A] of nonCanonical) {
    const forged = forgeForSmallOrderKey(A, ed25519.Point.fromBytes(A, true));
    out.push(
      vector(`non-canonical ${name}, forged signature`, A, forged.message, forged.signature, false, [
        'openssl',
      ]),
    );
  }
  const honest = ed25519.sign(messageFor(1), new Uint8Array(32).fill(1));
  out.push(
    vector(
      'A a non-canonical encoding (y ≥ p) of an ordinary point',
      yWithCurvePoint(P + 2n, true),
      messageFor(1),
      honest,
      false,
    ),
  );
  out.push(vector('A not on the curve', yWithCurvePoint(2n, false), messageFor(1), honest, false));
  return out;
}

/** Keys [a]B + T with T of order 8, 4 and 2, signed honestly: only the cofactored equation ignores T. */
function mixedKeyVectors(): SignatureVector[] {
  const out: SignatureVector[] = [];
  for (const i of [1, 2, 4]) {
    const key = mixedKey(i, TORSION[i]!);
    const r = nonce(`mixed key signature ${i}`);
    const R = BASE.multiplyUnsafe(r).toBytes();
    const order = 8 / i;
    for (const killed of [false, true]) {
      const found = search((m) => {
        const kT = torsionTimes(TORSION[i]!, challenge(R, key.A, m));
        return kT.equals(ZERO) === killed ? signWith(key, R, r, m) : undefined;
      });
      out.push(
        killed
          ? vector(
              `valid: mixed-order A (T of order ${order}), k a multiple of ${order}`,
              key.A,
              found.message,
              found.signature,
              true,
            )
          : vector(
              `mixed-order A (T of order ${order}), [k]T ≠ 0 ("Taming" 4)`,
              key.A,
              found.message,
              found.signature,
              false,
              ['noble-cofactored'],
            ),
      );
    }
  }
  return out;
}

/** Prime-order key, R = [r]B + T_j: the cofactorless equation is off by T_j ("Taming" vector 5). */
function mixedRVectors(): SignatureVector[] {
  const key = honestKey(5);
  const m = messageFor(5);
  return TORSION.slice(1).map((t, j) => {
    const r = nonce(`mixed R ${j}`);
    const sig = signWith(key, BASE.multiplyUnsafe(r).add(t).toBytes(), r, m);
    return vector(`prime-order A, R = [r]B + [${j + 1}]T`, key.A, m, sig, false, ['noble-cofactored']);
  });
}

/** R of small order, with S = k·a (a nonce of 0 and its torsion relatives). */
function smallOrderRVectors(): SignatureVector[] {
  const out: SignatureVector[] = [];
  const key = honestKey(6);
  const m = messageFor(6);
  const identity = le32(1n);
  out.push(
    vector(
      'valid: prime-order A, R = identity (canonical), S = k·a',
      key.A,
      m,
      signWith(key, identity, 0n, m),
      true,
      ['libsodium'],
    ),
  );
  const identitySignBit = identity.slice();
  identitySignBit[31]! |= 0x80;
  out.push(
    vector(
      'prime-order A, R = identity encoded as p + 1',
      key.A,
      m,
      signWith(key, le32(P + 1n), 0n, m),
      false,
    ),
  );
  out.push(
    vector(
      'prime-order A, R = identity with the sign bit set',
      key.A,
      m,
      signWith(key, identitySignBit, 0n, m),
      false,
    ),
  );
  TORSION.slice(1).forEach((t, j) => {
    out.push(
      vector(`prime-order A, R = [${j + 1}]T, S = k·a`, key.A, m, signWith(key, t.toBytes(), 0n, m), false, [
        'noble-cofactored',
      ]),
    );
  });
  const mixed = mixedKey(7, T8);
  const r = nonce('mixed R with mixed key');
  for (const holds of [true, false]) {
    // R = T_j: holds iff T_j = −[k]T ("Taming" vector 2).
    const small = search((msg) => {
      const tj = TORSION.find(
        (u) =>
          torsionTimes(T8, challenge(u.toBytes(), mixed.A, msg))
            .negate()
            .equals(u) === holds,
      );
      return tj && signWith(mixed, tj.toBytes(), 0n, msg);
    });
    out.push(
      holds
        ? vector(
            'valid: mixed-order A, R of small order = −[k]T',
            mixed.A,
            small.message,
            small.signature,
            true,
            ['libsodium'],
          )
        : vector('mixed-order A, R of small order ≠ −[k]T', mixed.A, small.message, small.signature, false, [
            'noble-cofactored',
          ]),
    );
    // R = [r]B + T_j: holds iff T_j = −[k]T ("Taming" vectors 3 and 4).
    const both = search((msg) => {
      const tj = TORSION.find((u) => {
        const Rb = BASE.multiplyUnsafe(r).add(u).toBytes();
        return (
          torsionTimes(T8, challenge(Rb, mixed.A, msg))
            .negate()
            .equals(u) === holds
        );
      });
      return tj && signWith(mixed, BASE.multiplyUnsafe(r).add(tj).toBytes(), r, msg);
    });
    out.push(
      holds
        ? vector(
            'valid: mixed-order A and R, torsion parts cancel',
            mixed.A,
            both.message,
            both.signature,
            true,
          )
        : vector(
            'mixed-order A and R, torsion parts do not cancel',
            mixed.A,
            both.message,
            both.signature,
            false,
            ['noble-cofactored'],
          ),
    );
  }
  // R = p + 1 (the identity, not reduced) for a mixed key with [k]T = 0: [S]B − [k]A is the identity, but
  // its encoding is not R's ("Taming" vector 8's class).
  const noncanon = search((msg) => {
    const R = le32(P + 1n);
    return torsionTimes(T8, challenge(R, mixed.A, msg)).equals(ZERO)
      ? signWith(mixed, R, 0n, msg)
      : undefined;
  });
  out.push(
    vector(
      'mixed-order A, R = identity encoded as p + 1, [k]T = 0',
      mixed.A,
      noncanon.message,
      noncanon.signature,
      false,
    ),
  );
  return out;
}

let cached: SignatureVector[] | undefined;

/** Every vector, built once (deterministic: same bytes every run). */
export function signatureVectors(): SignatureVector[] {
  cached ??= [
    ...honestVectors(),
    ...weakKeyVectors(),
    ...mixedKeyVectors(),
    ...mixedRVectors(),
    ...smallOrderRVectors(),
  ];
  return cached;
}
