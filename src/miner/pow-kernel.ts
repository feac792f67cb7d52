// Proof-of-work kernels: scan a range of nonces of one block header for a hash at or below a target.
//
// A header is 80 bytes with the nonce as u32 little-endian at bytes 76..80; its hash is
// SHA-256(SHA-256(header)), read as a 256-bit big-endian number, and proof of work holds when
// hash <= target (32 bytes, big-endian). Two implementations give identical results:
//   - 'native': the addon in native/ (OpenSSL's SHA-256 with a midstate), several times faster;
//   - 'js': @noble/hashes' compression function with a midstate, for when the addon is not built.

import { createJsKernel } from './kernels/js-kernel.js';
import { loadNativeKernel } from './kernels/native-kernel.js';

export interface ScanResult {
  /** The first nonce in range order whose hash meets the target, or null. */
  nonce: number | null;
  /** Nonces tried: up to and including the hit, or the whole range. */
  hashes: number;
}

export interface PowKernel {
  readonly name: 'native' | 'js';
  /**
   * Tries nonces startNonce, startNonce+1, ... (`count` of them, cut short at 0xffffffff; never
   * wrapping) in a private copy of `header` and returns the first whose hash <= `target`.
   * Throws on a header that is not 80 bytes, a target that is not 32 bytes, or a bad range.
   * Runs synchronously: off the main thread, or in small counts (NonceSearcher does both).
   */
  scan(header: Uint8Array, target: Uint8Array, startNonce: number, count: number): ScanResult;
}

export function jsPowKernel(): PowKernel {
  return createJsKernel();
}

/** The native kernel; throws an Error saying why when the addon is not built or does not load. */
export function nativePowKernel(): PowKernel {
  return loadNativeKernel();
}

/** Why the native kernel is unavailable, or null when it loads. */
export function nativeUnavailableReason(): string | null {
  try {
    loadNativeKernel();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** True when the environment asks for the JS kernel (HASHLINE_NO_NATIVE=1). */
export function nativeDisabledByEnv(): boolean {
  const flag = process.env.HASHLINE_NO_NATIVE;
  return flag !== undefined && flag !== '' && flag !== '0';
}

/** The native kernel if it loads, else the JS one; `forceJs` or HASHLINE_NO_NATIVE=1 selects JS. */
export function loadPowKernel(opts: { forceJs?: boolean } = {}): PowKernel {
  if (opts.forceJs || nativeDisabledByEnv()) return jsPowKernel();
  try {
    return loadNativeKernel();
  } catch {
    return jsPowKernel();
  }
}
