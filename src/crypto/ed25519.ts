// Ed25519 keys and signatures with @noble/curves: runs in the browser and in Node (the wallet's path).
// The node's hot path verifies with node:crypto instead (see ed25519-node.ts); tests check both agree.
import { ed25519 } from '@noble/curves/ed25519.js';

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

export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
