// The version 2 fields of the API's transaction view in words: a lock time (none, a height or a date)
// and an input's sequence (final, no relative lock, or a relative lock).
export const LOCKTIME_THRESHOLD = 500_000_000;
export const SEQUENCE_FINAL = 0xffff_ffff;
const NO_RELATIVE_LOCK = 0x8000_0000;

/** A lock time in words: none, a block height, or a date (UTC). */
export function lockTimeText(lockTime: number): string {
  if (lockTime === 0) return 'none (0)';
  if (lockTime < LOCKTIME_THRESHOLD) return `block height ${lockTime}`;
  return `${new Date(lockTime * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC (time ${lockTime})`;
}

/** An input's sequence in words: final, no relative lock, or a relative lock of n blocks. */
export function sequenceText(sequence: number): string {
  const hex = `0x${(sequence >>> 0).toString(16).padStart(8, '0')}`;
  if (sequence === SEQUENCE_FINAL) return `${hex} (final: the lock time does not apply)`;
  if ((sequence & NO_RELATIVE_LOCK) !== 0) return `${hex} (no relative lock)`;
  return `${sequence} (relative lock: ${sequence} block${sequence === 1 ? '' : 's'} after the spent coin's)`;
}
