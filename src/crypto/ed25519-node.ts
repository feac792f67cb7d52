// Ed25519 through node:crypto (OpenSSL): several times faster than pure JS, so the node validates with it.
import { createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';

// DER prefix that wraps a raw 32-byte Ed25519 private key into a PKCS#8 structure (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const P = 2n ** 255n - 19n;
// y-coordinates of the 8 points of small order (the torsion subgroup): identity, order 2, order 4, order 8.
const Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const SMALL_ORDER_Y = new Set([1n, P - 1n, 0n, Y8, P - Y8]);

/**
 * True for public keys OpenSSL would accept but RFC 8032's strict reading (and @noble) refuses:
 * a non-canonical y (y >= p), or a point of small order, for which a forged signature (R = identity,
 * S = 0) verifies against any message. Refusing them keeps both verifiers in consensus.
 */
export function isWeakPublicKey(publicKey: Uint8Array): boolean {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? publicKey[i]! & 0x7f : publicKey[i]!);
  return y >= P || SMALL_ORDER_Y.has(y);
}

export function verifyNode(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  if (isWeakPublicKey(publicKey)) return false;
  try {
    // A JWK import of the raw key costs a fraction of the DER (SPKI) parse: measured 1.6x more verifies/s.
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: base64url(publicKey) },
      format: 'jwk',
    });
    return cryptoVerify(null, message, key, signature);
  } catch {
    // OpenSSL rejects public keys that are not valid curve points.
    return false;
  }
}

const base64url = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64url');

export function signNode(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, privateKey]),
    format: 'der',
    type: 'pkcs8',
  });
  return new Uint8Array(cryptoSign(null, message, key));
}
