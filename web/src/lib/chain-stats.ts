// Series for the explorer's charts, computed from consecutive block summaries (oldest first).
import { workForBits } from '../../../src/core/pow.js';
import { parseBits } from './format.js';

export interface BlockPoint {
  readonly height: number;
  readonly time: number;
  readonly bits: number | string;
  readonly difficulty: number | string;
}

export interface ChainSeries {
  readonly difficulty: { height: number; value: number }[];
  /** Seconds since the previous block (the first block of the window has no point). */
  readonly blockTime: { height: number; value: number }[];
  /** Estimated network hash rate: work done over a trailing window divided by the time it took. */
  readonly hashRate: { height: number; value: number }[];
}

export function chainSeries(blocks: readonly BlockPoint[], window = 10): ChainSeries {
  const difficulty = blocks.map((b) => ({ height: b.height, value: Number(b.difficulty) }));
  const blockTime: { height: number; value: number }[] = [];
  const hashRate: { height: number; value: number }[] = [];
  const work = blocks.map((b) => {
    const bits = parseBits(b.bits);
    return bits === null ? 0n : workForBits(bits);
  });
  // The genesis block's time is fixed in the code, not mined: intervals start after it.
  const start = blocks.findIndex((b) => b.height > 0);
  for (let i = Math.max(1, start + 1); start >= 0 && i < blocks.length; i++) {
    blockTime.push({ height: blocks[i]!.height, value: blocks[i]!.time - blocks[i - 1]!.time });
    const first = Math.max(start, i - window);
    const span = blocks[i]!.time - blocks[first]!.time;
    let sum = 0n;
    for (let j = first + 1; j <= i; j++) sum += work[j]!;
    // Timestamps may be equal (or even go backwards slightly); a zero span gives no estimate.
    if (span > 0) hashRate.push({ height: blocks[i]!.height, value: Number(sum) / span });
  }
  return { difficulty, blockTime, hashRate };
}

export function average(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
