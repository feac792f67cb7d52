// Signature checks packed as 128-byte records (public key 32 | message 32 | signature 64), so that a
// batch crosses to a verifier worker as one buffer. The worker imports only this and its verifier.
import type { SigCheck } from '../core/validation.js';
import type { Verify } from '../crypto/ed25519-sodium.js';

export const CHECK_SIZE = 128;

export function packChecks(checks: readonly SigCheck[]): Uint8Array {
  const out = new Uint8Array(checks.length * CHECK_SIZE);
  checks.forEach((c, i) => {
    if (c.publicKey.length !== 32 || c.message.length !== 32 || c.signature.length !== 64) {
      throw new RangeError('signature checks must have 32-byte keys and messages and 64-byte signatures');
    }
    out.set(c.publicKey, i * CHECK_SIZE);
    out.set(c.message, i * CHECK_SIZE + 32);
    out.set(c.signature, i * CHECK_SIZE + 64);
  });
  return out;
}

/** Index of the first record that `verify` refuses, or -1. */
export function verifyPackedWith(verify: Verify, packed: Uint8Array): number {
  for (let i = 0; i * CHECK_SIZE < packed.length; i++) {
    const o = i * CHECK_SIZE;
    if (
      !verify(packed.subarray(o, o + 32), packed.subarray(o + 32, o + 64), packed.subarray(o + 64, o + 128))
    ) {
      return i;
    }
  }
  return -1;
}
