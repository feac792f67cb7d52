// Ed25519 keys and signatures with @noble/curves: runs in the browser and in Node (the wallet's path and
// every verifier's reference). The node verifies with a native library instead (ed25519-node.ts);
// test/unit/crypto/ed25519-conformance.test.ts checks that all of them accept exactly the same signatures.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, equalBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { isWeakPublicKey, L, scalarOf } from './ed25519-rule.js';

export interface KeyPair {
  readonly privateKey: Uint8Array; // 32-byte seed
  readonly publicKey: Uint8Array; // 32 bytes
}

export function generateKeyPair(): KeyPair {
  const privateKey = ed25519.utils.randomSecretKey();
  return { privateKey, publicKey: ed25519.getPublicKey(privateKey) };
}

export function keyPairFromPrivate(privateKey: Uint8Array): KeyPair {
  if (privateKey.length !== 32) throw new TypeError('an Ed25519 private key is 32 bytes');
  return { privateKey, publicKey: ed25519.getPublicKey(privateKey) };
}

export const sign = (message: Uint8Array, privateKey: Uint8Array): Uint8Array =>
  ed25519.sign(message, privateKey);

/**
 * The signature acceptance rule of docs/protocol.md, on noble's point arithmetic. Not `ed25519.verify`:
 * that checks the cofactored equation, which accepts signatures whose R has a small-order component
 * that OpenSSL and libsodium (cofactorless) refuse.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  if (isWeakPublicKey(publicKey)) return false;
  const s = scalarOf(signature);
  if (s >= L) return false;
  let A: InstanceType<typeof ed25519.Point>;
  try {
    A = ed25519.Point.fromBytes(publicKey, false); // canonical and on the curve
  } catch {
    return false;
  }
  const R = signature.subarray(0, 32);
  const k = bytesToNumberLE(sha512.create().update(R).update(publicKey).update(message).digest()) % L;
  // Cofactorless: [S]B − [k]A must encode to the signature's R bytes exactly, so R is canonical too.
  const expectedR = ed25519.Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  return equalBytes(expectedR.toBytes(), R);
}
