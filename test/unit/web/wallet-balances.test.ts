import { describe, expect, it } from 'vitest';
import type { WalletCoin, WalletScan } from '../../../src/wallet/scan.js';
import { walletBalances } from '../../../web/src/wallet/balances.js';

const coin = (amount: bigint, over: Partial<WalletCoin> = {}): WalletCoin => ({
  txid: 'aa'.repeat(32),
  index: 0,
  amount,
  address: 'hlrt1x',
  chain: 0,
  addressIndex: 0,
  height: 5,
  confirmations: 1,
  coinbase: false,
  spendable: true,
  ...over,
});

function scan(over: Partial<WalletScan>): WalletScan {
  return {
    coins: [],
    balance: { confirmed: 0n, unconfirmed: 0n, spendable: 0n },
    history: [],
    historyComplete: true,
    addresses: [],
    nextReceiveIndex: 0,
    nextChangeIndex: 0,
    ...over,
  };
}

describe('walletBalances', () => {
  it('shows an unconfirmed incoming payment as pending and as unconfirmed spendable, not as balance', () => {
    const b = walletBalances(
      scan({
        coins: [coin(150_000_000n, { height: null, confirmations: 0 })],
        balance: { confirmed: 0n, unconfirmed: 150_000_000n, spendable: 150_000_000n },
        history: [{ txid: 'bb'.repeat(32), height: null, time: 1, delta: 150_000_000n }],
      }),
    );
    expect(b).toEqual({
      confirmed: 0n,
      pendingIn: 150_000_000n,
      pendingOut: 0n,
      total: 150_000_000n,
      spendable: 150_000_000n,
      spendableUnconfirmed: 150_000_000n,
      immature: 0n,
    });
  });

  it('splits pending payments in and out, and counts immature rewards apart', () => {
    const b = walletBalances(
      scan({
        coins: [
          coin(5_000_000_000n, { coinbase: true, spendable: false }),
          coin(300n),
          coin(700n, { height: null }),
        ],
        balance: { confirmed: 5_000_001_300n, unconfirmed: -300n, spendable: 1_000n },
        history: [
          { txid: 'c1'.repeat(32), height: null, time: 3, delta: -1_000n },
          { txid: 'c2'.repeat(32), height: null, time: 2, delta: 700n },
          { txid: 'c3'.repeat(32), height: 4, time: 1, delta: 5_000_000_000n },
        ],
      }),
    );
    expect(b.pendingIn).toBe(700n);
    expect(b.pendingOut).toBe(-1_000n);
    expect(b.total).toBe(5_000_001_000n);
    expect(b.spendableUnconfirmed).toBe(700n);
    expect(b.immature).toBe(5_000_000_000n);
  });
});
