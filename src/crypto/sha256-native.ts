// libsodium's SHA-256 (sodium-native, already the node's Ed25519 verifier) for consensus hashing on
// the node: a txid, a sighash or a Merkle node costs one native call instead of a JS hash object.
// The browser keeps @noble/hashes; both compute the same function (core/hash.ts checks vectors).
import { createRequire } from 'node:module';
import { setSha256, sha256Name } from '../core/hash.js';
import { nativeDisabledByEnv } from './ed25519-node.js';

interface SodiumHash {
  crypto_hash_sha256(out: Uint8Array, input: Uint8Array): void;
}

let tried = false;

/**
 * Installs libsodium's SHA-256 into core/hash.ts once per process (unless HASHLINE_NO_NATIVE is set
 * or sodium-native does not load); returns the name of the SHA-256 in use either way.
 */
export function installNativeSha256(): string {
  if (tried) return sha256Name();
  tried = true;
  if (nativeDisabledByEnv()) return sha256Name();
  try {
    const require = createRequire(import.meta.url);
    const sodium = require('sodium-native') as SodiumHash;
    const { version } = require('sodium-native/package.json') as { version: string };
    // Inputs of up to 64 bytes (hashes, Merkle pairs) live inside V8's heap, and handing one to a
    // native call makes V8 move it out first; copying it into a buffer kept outside is cheaper.
    // Digests come back as fresh 32-byte arrays: the shared ones are overwritten by the next call.
    const input = new Uint8Array(new ArrayBuffer(64));
    const first = new Uint8Array(new ArrayBuffer(32));
    const second = new Uint8Array(new ArrayBuffer(32));
    const outside = (data: Uint8Array): Uint8Array => {
      if (data.length > 64) return data;
      input.set(data);
      return input.subarray(0, data.length);
    };
    const once = (data: Uint8Array): Uint8Array => {
      sodium.crypto_hash_sha256(first, outside(data));
      return first.slice();
    };
    const twice = (data: Uint8Array): Uint8Array => {
      sodium.crypto_hash_sha256(first, outside(data));
      sodium.crypto_hash_sha256(second, first);
      return second.slice();
    };
    setSha256(once, `libsodium (sodium-native ${version})`, twice);
  } catch {
    // Not loadable here: @noble/hashes stays, with the same results.
  }
  return sha256Name();
}
