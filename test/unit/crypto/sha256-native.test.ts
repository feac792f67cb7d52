// The node's SHA-256 (libsodium) and the browser's (@noble/hashes) must be the same function: every
// txid, Merkle root and header hash depends on it.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { setSha256, sha256, sha256d, sha256Name } from '../../../src/core/hash.js';
import { installNativeSha256 } from '../../../src/crypto/sha256-native.js';

/** Deterministic bytes (a linear congruential generator): the same inputs on every run. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('SHA-256 on the node', () => {
  it('installs libsodium, which agrees with @noble/hashes on every length and on views', () => {
    expect(installNativeSha256()).toMatch(/^libsodium \(sodium-native [\d.]+\)$/);
    expect(sha256Name()).toMatch(/^libsodium/);
    for (let length = 0; length <= 300; length++) {
      const buffer = bytesOf(length + 9, length);
      // A view 5 bytes into a larger buffer, as decoded transactions are.
      const view = buffer.subarray(5, 5 + length);
      expect(toHex(sha256(view)), `length ${length}`).toBe(toHex(nobleSha256(view)));
      expect(toHex(sha256d(view))).toBe(toHex(nobleSha256(nobleSha256(view))));
    }
  });

  it('refuses an implementation that gets a vector wrong, and keeps the one in use', () => {
    const before = sha256Name();
    // Hashes the whole underlying buffer instead of the view: a real binding mistake.
    const wholeBuffer = (data: Uint8Array) => nobleSha256(new Uint8Array(data.buffer));
    expect(() => setSha256(wholeBuffer, 'broken')).toThrow(/does not compute SHA-256/);
    expect(() => setSha256((d) => nobleSha256(d).slice(0, 31), 'short')).toThrow(/does not compute SHA-256/);
    expect(sha256Name()).toBe(before);
    expect(toHex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
