// Ed25519 verification with libsodium through sodium-native (prebuilt binaries in its npm package).
// Pinned to sodium-native 5.1.0, whose libsodium 1.0.21 checks the cofactorless equation like OpenSSL
// (later libsodium checks the cofactored one, a different acceptance set: the probes catch that).
import { createRequire } from 'node:module';
import { verifyOpenSsl } from './ed25519-openssl.js';
import { isSmallOrderEncoding } from './ed25519-rule.js';

interface SodiumNative {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

export type Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface LoadedVerifier {
  readonly name: string;
  readonly verify: Verify;
}

/** Loads sodium-native; throws when its binary cannot load on this platform. */
export function loadSodiumVerifier(): LoadedVerifier {
  const require = createRequire(import.meta.url);
  const sodium = require('sodium-native') as SodiumNative;
  const { version } = require('sodium-native/package.json') as { version: string };
  const verify: Verify = (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    // libsodium refuses every R of small order; the rule accepts a canonical one when the equation
    // holds (R = identity is a nonce of 0). Those rare signatures take the OpenSSL path.
    if (isSmallOrderEncoding(signature.subarray(0, 32))) return verifyOpenSsl(publicKey, message, signature);
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  };
  return { name: `libsodium (sodium-native ${version})`, verify };
}
