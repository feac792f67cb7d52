// Inputs and an independent reference (node:crypto, one nonce at a time) for the PoW kernel tests.
import { createHash } from 'node:crypto';

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** Double SHA-256 of an 80-byte header with the given nonce written at bytes 76..80 (LE). */
export function headerHash(header: Uint8Array, nonce: number): Buffer {
  const copy = Buffer.from(header);
  copy.writeUInt32LE(nonce, 76);
  return sha256(sha256(copy));
}

/** The first nonce in start..start+count-1 (never past 0xffffffff) whose hash <= target, or null. */
export function referenceScan(
  header: Uint8Array,
  target: Uint8Array,
  start: number,
  count: number,
): number | null {
  const end = Math.min(start + count, 2 ** 32);
  for (let nonce = start; nonce < end; nonce++) {
    if (Buffer.compare(headerHash(header, nonce), Buffer.from(target)) <= 0) return nonce;
  }
  return null;
}

/** A deterministic, random-looking header. */
export function testHeader(seed: number): Uint8Array {
  const a = sha256(Buffer.from(`hashline test header ${seed}`));
  const b = sha256(a);
  const header = new Uint8Array(80);
  header.set(a, 0);
  header.set(b, 32);
  header.set(sha256(b).subarray(0, 16), 64);
  return header;
}

/** A target with `zeroBytes` leading zero bytes, then `next`, then 0xff. */
export function targetWith(zeroBytes: number, next: number): Uint8Array {
  const target = new Uint8Array(32).fill(0xff);
  target.fill(0, 0, zeroBytes);
  target[zeroBytes] = next;
  return target;
}

/** Any hash qualifies: the first nonce tried wins. */
export const EASY_TARGET = new Uint8Array(32).fill(0xff);
/** About one hash in 2^14 qualifies: thousands of tries. */
export const MODERATE_TARGET = targetWith(1, 0x03);
/** Only an all-zero hash would qualify. */
export const IMPOSSIBLE_TARGET = new Uint8Array(32);

/** target - 1 as a 32-byte big-endian number (target must not be zero). */
export function minusOne(target: Uint8Array): Uint8Array {
  const out = Uint8Array.from(target);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]-- !== 0) break;
  }
  return out;
}
