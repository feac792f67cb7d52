// How long a chain of unconfirmed transactions may grow: Bitcoin Core's ancestor and descendant limits.
// They bound the work every graph walk of the pool does (admission, eviction, block templates).
import { RuleError } from '../core/errors.js';
import type { Tx } from '../core/tx.js';
import type { MempoolEntry, PoolState } from './pool-state.js';

/** The limits, in one place (docs/protocol.md, "Mempool policy", repeats them). */
export const CHAIN_LIMITS = {
  /** In-pool ancestors of a transaction, itself included. */
  ancestorCount: 25,
  /** Serialized bytes of those ancestors, itself included. */
  ancestorBytes: 101_000,
  /** In-pool descendants of any pool transaction, itself included. */
  descendantCount: 25,
  /** Serialized bytes of those descendants, itself included. */
  descendantBytes: 101_000,
} as const;

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Throws `too-long-mempool-chain` if `tx` (of `size` bytes), entering `pool`, would have too many
 * ancestors or ancestor bytes, or would give one of its ancestors too many descendants or descendant
 * bytes. The walks stop as soon as a limit is passed, so their cost is bounded by the limits (plus
 * the `leaving` entries: those a replacement evicts, which do not count).
 */
export function checkChainLimits(
  pool: PoolState,
  tx: Tx,
  size: number,
  leaving: ReadonlySet<MempoolEntry> = new Set(),
): void {
  const L = CHAIN_LIMITS;
  const ancestors = pool.walkAncestors(pool.parentsIn(tx), L.ancestorCount - 1);
  if (ancestors.length + 1 > L.ancestorCount) {
    throw new RuleError(
      'too-long-mempool-chain',
      `the transaction would have at least ${ancestors.length + 1} in-mempool ancestors (itself included), ` +
        `above the limit of ${L.ancestorCount}`,
    );
  }
  let ancestorBytes = size;
  for (const a of ancestors) ancestorBytes += a.size;
  if (ancestorBytes > L.ancestorBytes) {
    throw new RuleError(
      'too-long-mempool-chain',
      `the transaction's in-mempool ancestors would be ${n(ancestorBytes)} bytes (itself included), ` +
        `above the limit of ${n(L.ancestorBytes)}`,
    );
  }
  for (const a of ancestors) {
    // a itself, its pool descendants, and the newcomer.
    const descendants = pool
      .descendants(a, L.descendantCount - 2 + leaving.size)
      .filter((d) => !leaving.has(d));
    if (descendants.length + 2 > L.descendantCount) {
      throw new RuleError(
        'too-long-mempool-chain',
        `mempool transaction ${a.txidHex} would have at least ${descendants.length + 2} descendants ` +
          `(itself included), above the limit of ${L.descendantCount}`,
      );
    }
    let descendantBytes = a.size + size;
    for (const d of descendants) descendantBytes += d.size;
    if (descendantBytes > L.descendantBytes) {
      throw new RuleError(
        'too-long-mempool-chain',
        `mempool transaction ${a.txidHex} would have ${n(descendantBytes)} bytes of descendants ` +
          `(itself included), above the limit of ${n(L.descendantBytes)}`,
      );
    }
  }
}
