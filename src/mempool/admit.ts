// The policy a loose transaction must pass to enter a pool, judged against one tip and one pool state.
import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { isFinalTx } from '../core/locks.js';
import { isCoinbase, outpointKey, type Tx, txid, txLockTime } from '../core/tx.js';
import { type Coin, type CoinView, checkTxInputs, checkTxSanity, type SigCheck } from '../core/validation.js';
import type { CoinStore } from '../store/coin-store.js';
import { checkChainLimits } from './limits.js';
import type { MempoolEntry, PoolState } from './pool-state.js';
import { checkReplacement, conflictsOf } from './replacement.js';

export interface AdmitContext {
  readonly chain: Chain;
  /** The UTXO set (with the coins cache): spent coins, and whether a transaction is already confirmed. */
  readonly coins: Pick<CoinStore, 'getCoins'>;
  readonly minFeeRate: number;
  readonly verifySignatures: (checks: readonly SigCheck[]) => Promise<number>;
}

export interface AdmitOptions {
  /** Acceptance time recorded in the entry. */
  readonly time: number;
  /** False for a transaction whose signatures this pool already verified (they do not depend on the chain). */
  readonly verify: boolean;
  /** Whether a conflict with pool transactions may be a replacement (else it is a double spend). */
  readonly replace?: boolean;
}

/** The entry a transaction would be, and the pool transactions it would replace. */
export interface Admitted {
  readonly entry: MempoolEntry;
  readonly replaced: readonly MempoolEntry[];
}

/**
 * Validates `tx` for `pool` on `tip` and returns the entry it would be, with what it would replace; the
 * pool is not changed. Throws RuleError naming the rule broken; any other error is a store fault.
 */
export async function admit(
  ctx: AdmitContext,
  pool: PoolState,
  tip: ChainEntry,
  tx: Tx,
  bytes: Uint8Array,
  opts: AdmitOptions,
): Promise<Admitted> {
  const id = txid(tx);
  const idHex = toHex(id);
  if (pool.entries.has(idHex))
    throw new RuleError('already-known', `transaction ${idHex} is already in the mempool`);
  if (isCoinbase(tx)) throw new RuleError('non-final', 'a coinbase transaction is only valid inside a block');
  const sanity = checkTxSanity(tx);
  if (sanity) throw sanity;
  // Final in the next block: its height, and the tip's median time past (what that block is judged by).
  const nextHeight = tip.height + 1;
  if (!isFinalTx(tx, nextHeight, ctx.chain.medianTimePast(tip))) {
    throw new RuleError(
      'non-final',
      `the lock time ${txLockTime(tx)} is not reached by the next block (height ${nextHeight}, median time past ${ctx.chain.medianTimePast(tip)})`,
    );
  }
  const conflicts = conflictsOf(pool, tx);
  if (conflicts.length > 0 && !opts.replace) {
    for (const inp of tx.inputs) {
      const key = outpointKey(inp.prevTxid, inp.prevIndex);
      const other = pool.spends.get(key);
      if (other)
        throw new RuleError('double-spend', `output ${key} is already spent by mempool transaction ${other}`);
    }
  }
  const view = await viewFor(ctx.coins, pool, tip, tx);
  // Inputs missing may mean the transaction is confirmed already: then its outputs are in the coin set
  // (Bitcoin Core's PreChecks asks the same; one whose outputs are all spent again reads as missing-inputs).
  const missing = tx.inputs.some((inp) => !view.get(outpointKey(inp.prevTxid, inp.prevIndex)));
  if (missing && (await hasConfirmedOutput(ctx.coins, id, tx)))
    throw new RuleError('already-known', `transaction ${idHex} is already confirmed`);
  const result = checkTxInputs(tx, view, nextHeight, ctx.chain.params, 0, id);
  if (!result.ok) throw result.error;
  // Before the signatures: a replacement that does not pay for itself costs no verification.
  const replaced =
    conflicts.length > 0
      ? checkReplacement(pool, tx, conflicts, bytes.length, result.value.fee, ctx.minFeeRate)
      : [];
  if (opts.verify) {
    const bad = await ctx.verifySignatures(result.value.sigChecks);
    if (bad >= 0) throw new RuleError('bad-signature', `signature of input ${bad} does not verify`);
  }
  const size = bytes.length;
  const fee = result.value.fee;
  const feeRate = Number(fee) / size;
  if (feeRate < ctx.minFeeRate) {
    throw new RuleError(
      'fee-too-low',
      `fee rate ${feeRate.toFixed(3)} units/byte is below the minimum ${ctx.minFeeRate}`,
    );
  }
  checkChainLimits(pool, tx, size, new Set(replaced));
  const entry: MempoolEntry = {
    tx,
    txid: id,
    txidHex: idHex,
    bytes,
    size,
    fee,
    feeRate,
    time: opts.time,
    spent: result.value.spent,
    sigChecks: result.value.sigChecks.length,
  };
  return { entry, replaced };
}

/** True when an output of `tx` is an unspent coin of the chain (so `tx` is in it). */
async function hasConfirmedOutput(coins: AdmitContext['coins'], id: Uint8Array, tx: Tx): Promise<boolean> {
  const found = await coins.getCoins(tx.outputs.map((_, index) => ({ txid: id, index })));
  return found.some((c) => c !== undefined);
}

/** Coins from the store, overlaid with outputs of pool transactions (unconfirmed parents). */
async function viewFor(
  utxos: AdmitContext['coins'],
  pool: PoolState,
  tip: ChainEntry,
  tx: Tx,
): Promise<CoinView> {
  const coins = new Map<string, Coin>();
  const fromStore: Array<{ key: string; txid: Uint8Array; index: number }> = [];
  for (const inp of tx.inputs) {
    const key = outpointKey(inp.prevTxid, inp.prevIndex);
    const parent = pool.entries.get(toHex(inp.prevTxid));
    const out = parent?.tx.outputs[inp.prevIndex];
    if (out)
      coins.set(key, { amount: out.amount, address: out.address, height: tip.height + 1, coinbase: false });
    else fromStore.push({ key, txid: inp.prevTxid, index: inp.prevIndex });
  }
  const found = await utxos.getCoins(fromStore);
  found.forEach((c, i) => {
    if (c) coins.set(fromStore[i]!.key, c);
  });
  return { get: (key) => coins.get(key) };
}
