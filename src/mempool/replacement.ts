// Replace-by-fee (docs/protocol.md, "Mempool policy", "Replacement"): a transaction spending an outpoint
// that pool transactions already spend may take their place, with their descendants, if it pays for
// it. The rules are BIP125's, as Bitcoin Core applies them since version 28 (no signalling: any pool
// transaction may be replaced), so that a replacement can never make the network relay bytes for free.
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { outpointKey, type Tx } from '../core/tx.js';
import type { MempoolEntry, PoolState } from './pool-state.js';

/** At most this many pool transactions (the conflicts and their descendants) leave for one replacement. */
export const MAX_REPLACED = 100;

/** The pool transactions spending an outpoint that `tx` spends, each once, in input order. */
export function conflictsOf(pool: PoolState, tx: Tx): MempoolEntry[] {
  const found = new Set<MempoolEntry>();
  for (const inp of tx.inputs) {
    const spender = pool.spends.get(outpointKey(inp.prevTxid, inp.prevIndex));
    const entry = spender === undefined ? undefined : pool.entries.get(spender);
    if (entry) found.add(entry);
  }
  return [...found];
}

/** Exactly a.fee / a.size > b.fee / b.size, without rounding. */
const rateAbove = (a: { fee: bigint; size: number }, b: { fee: bigint; size: number }): boolean =>
  a.fee * BigInt(b.size) > b.fee * BigInt(a.size);

/**
 * Judges `tx` (of `size` bytes, paying `fee`) as a replacement of the `conflicts` it has in `pool` and
 * returns every pool transaction it would evict (the conflicts and their descendants). Throws RuleError
 * naming the first rule broken; the rules come in the order of docs/protocol.md.
 */
export function checkReplacement(
  pool: PoolState,
  tx: Tx,
  conflicts: readonly MempoolEntry[],
  size: number,
  fee: bigint,
  minFeeRate: number,
): MempoolEntry[] {
  const names = conflicts.map((c) => c.txidHex).join(', ');
  // 1. A bounded eviction: the walk stops as soon as the cap is passed.
  const replaced = new Set<MempoolEntry>(conflicts);
  for (const c of conflicts) {
    if (replaced.size > MAX_REPLACED) break;
    for (const d of pool.descendants(c, MAX_REPLACED)) replaced.add(d);
  }
  if (replaced.size > MAX_REPLACED) {
    throw new RuleError(
      'too-many-replacements',
      `replacing ${names} would evict at least ${replaced.size} transactions (with their descendants), ` +
        `above the limit of ${MAX_REPLACED}`,
    );
  }
  // 2. It must not spend what it replaces: it would be left spending outputs that no longer exist.
  const parents = pool.parentsIn(tx);
  for (const p of parents) {
    if (replaced.has(p)) {
      throw new RuleError(
        'replacement-spends-conflict',
        `the transaction spends an output of ${p.txidHex}, which it would replace`,
      );
    }
  }
  // 3. No new unconfirmed inputs: its pool parents must already be parents of what it replaces.
  const parentsOfConflicts = new Set<string>();
  for (const c of conflicts) for (const inp of c.tx.inputs) parentsOfConflicts.add(toHex(inp.prevTxid));
  for (const p of parents) {
    if (!parentsOfConflicts.has(p.txidHex)) {
      throw new RuleError(
        'replacement-adds-unconfirmed',
        `the replacement spends an output of unconfirmed transaction ${p.txidHex}, which ${names} did not spend`,
      );
    }
  }
  // 4. A higher fee rate than each transaction it conflicts with directly.
  const mine = { fee, size };
  for (const c of conflicts) {
    if (!rateAbove(mine, c)) {
      throw new RuleError(
        'replacement-fee-rate-too-low',
        `fee rate ${(Number(fee) / size).toFixed(3)} units/byte is not above ${c.feeRate.toFixed(3)} of ` +
          `${c.txidHex}, which it would replace`,
      );
    }
  }
  // 5. It pays for everything it evicts, and for its own bytes at the relay fee rate.
  let replacedFees = 0n;
  for (const r of replaced) replacedFees += r.fee;
  const relay = BigInt(Math.ceil(minFeeRate * size));
  if (fee < replacedFees + relay) {
    throw new RuleError(
      'insufficient-fee-replacement',
      `fee ${fee} is below ${replacedFees + relay}: the ${replacedFees} paid by the ${replaced.size} ` +
        `transaction(s) it replaces plus ${relay} for its own ${size} bytes at the minimum relay fee rate`,
    );
  }
  return [...replaced];
}
