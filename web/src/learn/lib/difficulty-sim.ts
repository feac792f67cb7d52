// Step 9: a simulated miner against the node's real retarget (nextBits). Block times are drawn from
// the hash rate with a seeded PRNG, so a run is reproducible: the same seed gives the same chain.
import { isRetargetHeight, nextBits, retargetWindowStart } from '../../../../src/core/difficulty.js';
import type { NetworkParams } from '../../../../src/core/params.js';
import { bitsToTarget, workForBits } from '../../../../src/core/pow.js';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** From `fromHeight` on, the miner does `rate` hashes per second. */
export interface RatePhase {
  readonly fromHeight: number;
  readonly rate: number;
}

export interface SimBlock {
  readonly height: number;
  readonly bits: number;
  readonly time: number;
  /** Seconds since the previous block. */
  readonly interval: number;
  /** powLimit / target: how many times harder than the easiest block. */
  readonly difficulty: number;
  readonly retarget: boolean;
}

const rateAt = (phases: readonly RatePhase[], height: number): number =>
  [...phases].reverse().find((p) => height >= p.fromHeight)?.rate ?? phases[0]!.rate;

/** Mines `count` blocks after genesis; each block's bits come from nextBits on the simulated times. */
export function simulateDifficulty(
  params: NetworkParams,
  phases: readonly RatePhase[],
  count: number,
  seed: number,
): SimBlock[] {
  const random = seededRandom(seed);
  const blocks: SimBlock[] = [
    {
      height: 0,
      bits: params.powLimitBits,
      time: params.genesis.time,
      interval: 0,
      difficulty: 1,
      retarget: false,
    },
  ];
  for (let height = 1; height <= count; height++) {
    const parent = blocks[height - 1]!;
    const retarget = isRetargetHeight(params, height);
    const window = retarget
      ? { firstTime: blocks[retargetWindowStart(params, height)]!.time, lastTime: parent.time }
      : undefined;
    const bits = nextBits(params, height, parent.bits, window);
    // Finding a block is a Poisson process: exponential waiting time with mean work / hash rate.
    const mean = Number(workForBits(bits)) / rateAt(phases, height);
    const interval = Math.max(1, Math.round(-Math.log(1 - random()) * mean));
    const target = bitsToTarget(bits) ?? params.powLimit;
    blocks.push({
      height,
      bits,
      time: parent.time + interval,
      interval,
      difficulty: Number((params.powLimit * 1000n) / target) / 1000,
      retarget,
    });
  }
  return blocks;
}

/** Mean block interval of each retarget window, at the window's last height. */
export function windowAverages(
  params: NetworkParams,
  blocks: readonly SimBlock[],
): { x: number; y: number }[] {
  const n = params.retargetInterval;
  const out: { x: number; y: number }[] = [];
  for (let end = n; end < blocks.length; end += n) {
    const slice = blocks.slice(end - n + 1, end + 1);
    out.push({ x: end, y: slice.reduce((s, b) => s + b.interval, 0) / slice.length });
  }
  return out;
}

/** Hash rate at which blocks of the easiest target come every targetSpacing seconds. */
export const equilibriumRate = (params: NetworkParams): number =>
  Number(workForBits(params.powLimitBits)) / params.targetSpacing;
