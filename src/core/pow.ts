// Compact "bits" difficulty encoding, proof-of-work check and chain work, as in Bitcoin.
import { bigIntToBytes, bytesToBigInt } from './bytes.js';

/**
 * Decodes compact bits (1 byte exponent, 3 bytes mantissa) into a target.
 * Returns null for encodings Bitcoin calls negative or overflowing: they never name a valid target.
 */
export function bitsToTarget(bits: number): bigint | null {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  if (bits & 0x00800000) return null; // sign bit
  if (mantissa === 0) return 0n;
  const target =
    exponent <= 3
      ? BigInt(mantissa) >> BigInt(8 * (3 - exponent))
      : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target >= 1n << 256n) return null;
  return target;
}

/** Encodes a target as compact bits, truncating to the 3 most significant bytes. */
export function targetToBits(target: bigint): number {
  if (target <= 0n) return 0;
  let size = Math.ceil(target.toString(16).length / 2);
  let mantissa =
    size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  // Keep the sign bit clear: shift the mantissa down and grow the exponent.
  if (mantissa & 0x00800000) {
    mantissa >>= 8;
    size += 1;
  }
  return ((size << 24) | mantissa) >>> 0;
}

export const targetToBytes = (target: bigint): Uint8Array => bigIntToBytes(target, 32);

/** True when the hash, read as a big-endian 256-bit number, is at most the target. */
export function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean {
  return bytesToBigInt(hash) <= target;
}

/** Expected number of hashes to find a block at this target: 2^256 / (target + 1). */
export function workForTarget(target: bigint): bigint {
  return (1n << 256n) / (target + 1n);
}

export function workForBits(bits: number): bigint {
  const target = bitsToTarget(bits);
  return target === null || target === 0n ? 0n : workForTarget(target);
}
