import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitsToTarget,
  isRetargetHeight,
  MEDIAN_TIME_SPAN,
  medianTimePast,
  NETWORKS,
  type NetworkParams,
  nextBits,
  retargetIntervalAt,
  retargetWindowStart,
  targetToBits,
} from '../../../src/core/index.js';

// dev from height 60: a retarget every 20 blocks of 10 s, so the window is expected to last 200 s.
const dev = NETWORKS.dev;
const expected = dev.retargetInterval * dev.targetSpacing;
// A parent target well inside the limit, so scaling up is not capped.
const parentBits = 0x1e00ffff;
const parentTarget = bitsToTarget(parentBits)!;
const at = (seconds: number) => ({ firstTime: 1_000_000, lastTime: 1_000_000 + seconds });
const targetAfter = (seconds: number, params: NetworkParams = dev, bits = parentBits): bigint =>
  bitsToTarget(nextBits(params, params.retargetInterval * 4, bits, at(seconds)))!;

describe('difficulty retarget', () => {
  it('happens only at positive multiples of the interval, and never on regtest', () => {
    expect(isRetargetHeight(dev, 0)).toBe(false);
    expect(isRetargetHeight(dev, 1)).toBe(false);
    expect(isRetargetHeight(dev, 79)).toBe(false);
    expect(isRetargetHeight(dev, 80)).toBe(true);
    expect(isRetargetHeight(dev, 100)).toBe(true);
    expect(isRetargetHeight(dev, 101)).toBe(false);
    expect(isRetargetHeight(NETWORKS.main, 60)).toBe(true);
    expect(isRetargetHeight(NETWORKS.main, 20)).toBe(false);
    for (const h of [0, 20, 40, 60, 1000]) expect(isRetargetHeight(NETWORKS.regtest, h)).toBe(false);
  });

  it('keeps the parent bits off the interval, ignoring any window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (h, span) => {
          fc.pre(!isRetargetHeight(dev, h));
          expect(nextBits(dev, h, parentBits, at(span))).toBe(parentBits);
          expect(nextBits(dev, h, parentBits)).toBe(parentBits);
        },
      ),
    );
    expect(nextBits(NETWORKS.regtest, 20, 0x207fffff, at(1))).toBe(0x207fffff);
  });

  it('keeps the target when the window took exactly the expected time', () => {
    expect(nextBits(dev, 80, parentBits, at(expected))).toBe(parentBits);
  });

  it('scales the target by actual / expected time', () => {
    expect(targetAfter(expected / 2)).toBe(parentTarget / 2n);
    expect(targetAfter(expected * 2)).toBe(parentTarget * 2n);
    expect(targetAfter(expected * 3)).toBe(parentTarget * 3n);
    // Slower blocks: easier target (larger); faster: harder (smaller).
    expect(targetAfter(expected + 10)).toBeGreaterThan(parentTarget);
    expect(targetAfter(expected - 10)).toBeLessThan(parentTarget);
  });

  it('truncates the new target to compact bits', () => {
    const bits = nextBits(dev, 80, parentBits, at(expected + 7));
    const exact = (parentTarget * BigInt(expected + 7)) / BigInt(expected);
    expect(bits).toBe(targetToBits(exact));
  });

  it('clamps the change to a factor of 4 each way', () => {
    expect(targetAfter(expected * 4)).toBe(parentTarget * 4n);
    expect(targetAfter(expected * 100)).toBe(parentTarget * 4n);
    expect(targetAfter(expected / 4)).toBe(parentTarget / 4n);
    expect(targetAfter(1)).toBe(parentTarget / 4n);
    expect(targetAfter(0)).toBe(parentTarget / 4n);
    // Timestamps may go backwards within the window; still only a factor of 4.
    expect(targetAfter(-5000)).toBe(parentTarget / 4n);
  });

  it('never goes above the network limit', () => {
    expect(nextBits(dev, 80, dev.powLimitBits, at(expected * 4))).toBe(dev.powLimitBits);
    const nearLimit = targetToBits(dev.powLimit / 2n);
    expect(bitsToTarget(nextBits(dev, 80, nearLimit, at(expected * 3)))).toBe(dev.powLimit);
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), (span) => {
        expect(bitsToTarget(nextBits(dev, 100, dev.powLimitBits, at(span)))!).toBeLessThanOrEqual(
          dev.powLimit,
        );
      }),
    );
  });

  it('needs the window at a retarget height', () => {
    expect(() => nextBits(dev, 80, parentBits)).toThrow();
  });
});

// docs/protocol.md, "Early retarget (dev)": every 5 blocks below height 60, every 20 from there.
describe('early retarget on dev', () => {
  const early = 5 * dev.targetSpacing; // a 5-block window is expected to last 50 s

  it('retargets every 5 blocks below height 60 and every 20 from 60 on', () => {
    const below = [...Array(60).keys()].filter((h) => isRetargetHeight(dev, h));
    expect(below).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect([60, 65, 70, 75, 80].map((h) => isRetargetHeight(dev, h))).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
    expect(retargetWindowStart(dev, 55)).toBe(50);
    expect(retargetWindowStart(dev, 60)).toBe(40);
    expect(retargetIntervalAt(dev, 59)).toBe(5);
    expect(retargetIntervalAt(dev, 60)).toBe(20);
    // Main and regtest are as they were.
    expect(retargetIntervalAt(NETWORKS.main, 5)).toBe(60);
    expect(isRetargetHeight(NETWORKS.main, 5)).toBe(false);
  });

  it('at the boundary, measures 5 blocks at 59 → 55 and 20 blocks at 60', () => {
    // The same 50 s window keeps the target at 55 (5 blocks expected in 50 s) and makes 60's 4x harder
    // (20 blocks expected in 200 s).
    expect(nextBits(dev, 55, parentBits, at(early))).toBe(parentBits);
    expect(bitsToTarget(nextBits(dev, 60, parentBits, at(early)))).toBe(parentTarget / 4n);
    expect(nextBits(dev, 60, parentBits, at(expected))).toBe(parentBits);
    expect(nextBits(dev, 59, parentBits)).toBe(parentBits);
  });

  it('raises the difficulty of blocks that come fast, 4x (rounded) per early window', () => {
    // A window of 0 or 1 s clamps to 12.5 s, rounded to 13: target × 13/50.
    const faster = bitsToTarget(nextBits(dev, 5, dev.powLimitBits, at(1)))!;
    expect(faster).toBe(bitsToTarget(targetToBits((dev.powLimit * 13n) / 50n)));
    expect(faster).toBeLessThan(dev.powLimit / 3n);
  });

  it('never makes slow blocks harder: the easiest target stays while blocks come at 10 s or slower', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: early, max: 100_000 }), (k, span) => {
        expect(nextBits(dev, 5 * k, dev.powLimitBits, at(span))).toBe(dev.powLimitBits);
      }),
    );
  });
});

describe('median time past', () => {
  it('is the median of the last 11 timestamps', () => {
    expect(MEDIAN_TIME_SPAN).toBe(11);
    const times = [100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    // The last 11 are 1..11: the median is 6; the 100 is outside the span.
    expect(medianTimePast(times)).toBe(6);
  });

  it('sorts the timestamps first', () => {
    expect(medianTimePast([50, 10, 40, 20, 30])).toBe(30);
    expect(medianTimePast([9, 1, 8, 2, 7, 3, 6, 4, 5, 11, 10])).toBe(6);
  });

  it('takes the upper middle for an even count, and works with fewer than 11', () => {
    expect(medianTimePast([7])).toBe(7);
    expect(medianTimePast([1, 2])).toBe(2);
    expect(medianTimePast([4, 1, 3, 2])).toBe(3);
    expect(medianTimePast([])).toBe(0);
  });

  it('does not reorder the caller’s array', () => {
    const times = [3, 1, 2];
    medianTimePast(times);
    expect(times).toEqual([3, 1, 2]);
  });

  it('is never above the newest timestamp when timestamps increase', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 30 }), (gaps) => {
        let t = 0;
        const times = gaps.map((g) => (t += g));
        const mtp = medianTimePast(times);
        expect(mtp).toBeLessThanOrEqual(times[times.length - 1]!);
        expect(times).toContain(mtp);
      }),
    );
  });
});
