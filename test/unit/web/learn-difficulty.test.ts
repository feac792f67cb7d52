// Step 9's simulator: reproducible from its seed, and the real retarget brings block times back to
// the target spacing after the hash rate changes (and never moves on regtest).
import { describe, expect, it } from 'vitest';
import { isRetargetHeight, nextBits, retargetWindowStart } from '../../../src/core/difficulty.js';
import { NETWORKS } from '../../../src/core/params.js';
import {
  equilibriumRate,
  seededRandom,
  simulateDifficulty,
  windowAverages,
} from '../../../web/src/learn/lib/difficulty-sim.js';

const dev = NETWORKS.dev;

describe('seeded PRNG', () => {
  it('repeats with its seed, differs with another, stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('difficulty simulation', () => {
  const base = equilibriumRate(dev) * 4;
  const phases = [
    { fromHeight: 0, rate: base },
    { fromHeight: 100, rate: base * 10 },
  ];
  const run = simulateDifficulty(dev, phases, 300, 42);

  it('is reproducible and changes bits only at retarget heights, by nextBits', () => {
    expect(simulateDifficulty(dev, phases, 300, 42)).toEqual(run);
    expect(simulateDifficulty(dev, phases, 300, 43)).not.toEqual(run);
    for (const b of run.slice(1)) {
      const parent = run[b.height - 1]!;
      if (!isRetargetHeight(dev, b.height)) expect(b.bits).toBe(parent.bits);
      else {
        const window = { firstTime: run[retargetWindowStart(dev, b.height)]!.time, lastTime: parent.time };
        expect(b.bits).toBe(nextBits(dev, b.height, parent.bits, window));
      }
    }
  });

  it('raises the difficulty after the hash rate rises tenfold, bringing block times back near the target', () => {
    const before = run[99]!.difficulty;
    const after = run[300]!.difficulty;
    expect(after / before).toBeGreaterThan(6);
    expect(after / before).toBeLessThan(15);
    const windows = windowAverages(dev, run);
    const firstAfter = windows.find((w) => w.x > 100)!;
    // Right after the jump, blocks come much too fast; the last windows are back near 10 s.
    expect(firstAfter.y).toBeLessThan(dev.targetSpacing / 2);
    const tail = windows.slice(-5);
    const tailMean = tail.reduce((s, w) => s + w.y, 0) / tail.length;
    expect(tailMean).toBeGreaterThan(dev.targetSpacing * 0.6);
    expect(tailMean).toBeLessThan(dev.targetSpacing * 1.5);
  });

  it('never retargets on regtest', () => {
    const r = simulateDifficulty(NETWORKS.regtest, phases, 100, 1);
    expect(new Set(r.map((b) => b.bits)).size).toBe(1);
  });
});
