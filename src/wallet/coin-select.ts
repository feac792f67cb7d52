// Coin selection: which unspent outputs pay for a set of payments, and what is left as change and fee.
// Pure and deterministic: the same coins and payments always give the same choice.
//
// Sizes are exact, not estimated: every input is 132 bytes (outpoint 36 + public key 32 + signature 64)
// and every output 28 (amount 8 + address hash 20), so the fee = feeRate × size is known before signing.
import { MAX_DATA_SIZE, MAX_MONEY, MAX_TX_SIZE } from '../core/params.js';
import { txSizeFor } from '../core/tx.js';
import { formatCoins } from './amount.js';
import { InsufficientFundsError, WalletError } from './errors.js';

/** Sizes come from the core, which encodes the transactions. */
export { txSizeFor } from '../core/tx.js';
/** Change below this many base units is not worth an output (it would cost more to spend): it goes to the fee. */
export const DEFAULT_DUST_THRESHOLD = 546n;

/** An unspent output the wallet can spend. */
export interface Utxo {
  readonly txid: string; // hex
  readonly index: number;
  readonly amount: bigint;
  readonly address: string;
}

export interface Payment {
  readonly address: string;
  readonly amount: bigint;
}

export interface CoinSelectionOptions {
  /** Base units per byte of the signed transaction. */
  readonly feeRate: bigint;
  /** Bytes in the transaction's data record (0 when none). */
  readonly dataSize?: number;
  readonly dustThreshold?: bigint;
  /** How many payments go to policy addresses (a transaction paying one is version 2, and larger). */
  readonly policyOutputs?: number;
}

export interface CoinSelection {
  /** The chosen coins, in the order they become inputs. */
  readonly inputs: readonly Utxo[];
  readonly inputTotal: bigint;
  readonly paymentTotal: bigint;
  /** Change output amount, 0n when there is no change output. */
  readonly change: bigint;
  /** inputTotal − paymentTotal − change; at least feeRate × size. */
  readonly fee: bigint;
  /** Bytes of the signed transaction (with the change output when there is one). */
  readonly size: number;
}

const sum = (xs: readonly { amount: bigint }[]): bigint => xs.reduce((t, x) => t + x.amount, 0n);

/** Largest first; equal amounts by outpoint, so the order never depends on the input order. */
function byAmountDescending(a: Utxo, b: Utxo): number {
  if (a.amount !== b.amount) return a.amount > b.amount ? -1 : 1;
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  return a.index - b.index;
}

function checkRequest(
  utxos: readonly Utxo[],
  payments: readonly Payment[],
  opts: CoinSelectionOptions,
): void {
  if (payments.length === 0) throw new WalletError('bad-amount', 'there is nothing to pay');
  for (const p of payments) {
    if (p.amount <= 0n) throw new WalletError('bad-amount', `a payment of ${p.amount} units is not positive`);
  }
  if (sum(payments) > MAX_MONEY) throw new WalletError('bad-amount', 'the payments exceed the money supply');
  if (opts.feeRate < 0n) throw new WalletError('bad-fee-rate', 'the fee rate cannot be negative');
  const dataSize = opts.dataSize ?? 0;
  if (!Number.isInteger(dataSize) || dataSize < 0 || dataSize > MAX_DATA_SIZE) {
    throw new WalletError('bad-data', `a data record holds at most ${MAX_DATA_SIZE} bytes`);
  }
  const seen = new Set<string>();
  for (const u of utxos) {
    const key = `${u.txid}:${u.index}`;
    if (seen.has(key)) throw new WalletError('bad-coin', `coin ${key} is listed twice`);
    seen.add(key);
  }
}

/**
 * Chooses coins for the payments:
 *   1. the smallest single coin that covers everything (one input is the smallest transaction and keeps
 *      large coins whole);
 *   2. otherwise coins largest first until they cover the payments and the fee.
 * A change output is added when the change is at least the dust threshold; smaller change goes to the fee.
 * Throws InsufficientFundsError (available vs needed) or WalletError('tx-too-large').
 */
export function selectCoins(
  utxos: readonly Utxo[],
  payments: readonly Payment[],
  opts: CoinSelectionOptions,
): CoinSelection {
  checkRequest(utxos, payments, opts);
  const { feeRate } = opts;
  const dataSize = opts.dataSize ?? 0;
  const dust = opts.dustThreshold ?? DEFAULT_DUST_THRESHOLD;
  const paymentTotal = sum(payments);
  const outputs = payments.length;
  const shape = { policyOutputs: opts.policyOutputs ?? 0 };

  const finish = (inputs: readonly Utxo[], inputTotal: bigint): CoinSelection | undefined => {
    const size = txSizeFor(inputs.length, outputs, dataSize, shape);
    if (inputTotal < paymentTotal + feeRate * BigInt(size)) return undefined;
    const sizeWithChange = txSizeFor(inputs.length, outputs + 1, dataSize, shape);
    const change = inputTotal - paymentTotal - feeRate * BigInt(sizeWithChange);
    if (change >= dust && change > 0n) {
      return {
        inputs,
        inputTotal,
        paymentTotal,
        change,
        fee: inputTotal - paymentTotal - change,
        size: sizeWithChange,
      };
    }
    return { inputs, inputTotal, paymentTotal, change: 0n, fee: inputTotal - paymentTotal, size };
  };

  const coins = utxos.filter((u) => u.amount > 0n).sort(byAmountDescending);

  for (let i = coins.length - 1; i >= 0; i--) {
    const single = finish([coins[i]!], coins[i]!.amount);
    if (single) return single;
  }

  const chosen: Utxo[] = [];
  let total = 0n;
  for (const coin of coins) {
    chosen.push(coin);
    total += coin.amount;
    if (txSizeFor(chosen.length, outputs + 1, dataSize, shape) > MAX_TX_SIZE) {
      throw new WalletError(
        'tx-too-large',
        `paying ${formatCoins(paymentTotal)} would need more than ${chosen.length - 1} inputs, over the ` +
          `${MAX_TX_SIZE}-byte transaction limit: send a smaller amount or consolidate small coins first`,
      );
    }
    const selection = finish([...chosen], total);
    if (selection) return selection;
  }

  const available = sum(coins);
  const needed =
    paymentTotal + feeRate * BigInt(txSizeFor(Math.max(coins.length, 1), outputs, dataSize, shape));
  throw new InsufficientFundsError(
    available,
    needed,
    `insufficient funds: ${formatCoins(available)} available, ${formatCoins(needed)} needed ` +
      `(${formatCoins(paymentTotal)} to pay plus a fee of ${formatCoins(needed - paymentTotal)})`,
  );
}
