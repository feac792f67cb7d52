// Argument checks shared by the kernels, so both reject and clamp exactly alike.

export const HEADER_BYTES = 80;
export const TARGET_BYTES = 32;
/** Number of distinct nonces: the nonce is a u32. */
export const NONCE_SPACE = 2 ** 32;

/**
 * Validates a scan request and returns how many nonces it covers: `count`, cut short so the range
 * never wraps past 0xffffffff.
 */
export function checkScanArgs(
  header: Uint8Array,
  target: Uint8Array,
  startNonce: number,
  count: number,
): number {
  if (!(header instanceof Uint8Array) || header.length !== HEADER_BYTES) {
    throw new TypeError(`header must be ${HEADER_BYTES} bytes`);
  }
  if (!(target instanceof Uint8Array) || target.length !== TARGET_BYTES) {
    throw new TypeError(`target must be ${TARGET_BYTES} bytes`);
  }
  if (!Number.isInteger(startNonce) || startNonce < 0 || startNonce >= NONCE_SPACE) {
    throw new RangeError(`startNonce must be an integer in 0..0xffffffff, got ${startNonce}`);
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  return Math.min(count, NONCE_SPACE - startNonce);
}
