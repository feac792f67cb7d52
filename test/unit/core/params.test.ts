import { describe, expect, it } from 'vitest';
import {
  bitsToTarget,
  blockSubsidy,
  COIN,
  getNetwork,
  MAX_MONEY,
  NETWORKS,
  type NetworkParams,
} from '../../../src/core/index.js';

describe('block subsidy', () => {
  const regtest = NETWORKS.regtest;

  it('starts at 50 coins and halves every halvingInterval blocks', () => {
    const h = regtest.halvingInterval;
    expect(blockSubsidy(regtest, 0)).toBe(50n * COIN);
    expect(blockSubsidy(regtest, h - 1)).toBe(50n * COIN);
    expect(blockSubsidy(regtest, h)).toBe(25n * COIN);
    expect(blockSubsidy(regtest, 2 * h - 1)).toBe(25n * COIN);
    expect(blockSubsidy(regtest, 2 * h)).toBe(1_250_000_000n);
    expect(blockSubsidy(regtest, 3 * h)).toBe(625_000_000n);
  });

  it('rounds down and reaches zero', () => {
    const h = NETWORKS.main.halvingInterval;
    expect(blockSubsidy(NETWORKS.main, 32 * h)).toBe(1n); // 5e9 >> 32
    expect(blockSubsidy(NETWORKS.main, 33 * h)).toBe(0n);
    expect(blockSubsidy(NETWORKS.main, 64 * h)).toBe(0n);
    expect(blockSubsidy(NETWORKS.main, 1000 * h)).toBe(0n);
  });

  it('sums to less than the money supply on every network', () => {
    for (const p of Object.values(NETWORKS)) {
      let total = 0n;
      for (let halving = 0; halving < 64; halving++) {
        total += blockSubsidy(p, halving * p.halvingInterval) * BigInt(p.halvingInterval);
      }
      expect(total).toBeLessThanOrEqual(MAX_MONEY);
      expect(total).toBeGreaterThan(0n);
    }
  });

  it('uses each network’s halving interval', () => {
    expect(NETWORKS.main.halvingInterval).toBe(210_000);
    expect(NETWORKS.dev.halvingInterval).toBe(2_100);
    expect(NETWORKS.regtest.halvingInterval).toBe(150);
  });
});

describe('network parameters', () => {
  it('are looked up by name', () => {
    for (const name of ['main', 'dev', 'regtest'] as const) expect(getNetwork(name)).toBe(NETWORKS[name]);
    expect(() => getNetwork('mainnet')).toThrow(/unknown network/);
  });

  it('derive powLimit from powLimitBits and are frozen', () => {
    for (const p of Object.values(NETWORKS) as NetworkParams[]) {
      expect(p.powLimit).toBe(bitsToTarget(p.powLimitBits));
      expect(Object.isFrozen(p)).toBe(true);
    }
  });

  it('give each network its own address prefix', () => {
    const prefixes = Object.values(NETWORKS).map((p) => p.addressPrefix);
    expect(prefixes).toEqual(['hl', 'hldev', 'hlrt']);
  });
});
