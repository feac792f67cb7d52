import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_FEE_SPREAD,
  ACTIVITY_RESERVE,
  MIN_ACTIVITY_PAYMENT,
  payAtRandom,
  planPayment,
} from '../../../src/node/activity.js';
import { seededRandom } from '../../support/random.js';

const COIN = 100_000_000n;

describe('planPayment', () => {
  it('never plans a payment that would take a wallet below its reserve', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 2_000; i++) {
      const spendable = [50n * COIN, 2n * COIN, ACTIVITY_RESERVE, 0n];
      const plan = planPayment(spendable, 1, random);
      expect(plan).toBeDefined();
      const { from, to, amount, feeRate } = plan!;
      expect(from).not.toBe(to);
      expect(amount).toBeGreaterThanOrEqual(MIN_ACTIVITY_PAYMENT);
      // What is left covers the reserve and a 1,000-byte payment at its fee rate.
      expect(spendable[from]! - amount - feeRate * 1_000n).toBeGreaterThanOrEqual(ACTIVITY_RESERVE);
    }
  });

  it('is undefined when funds are short', () => {
    const random = seededRandom(1);
    expect(planPayment([ACTIVITY_RESERVE, ACTIVITY_RESERVE + 1000n, 0n], 1, random)).toBeUndefined();
    expect(planPayment([50n * COIN], 1, random)).toBeUndefined();
  });

  it('draws fee rates across the whole spread from the floor', () => {
    const random = seededRandom(3);
    const rates = new Set<bigint>();
    for (let i = 0; i < 2_000; i++) rates.add(planPayment([50n * COIN, 50n * COIN], 2.5, random)!.feeRate);
    expect(Math.min(...[...rates].map(Number))).toBe(3);
    expect(Math.max(...[...rates].map(Number))).toBe(3 + ACTIVITY_FEE_SPREAD);
    expect(rates.size).toBe(ACTIVITY_FEE_SPREAD + 1);
  });
});

describe('payAtRandom', () => {
  it('pays what was planned, and only logs (at debug) when funds are short or the payment fails', async () => {
    const wallets = [0, 1].map((i) => ({ address: `w${i}` }) as never);
    const paid: unknown[] = [];
    const logs: string[] = [];
    const log = { debug: (o: object | string, m?: string) => logs.push(m ?? String(o)) };
    const ctx = {
      wallets,
      minFeeRate: 1,
      coinsOf: async (w: { address: string }) => (w.address === 'w0' ? [{ amount: 10n * COIN }] : []),
      pay: async (_w: unknown, spend: unknown) => {
        paid.push(spend);
        return { txidHex: 'ab' };
      },
      log,
    };
    await payAtRandom(ctx, seededRandom(5));
    expect(paid).toHaveLength(1);
    expect((paid[0] as { recipient: string }).recipient).toBe('w1');
    await payAtRandom({ ...ctx, coinsOf: async () => [] }, seededRandom(5));
    expect(paid).toHaveLength(1);
    expect(logs.at(-1)).toMatch(/funds are short/);
    await payAtRandom({ ...ctx, pay: async () => Promise.reject(new Error('too-long-mempool-chain')) });
    expect(logs.at(-1)).toBe('activity payment not made');
  });
});
