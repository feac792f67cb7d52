// Step 8's helpers: the halving schedule and total supply from blockSubsidy, maturity from isMature,
// and the real connectBlock capping the coinbase at subsidy plus fees.
import { describe, expect, it } from 'vitest';
import { blockSubsidy, COIN, NETWORKS } from '../../../src/core/params.js';
import {
  feeBlock,
  firstSpendableHeight,
  halvingEras,
  subsidyPoints,
  supplyPoints,
  totalSupply,
} from '../../../web/src/learn/lib/subsidy.js';
import { person, startLedger } from '../../../web/src/learn/lib/utxo.js';

const main = NETWORKS.main;

describe('subsidy schedule', () => {
  it('halves every interval, ends at zero, and sums to just under 21 million', () => {
    const eras = halvingEras(main);
    expect(eras[0]!.subsidy).toBe(50n * COIN);
    expect(eras[1]!.subsidy).toBe(25n * COIN);
    expect(eras[1]!.startHeight).toBe(210_000);
    expect(eras[eras.length - 1]!.subsidy).toBe(0n);
    expect(eras[eras.length - 2]!.subsidy).toBe(1n);
    for (const era of eras)
      expect(blockSubsidy(main, era.startHeight + main.halvingInterval - 1)).toBe(era.subsidy);
    const supply = totalSupply(main);
    expect(supply).toBeLessThan(21_000_000n * COIN);
    expect(supply).toBeGreaterThan(20_999_999n * COIN);
  });

  it('draws a staircase and a rising supply', () => {
    const s = subsidyPoints(main);
    expect(s[0]).toEqual({ x: 0, y: 50 });
    expect(s[1]).toEqual({ x: 209_999, y: 50 });
    expect(s[2]).toEqual({ x: 210_000, y: 25 });
    const supply = supplyPoints(main);
    expect(supply[0]!.y).toBe(10_500_000);
    for (let i = 1; i < supply.length; i++) expect(supply[i]!.y).toBeGreaterThanOrEqual(supply[i - 1]!.y);
  });
});

describe('maturity', () => {
  it('is coinbaseMaturity blocks on every network', () => {
    expect(firstSpendableHeight(main, 10)).toBe(110);
    expect(firstSpendableHeight(NETWORKS.regtest, 10)).toBe(11);
  });
});

describe('where fees go', () => {
  const params = NETWORKS.regtest;
  const alice = person('Alice', params);
  const make = (extra: bigint) =>
    feeBlock(params, startLedger(alice), alice, person('Bob', params), person('Miner', params), 151, extra);

  it('lets the coinbase claim subsidy plus fees exactly', () => {
    const fb = make(0n);
    expect(fb.subsidy).toBe(25n * COIN);
    // The second payment pays 25 units per byte, the first 10.
    expect(fb.fees[1]!).toBeGreaterThan(fb.fees[0]!);
    expect(fb.result).toEqual({ ok: true, fees: fb.fees[0]! + fb.fees[1]! });
    expect(fb.paid).toBe(fb.subsidy + fb.fees[0]! + fb.fees[1]!);
  });

  it('refuses one unit more: bad-coinbase-amount', () => {
    const fb = make(1n);
    expect(fb.result.ok).toBe(false);
    if (!fb.result.ok) expect(fb.result.code).toBe('bad-coinbase-amount');
  });
});
