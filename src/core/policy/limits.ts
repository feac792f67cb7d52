// The ranges every form of a policy (tree, bytes, text) is held to, with the sentences that name a breach.
// Each check returns undefined when the value is in range, or what is wrong.
import { equalBytes, toHex } from '../bytes.js';
import { RuleError } from '../errors.js';
import {
  LOCKTIME_THRESHOLD,
  MAX_RELATIVE_LOCK,
  SEQUENCE_FINAL,
  SEQUENCE_NO_RELATIVE_LOCK,
} from '../params.js';
import { MAX_POLICY_ARITY, type Policy } from './types.js';

export const MAX_AFTER = 0xffff_ffff;

export const badPolicy = (message: string): RuleError => new RuleError('bad-policy', message);

const isInteger = (v: number): boolean => Number.isSafeInteger(v);

/** k of n for `multi` (n keys) and `thresh` (n sub-policies): 1 ≤ k ≤ n ≤ 20. */
export function arityProblem(k: number, n: number): string | undefined {
  if (!isInteger(n) || n < 1) return `n=${n} is below 1`;
  if (n > MAX_POLICY_ARITY) return `n=${n} is above ${MAX_POLICY_ARITY}`;
  if (!isInteger(k) || k < 1) return `k=${k} is below 1`;
  if (k > n) return `k=${k} is above n=${n}`;
  return undefined;
}

/** `after(n)`: 1 ≤ n ≤ 4,294,967,295. */
export function afterProblem(n: number): string | undefined {
  if (!isInteger(n) || n < 1) return `n=${n} is below 1`;
  if (n > MAX_AFTER) return `n=${n} is above ${MAX_AFTER}`;
  return undefined;
}

/** `older(n)`: 1 ≤ n ≤ 65,535. */
export function olderProblem(n: number): string | undefined {
  if (!isInteger(n) || n < 1) return `n=${n} is below 1`;
  if (n > MAX_RELATIVE_LOCK) return `n=${n} is above ${MAX_RELATIVE_LOCK}`;
  return undefined;
}

/**
 * The first key of a `multi` that repeats an earlier one, as "key j repeats key i" (0-based), if any.
 * Pairwise: at most 190 comparisons for 20 keys, and nothing allocated.
 */
export function duplicateKeyProblem(keys: readonly Uint8Array[]): string | undefined {
  for (let j = 1; j < keys.length; j++) {
    for (let i = 0; i < j; i++) if (equalBytes(keys[i]!, keys[j]!)) return `key ${j} repeats key ${i}`;
  }
  return undefined;
}

/** Why `after(n)` is not met by these fields, or undefined when it is. */
export function afterUnmet(n: number, lockTime: number, sequence: number): string | undefined {
  if (sequence === SEQUENCE_FINAL)
    return 'the input sequence is 0xffffffff (final), which disables the lock time';
  const nIsTime = n >= LOCKTIME_THRESHOLD;
  if (nIsTime !== lockTime >= LOCKTIME_THRESHOLD) {
    return nIsTime
      ? `the lock time ${lockTime} is a height, not a time`
      : `the lock time ${lockTime} is a time, not a height`;
  }
  if (lockTime < n) return `the lock time ${lockTime} is below ${n}`;
  return undefined;
}

/** Why `older(n)` is not met by the input's sequence, or undefined when it is. */
export function olderUnmet(n: number, sequence: number): string | undefined {
  if ((sequence & SEQUENCE_NO_RELATIVE_LOCK) !== 0) {
    return `the input sequence 0x${(sequence >>> 0).toString(16).padStart(8, '0')} has no relative lock (bit 31 set)`;
  }
  if (sequence < n) return `the input sequence ${sequence} is below ${n}`;
  return undefined;
}

/** The first 4 hex digits of a key or hash, then "…". */
export const shortHex = (b: Uint8Array): string => `${toHex(b.subarray(0, 2))}…`;

/** A short name for a fragment in messages: "pk(03a1…)", "multi(2 of 3)", "after(1000)", "or". */
export function fragmentLabel(p: Policy): string {
  switch (p.type) {
    case 'pk':
      return `pk(${shortHex(p.key)})`;
    case 'sha256':
      return `sha256(${shortHex(p.hash)})`;
    case 'multi':
      return `multi(${p.k} of ${p.keys.length})`;
    case 'thresh':
      return `thresh(${p.k} of ${p.subs.length})`;
    case 'after':
    case 'older':
      return `${p.type}(${p.n})`;
    default:
      return p.type;
  }
}
