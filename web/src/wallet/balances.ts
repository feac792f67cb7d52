// The wallet's figures as the page shows them, all from one scan so they agree with each other.
import type { WalletScan } from '../../../src/wallet/index.js';

export interface WalletBalances {
  /** In blocks (coins already being spent by a pending payment still count until it confirms). */
  readonly confirmed: bigint;
  /** Pending payments to this wallet, from outside it (change back to itself nets out). */
  readonly pendingIn: bigint;
  /** Pending payments out of this wallet, fees included (a negative figure). */
  readonly pendingOut: bigint;
  /** Confirmed plus everything pending: what the wallet holds once the mempool confirms. */
  readonly total: bigint;
  /** What a payment can spend now (mature coins, unconfirmed ones the node lets the wallet spend). */
  readonly spendable: bigint;
  /** Part of `spendable` that is still unconfirmed. */
  readonly spendableUnconfirmed: bigint;
  /** Coinbase rewards that are not mature yet. */
  readonly immature: bigint;
}

export function walletBalances(scan: WalletScan): WalletBalances {
  let pendingIn = 0n;
  let pendingOut = 0n;
  for (const h of scan.history) {
    if (h.height !== null) continue;
    if (h.delta > 0n) pendingIn += h.delta;
    else pendingOut += h.delta;
  }
  const sum = (pick: (c: WalletScan['coins'][number]) => boolean) =>
    scan.coins.filter(pick).reduce((t, c) => t + c.amount, 0n);
  return {
    confirmed: scan.balance.confirmed,
    pendingIn,
    pendingOut,
    total: scan.balance.confirmed + scan.balance.unconfirmed,
    spendable: scan.balance.spendable,
    spendableUnconfirmed: sum((c) => c.spendable && c.height === null),
    immature: sum((c) => !c.spendable && c.coinbase && c.height !== null),
  };
}
