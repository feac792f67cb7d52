// Funding a partially signed transaction: choose coins (key or policy coins) for payments, add change,
// and pay a fee for the largest size the signed transaction can have (each policy input's witness at
// its largest), so the fee rate holds whichever way the co-signers satisfy the policies.
import { MAX_TX_SIZE } from '../core/params.js';
import { type Tx, type TxOutput, txSize } from '../core/tx.js';
import { formatCoins } from './amount.js';
import { DEFAULT_DUST_THRESHOLD } from './coin-select.js';
import { InsufficientFundsError, WalletError } from './errors.js';
import { decodePolicyOrThrow, maxWitnessSize } from './policy-info.js';
import { createPsbt, MAX_PSBT_INPUTS, type Psbt, type PsbtCoin } from './psbt.js';

export interface FundPsbtOptions {
  /** Coins that may be spent (each a key coin with its public key or a policy coin with its policy). */
  readonly coins: readonly PsbtCoin[];
  readonly payments: readonly TxOutput[];
  /** Where change goes (an address hash). */
  readonly change: Uint8Array;
  /** Base units per byte of the signed transaction. */
  readonly feeRate: bigint;
  readonly lockTime?: number;
  /** Every input's sequence (default: see createPsbt). */
  readonly sequence?: number;
  readonly data?: Uint8Array;
  readonly dustThreshold?: bigint;
}

export interface FundedPsbt {
  readonly psbt: Psbt;
  readonly fee: bigint;
  /** The signed transaction's largest size in bytes. */
  readonly size: number;
  /** The change amount (the last output), 0n when there is none. */
  readonly change: bigint;
}

/** The signed transaction's size with every policy witness at its largest. */
export function maxSignedSize(tx: Tx): number {
  return txSize({
    ...tx,
    inputs: tx.inputs.map((i) =>
      i.policy === undefined
        ? i
        : { ...i, witness: new Uint8Array(maxWitnessSize(decodePolicyOrThrow(i.policy))) },
    ),
  });
}

const sum = (xs: readonly { amount: bigint }[]): bigint => xs.reduce((t, x) => t + x.amount, 0n);

/** Coins largest first until they pay for the payments and the fee; change when above the dust threshold. */
export function fundPsbt(opts: FundPsbtOptions): FundedPsbt {
  if (opts.feeRate < 0n) throw new WalletError('bad-fee-rate', 'the fee rate cannot be negative');
  const dust = opts.dustThreshold ?? DEFAULT_DUST_THRESHOLD;
  const paying = sum(opts.payments);
  const coins = [...opts.coins]
    .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))
    .slice(0, MAX_PSBT_INPUTS)
    .map((c) => (opts.sequence === undefined ? c : { ...c, sequence: opts.sequence }));
  const build = (chosen: readonly PsbtCoin[], outputs: readonly TxOutput[]): Psbt =>
    createPsbt({ inputs: chosen, outputs, lockTime: opts.lockTime, data: opts.data });
  let fee = 0n;
  for (let n = 1; n <= coins.length; n++) {
    const chosen = coins.slice(0, n);
    const total = sum(chosen);
    const withChange = build(chosen, [...opts.payments, { amount: 1n, address: opts.change }]);
    const sizeWithChange = maxSignedSize(withChange.tx);
    if (sizeWithChange > MAX_TX_SIZE)
      throw new WalletError(
        'tx-too-large',
        `paying this needs more than ${n - 1} inputs, over the size limit`,
      );
    const change = total - paying - opts.feeRate * BigInt(sizeWithChange);
    if (change >= dust) {
      const psbt = build(chosen, [...opts.payments, { amount: change, address: opts.change }]);
      return { psbt, fee: total - paying - change, size: sizeWithChange, change };
    }
    const psbt = build(chosen, opts.payments);
    const size = maxSignedSize(psbt.tx);
    fee = opts.feeRate * BigInt(size);
    if (total - paying >= fee) return { psbt, fee: total - paying, size, change: 0n };
  }
  const available = sum(coins);
  throw new InsufficientFundsError(
    available,
    paying + fee,
    `insufficient funds: ${formatCoins(available)} available, ${formatCoins(paying)} to pay plus the fee`,
  );
}
