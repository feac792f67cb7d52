// Paying a classmate by name from the classroom wallet: the roster gives the address, the browser node's
// coins are the inputs, and src/wallet selects the coins and signs, here in the page.
import { isMature } from '../../../src/core/connect-rules.js';
import type { NetworkParams } from '../../../src/core/params.js';
import type { KeyPair } from '../../../src/crypto/ed25519.js';
import { formatCoins } from '../../../src/wallet/amount.js';
import { type BuiltTx, buildTransaction } from '../../../src/wallet/build-tx.js';
import type { Utxo } from '../../../src/wallet/coin-select.js';
import { InsufficientFundsError, WalletError } from '../../../src/wallet/errors.js';
import type { BrowserCoin } from '../node/types.js';

/** The student's one address: block rewards, payments from classmates and change all go to it. */
export interface ClassWalletKey extends KeyPair {
  readonly address: string;
  readonly hash: Uint8Array;
}

export interface ClassBalance {
  /** Confirmed coins, matured or not. */
  readonly confirmed: bigint;
  /** Of `confirmed`, block rewards still waiting for coinbase maturity. */
  readonly immature: bigint;
  /** Coins of transactions still in the mempool. */
  readonly pending: bigint;
}

/** A coin is pending while its transaction waits in the mempool. */
export type IsPending = (coin: BrowserCoin) => boolean;

const sum = (coins: readonly BrowserCoin[]) => coins.reduce((t, c) => t + c.value, 0n);

export function classBalance(
  coins: readonly BrowserCoin[],
  tipHeight: number,
  params: NetworkParams,
  isPending: IsPending,
): ClassBalance {
  const confirmed = coins.filter((c) => !isPending(c));
  const immature = confirmed.filter((c) => !isMature(toCoin(c), tipHeight + 1, params));
  return { confirmed: sum(confirmed), immature: sum(immature), pending: sum(coins.filter(isPending)) };
}

const toCoin = (c: BrowserCoin) => ({
  amount: c.value,
  address: new Uint8Array(20),
  height: c.height,
  coinbase: c.coinbase,
});

export interface ClassPaymentRequest {
  readonly params: NetworkParams;
  readonly coins: readonly BrowserCoin[];
  readonly tipHeight: number;
  readonly isPending: IsPending;
  readonly key: ClassWalletKey;
  /** The classmate's name, as on the roster. */
  readonly to: string;
  readonly amount: bigint;
  /** Base units per byte (the mempool's minimum relay rate, at least 1). */
  readonly feeRate: bigint;
  /** The roster's name → address lookup (ClassMember.addressOf). */
  readonly addressOf: (name: string) => string | undefined;
}

/**
 * Builds and signs the payment; throws WalletError with a sentence for the student: an unknown name,
 * paying oneself, a non-positive amount, or not enough spendable coins.
 */
export function buildClassPayment(req: ClassPaymentRequest): BuiltTx {
  const address = req.addressOf(req.to);
  if (address === undefined)
    throw new WalletError(
      'bad-address',
      `Nobody called "${req.to}" is on the class roster right now, or more than one classmate has that name.`,
    );
  if (address === req.key.address) throw new WalletError('bad-address', 'That is your own address.');
  if (req.amount <= 0n) throw new WalletError('bad-amount', 'The amount must be more than zero.');
  const spendable = req.coins.filter((c) => isMature(toCoin(c), req.tipHeight + 1, req.params));
  const utxos: Utxo[] = spendable.map((c) => ({
    txid: c.txid,
    index: c.index,
    amount: c.value,
    address: req.key.address,
  }));
  try {
    return buildTransaction({
      params: req.params,
      utxos,
      payments: [{ address, amount: req.amount }],
      feeRate: req.feeRate,
      changeAddress: req.key.address,
      keyFor: (a) => (a === req.key.address ? req.key : undefined),
    });
  } catch (e) {
    if (!(e instanceof InsufficientFundsError)) throw e;
    const waiting = sum(req.coins) - sum(spendable);
    const note =
      waiting > 0n ? ` (${formatCoins(waiting)} more are block rewards that are not mature yet)` : '';
    throw new InsufficientFundsError(
      e.available,
      e.needed,
      `Not enough coins: you can spend ${formatCoins(e.available)}${note}, and this payment needs ` +
        `${formatCoins(e.needed)} with its fee.`,
    );
  }
}
