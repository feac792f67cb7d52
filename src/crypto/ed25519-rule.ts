// The signature acceptance rule's encoding checks (docs/protocol.md, "Signature acceptance rule"), shared
// by every verifier so that the node's, the wallet's and any fallback accept exactly the same signatures.
// Pure: runs in the browser too.

/** The field prime p = 2^255 − 19. */
export const P = 2n ** 255n - 19n;
/** The order L of the prime-order subgroup (and of the base point B). */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** y of the order-8 points of the torsion subgroup (the others are p − Y8, 0, 1 and p − 1). */
export const Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
/** y-coordinates of the 8 points of small order: identity, order 2, the two of order 4, the four of order 8. */
const SMALL_ORDER_Y = new Set([1n, P - 1n, 0n, Y8, P - Y8]);

/** The 255 low bits of a point encoding, read little endian: the y-coordinate as encoded (maybe ≥ p). */
export function encodedY(point: Uint8Array): bigint {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? point[i]! & 0x7f : point[i]!);
  return y;
}

/** S read as an unsigned little-endian number, from the signature's last 32 bytes. */
export function scalarOf(signature: Uint8Array): bigint {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i]!);
  return s;
}

/**
 * True for public keys the rule refuses before any curve arithmetic: a non-canonical y (y ≥ p), or a
 * point of small order, for which a forged signature (R = identity, S = 0) verifies against any message.
 * OpenSSL accepts both, so the node:crypto verifier checks this first.
 */
export function isWeakPublicKey(publicKey: Uint8Array): boolean {
  const y = encodedY(publicKey);
  return y >= P || SMALL_ORDER_Y.has(y);
}

/** libsodium's list of small-order encodings: the y values above, and the non-canonical y = p and p + 1. */
const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [...SMALL_ORDER_Y, P, P + 1n].map((y) => {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number((y >> BigInt(8 * i)) & 0xffn);
  return bytes;
});

/**
 * True when an R encoding is one of libsodium's small-order encodings (whatever the sign bit), which
 * libsodium refuses outright while the rule accepts a canonical one when the equation holds: those
 * signatures go to another verifier. Compares bytes, not numbers: it runs before every libsodium verify.
 */
export function isSmallOrderEncoding(point: Uint8Array): boolean {
  return SMALL_ORDER_ENCODINGS.some((e) => {
    for (let i = 0; i < 31; i++) if (point[i] !== e[i]) return false;
    return (point[31]! & 0x7f) === e[31];
  });
}
