// Dev's early retarget against a simulated miner (docs/protocol.md, "Early retarget (dev)"): blocks
// found at exponential times for a fixed hash rate, stamped in whole seconds, each with the bits
// nextBits requires. Seeded, so the figures repeat; no clock is read.
import { describe, expect, it } from 'vitest';
import {
  isRetargetHeight,
  medianTimePast,
  NETWORKS,
  type NetworkParams,
  nextBits,
  retargetWindowStart,
  workForBits,
} from '../../../src/core/index.js';

const dev = NETWORKS.dev;
const withoutEarlyRetarget: NetworkParams = { ...dev, earlyRetarget: undefined };

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
}

/** Seconds after the start at which each of `count` blocks is found by a miner of `rate` hashes/s. */
function mine(params: NetworkParams, rate: number, seed: number, count: number): number[] {
  const random = lcg(seed);
  const start = 1_800_000_000;
  const blocks = [{ time: params.genesis.time, bits: params.powLimitBits }];
  const found: number[] = [];
  let t = 0;
  for (let h = 1; h <= count; h++) {
    const parent = blocks[h - 1]!;
    const window = isRetargetHeight(params, h)
      ? { firstTime: blocks[retargetWindowStart(params, h)]!.time, lastTime: parent.time }
      : undefined;
    const bits = nextBits(params, h, parent.bits, window);
    t += (-Math.log(1 - random()) * Number(workForBits(bits))) / rate;
    const mtp = medianTimePast(blocks.slice(-11).map((b) => b.time));
    blocks.push({ time: Math.max(start + Math.floor(t), mtp + 1), bits });
    found.push(t);
  }
  return found;
}

const meanBlocksWithin = (params: NetworkParams, rate: number, seconds: number): number => {
  let total = 0;
  for (let seed = 1; seed <= 10; seed++)
    total += mine(params, rate, seed, 150).filter((t) => t <= seconds).length;
  return total / 10;
};

describe('early retarget on dev, simulated', () => {
  it('a 2 M hashes/s miner no longer finds dozens of blocks in its first 12 s', () => {
    expect(meanBlocksWithin(withoutEarlyRetarget, 2e6, 12)).toBeGreaterThan(60);
    expect(meanBlocksWithin(dev, 2e6, 12)).toBeLessThan(30);
  });

  it('a 22 M hashes/s miner: a burst of the first blocks, then a few a minute', () => {
    expect(meanBlocksWithin(withoutEarlyRetarget, 22e6, 60)).toBeGreaterThan(100);
    expect(meanBlocksWithin(dev, 22e6, 60)).toBeLessThan(45);
  });
});
