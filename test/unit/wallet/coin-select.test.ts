import { describe, expect, it } from 'vitest';
import { MAX_DATA_SIZE } from '../../../src/core/params.js';
import {
  DEFAULT_DUST_THRESHOLD,
  type Payment,
  selectCoins,
  txSizeFor,
} from '../../../src/wallet/coin-select.js';
import { InsufficientFundsError, WalletError } from '../../../src/wallet/errors.js';
import { coins, other } from './helpers.js';

const pay = (amount: bigint): Payment[] => [{ address: other.receiveAddress(0), amount }];
// 1 input, 1 output: 4 version + 1 + 132 + 1 + 28 + 1 data length.
const SIZE_1_1 = 167;
const SIZE_1_2 = 195;

function errorOf(fn: () => unknown): WalletError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WalletError);
    return e as WalletError;
  }
  throw new Error('expected an error');
}

describe('txSizeFor', () => {
  it('counts the exact bytes of inputs, outputs, data and their varints', () => {
    expect(txSizeFor(1, 1)).toBe(SIZE_1_1);
    expect(txSizeFor(1, 2)).toBe(SIZE_1_2);
    expect(txSizeFor(2, 1, 10)).toBe(4 + 1 + 264 + 1 + 28 + 1 + 10);
    expect(txSizeFor(253, 1, 253)).toBe(4 + 3 + 253 * 132 + 1 + 28 + 3 + 253);
  });
});

describe('selectCoins', () => {
  it('spends a coin that exactly covers payment and fee without change', () => {
    const s = selectCoins(coins([100_000n + BigInt(SIZE_1_1)]), pay(100_000n), { feeRate: 1n });
    expect(s).toMatchObject({ change: 0n, fee: BigInt(SIZE_1_1), size: SIZE_1_1, paymentTotal: 100_000n });
    expect(s.inputs).toHaveLength(1);
  });

  it('adds change and pays feeRate × size of the transaction with the change output', () => {
    const s = selectCoins(coins([1_000_000n]), pay(100_000n), { feeRate: 2n });
    expect(s).toMatchObject({
      size: SIZE_1_2,
      fee: 2n * BigInt(SIZE_1_2),
      change: 1_000_000n - 100_000n - 390n,
    });
    expect(s.inputTotal - s.paymentTotal - s.change).toBe(s.fee);
  });

  it('gives change below the dust threshold to the fee', () => {
    const s = selectCoins(coins([100_000n + BigInt(SIZE_1_2) + 545n]), pay(100_000n), { feeRate: 1n });
    expect(s).toMatchObject({ change: 0n, fee: BigInt(SIZE_1_2) + 545n, size: SIZE_1_1 });
  });

  it('keeps change equal to the dust threshold', () => {
    const s = selectCoins(coins([100_000n + BigInt(SIZE_1_2) + DEFAULT_DUST_THRESHOLD]), pay(100_000n), {
      feeRate: 1n,
    });
    expect(s).toMatchObject({ change: DEFAULT_DUST_THRESHOLD, fee: BigInt(SIZE_1_2), size: SIZE_1_2 });
  });

  it('honours a custom dust threshold', () => {
    const s = selectCoins(coins([100_000n + BigInt(SIZE_1_2) + 10n]), pay(100_000n), {
      feeRate: 1n,
      dustThreshold: 10n,
    });
    expect(s.change).toBe(10n);
  });

  it('prefers the smallest single coin that covers everything', () => {
    const s = selectCoins(coins([5_000n, 1_000_000n, 200_000n, 100_001n]), pay(100_000n), { feeRate: 1n });
    expect(s.inputs.map((c) => c.amount)).toEqual([200_000n]);
  });

  it('otherwise takes coins largest first', () => {
    const s = selectCoins(coins([30_000n, 60_000n, 40_000n, 50_000n]), pay(100_000n), { feeRate: 1n });
    expect(s.inputs.map((c) => c.amount)).toEqual([60_000n, 50_000n]);
    expect(s.size).toBe(txSizeFor(2, 2));
    expect(s.change).toBe(110_000n - 100_000n - BigInt(txSizeFor(2, 2)));
  });

  it('is deterministic whatever the order of the coins', () => {
    const list = coins([30_000n, 60_000n, 40_000n, 50_000n, 60_000n]);
    const a = selectCoins(list, pay(150_000n), { feeRate: 3n });
    const b = selectCoins([...list].reverse(), pay(150_000n), { feeRate: 3n });
    expect(b).toEqual(a);
  });

  it('charges for the data record', () => {
    const s = selectCoins(coins([1_000_000n]), pay(100_000n), { feeRate: 1n, dataSize: 300 });
    expect(s.size).toBe(txSizeFor(1, 2, 300));
    expect(s.fee).toBe(BigInt(s.size));
  });

  it('works with a zero fee rate', () => {
    const s = selectCoins(coins([100_000n]), pay(100_000n), { feeRate: 0n });
    expect(s).toMatchObject({ fee: 0n, change: 0n });
  });

  it('reports insufficient funds with what is available and what is needed', () => {
    const e = errorOf(() => selectCoins(coins([1_000n, 2_000n]), pay(5_000n), { feeRate: 1n }));
    expect(e).toBeInstanceOf(InsufficientFundsError);
    const needed = 5_000n + BigInt(txSizeFor(2, 1));
    expect(e).toMatchObject({ code: 'insufficient-funds', available: 3_000n, needed });
    expect(e.message).toBe(
      'insufficient funds: 0.00003 available, 0.00005299 needed (0.00005 to pay plus a fee of 0.00000299)',
    );
    expect(errorOf(() => selectCoins([], pay(1n), { feeRate: 1n })).code).toBe('insufficient-funds');
  });

  it('counts the fee when the coins cover only the payment', () => {
    const e = errorOf(() => selectCoins(coins([100_000n]), pay(100_000n), { feeRate: 1n }));
    expect(e).toMatchObject({ code: 'insufficient-funds', available: 100_000n, needed: 100_000n + 167n });
  });

  it('refuses a transaction over the size limit', () => {
    const many = coins(Array.from({ length: 800 }, () => 1_000n));
    expect(errorOf(() => selectCoins(many, pay(790_000n), { feeRate: 0n })).code).toBe('tx-too-large');
  });

  it('rejects bad requests', () => {
    const list = coins([1_000_000n]);
    expect(errorOf(() => selectCoins(list, [], { feeRate: 1n })).code).toBe('bad-amount');
    expect(errorOf(() => selectCoins(list, pay(0n), { feeRate: 1n })).code).toBe('bad-amount');
    expect(errorOf(() => selectCoins(list, pay(-5n), { feeRate: 1n })).code).toBe('bad-amount');
    expect(errorOf(() => selectCoins(list, pay(1n), { feeRate: -1n })).code).toBe('bad-fee-rate');
    expect(errorOf(() => selectCoins(list, pay(1n), { feeRate: 1n, dataSize: MAX_DATA_SIZE + 1 })).code).toBe(
      'bad-data',
    );
    expect(errorOf(() => selectCoins([...list, ...list], pay(1n), { feeRate: 1n })).code).toBe('bad-coin');
  });
});
