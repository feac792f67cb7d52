import { describe, expect, it } from 'vitest';
import {
  type BlockFeeStats,
  estimateFees,
  historyShare,
  percentile,
  projectBlocks,
} from '../../../src/mempool/fee-estimator.js';
import { selectPackages } from '../../../src/mempool/select.js';
import { builder } from './synthetic-pool.js';

const ROOM = 10_000;

/** A block of `count` transactions of 100 bytes at the given rates (cycled). */
function block(height: number, rates: number[], count = rates.length): BlockFeeStats {
  return {
    height,
    txBytes: count * 100,
    feeRates: Array.from({ length: count }, (_, i) => rates[i % rates.length]!),
  };
}

/** A full block (100 transactions of 100 bytes = ROOM) whose 10th percentile is `low`. */
const fullBlock = (height: number, low: number, high = low + 50) =>
  block(height, [...Array(10).fill(low), ...Array(90).fill(high)], 100);

const rates = (e: ReturnType<typeof estimateFees>) => e.targets.map((t) => t.feeRate);

describe('percentile and history share', () => {
  it('takes the nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.2)).toBe(1);
    expect(percentile([5, 1, 3, 2, 4], 0.21)).toBe(2);
    expect(percentile([5, 1, 3, 2, 4], 1)).toBe(5);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('asks fewer blocks to have taken the rate for longer targets', () => {
    expect(historyShare(1)).toBeCloseTo(0.8);
    expect(historyShare(3)).toBeCloseTo(0.415, 3);
    expect(historyShare(6)).toBeCloseTo(0.235, 3);
  });
});

describe('estimateFees on a synthetic history', () => {
  it('is the floor when blocks were not full and the pool fits one block', () => {
    const history = Array.from({ length: 12 }, (_, i) => block(i, [50, 80, 200], 30));
    const e = estimateFees({ minFeeRate: 2, history, blockTxBytes: ROOM, projected: [] });
    expect(rates(e)).toEqual([2, 2, 2]);
    expect(e.fullBlocks).toBe(0);
    expect(e.targets.every((t) => t.history === 2 && t.mempool === null)).toBe(true);
  });

  it('takes percentiles of full blocks’ entry prices, lower for longer targets', () => {
    // 12 full blocks whose entry prices are 10, 20, …, 120 (heights in any order).
    const history = Array.from({ length: 12 }, (_, i) => fullBlock(100 - i, (12 - i) * 10));
    const e = estimateFees({ minFeeRate: 1, history, blockTxBytes: ROOM, projected: [] });
    // Nearest rank over 12: 0.8 → 10th (100), 0.415 → 5th (50), 0.235 → 3rd (30).
    expect(rates(e)).toEqual([100, 50, 30]);
    expect(e.fullBlocks).toBe(12);
  });

  it('looks at the last 12 blocks only', () => {
    const old = Array.from({ length: 20 }, (_, i) => fullBlock(i, 500));
    const recent = Array.from({ length: 12 }, (_, i) => block(20 + i, [3], 10));
    const e = estimateFees({
      minFeeRate: 1,
      history: [...old, ...recent],
      blockTxBytes: ROOM,
      projected: [],
    });
    expect(e.historyBlocks).toBe(12);
    expect(rates(e)).toEqual([1, 1, 1]);
  });

  it('a block just under the full share asks only the floor; at the share, its percentile', () => {
    const under = { height: 1, txBytes: 0.95 * ROOM - 1, feeRates: [40] };
    const at = { height: 1, txBytes: 0.95 * ROOM, feeRates: [40] };
    expect(
      rates(estimateFees({ minFeeRate: 1, history: [under], blockTxBytes: ROOM, projected: [] })),
    ).toEqual([1, 1, 1]);
    expect(rates(estimateFees({ minFeeRate: 1, history: [at], blockTxBytes: ROOM, projected: [] }))).toEqual([
      40, 40, 40,
    ]);
  });

  it('beats the packages filling the projected blocks, and never goes below the floor', () => {
    const { pool, add } = builder();
    // 30 transactions, each a package of its own, at 30 distinct rates: 3 projected blocks of ~10.
    for (let i = 1; i <= 30; i++) add({ fee: BigInt(i * 1000) });
    const packages = selectPackages(pool, 10 * ROOM);
    const size = packages[0]!.size;
    const projected = projectBlocks(packages, 10 * size, 6);
    expect(projected.map((b) => [b.count, b.full])).toEqual([
      [10, true],
      [10, true],
      [10, false],
    ]);
    // Block 1 takes fees 30000..21000: to get in, beat 21000/size.
    const e = estimateFees({ minFeeRate: 1, history: [], blockTxBytes: 10 * size, projected });
    expect(e.targets[0]!.mempool).toBe(Math.floor(21_000 / size) + 1);
    expect(e.targets[1]!.mempool).toBeNull(); // block 3 is not full: the pool fits within 3 blocks
    expect(rates(e)).toEqual([Math.floor(21_000 / size) + 1, 1, 1]);
    expect(projected[0]!.fees).toBe(255_000n);
    expect(projected[0]!.minFeeRate).toBeCloseTo(21_000 / size);
    expect(projected[0]!.maxFeeRate).toBeCloseTo(30_000 / size);
  });

  it('a rate exactly at the marginal package is not enough (older wins ties): the estimate is above it', () => {
    const projected = [
      { count: 1, bytes: 100, fees: 500n, minFeeRate: 5, maxFeeRate: 5, minPackageRate: 5, full: true },
    ];
    expect(
      estimateFees({ minFeeRate: 1, history: [], blockTxBytes: 100, projected }).targets[0]!.feeRate,
    ).toBe(6);
  });

  it('a longer target never asks more than a shorter one', () => {
    // Mempool congested deep (6 full projected blocks at 9), history cheap for the next block only.
    const full = {
      count: 1,
      bytes: 1,
      fees: 9n,
      minFeeRate: 9,
      maxFeeRate: 9,
      minPackageRate: 9,
      full: true,
    };
    const history = Array.from({ length: 12 }, (_, i) => block(i, [1], 1));
    const e = estimateFees({ minFeeRate: 1, history, blockTxBytes: ROOM, projected: Array(6).fill(full) });
    expect(rates(e)).toEqual([10, 10, 10]);
    const deepHistory = Array.from({ length: 12 }, (_, i) => fullBlock(i, 30));
    const first = [
      { ...full, minPackageRate: 60 },
      { ...full, full: false },
    ];
    const e2 = estimateFees({ minFeeRate: 1, history: deepHistory, blockTxBytes: ROOM, projected: first });
    expect(rates(e2)).toEqual([61, 30, 30]);
  });
});
