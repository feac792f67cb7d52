// Difficulty retargeting and median time past: pure functions of the ancestors' data the caller passes in.

import { MEDIAN_TIME_SPAN, type NetworkParams } from './params.js';
import { bitsToTarget, targetToBits } from './pow.js';

/**
 * Blocks per retarget window for a block at this height: the early interval below the network's
 * early-retarget height (dev), else retargetInterval.
 */
export function retargetIntervalAt(params: NetworkParams, height: number): number {
  const early = params.earlyRetarget;
  return early && height < early.untilHeight ? early.interval : params.retargetInterval;
}

/** True when a block at this height gets a new target. */
export const isRetargetHeight = (params: NetworkParams, height: number): boolean =>
  !params.noRetarget && height > 0 && height % retargetIntervalAt(params, height) === 0;

/** Height of the first block of the window a retarget at `height` measures (its last is the parent). */
export const retargetWindowStart = (params: NetworkParams, height: number): number =>
  height - retargetIntervalAt(params, height);

/**
 * Bits required of the block at `height`. At a retarget height the caller passes the timestamps of
 * the parent and of the block at retargetWindowStart (the window's first block); the parent's target
 * is scaled by actual/expected time of the window, clamped to a factor of 4 each way and to the
 * network's easiest target.
 */
export function nextBits(
  params: NetworkParams,
  height: number,
  parentBits: number,
  window?: { firstTime: number; lastTime: number },
): number {
  if (!isRetargetHeight(params, height)) return parentBits;
  if (!window) throw new Error('retarget height needs the window timestamps');
  const expected = retargetIntervalAt(params, height) * params.targetSpacing;
  const actual = Math.min(Math.max(window.lastTime - window.firstTime, expected / 4), expected * 4);
  const parentTarget = bitsToTarget(parentBits) ?? params.powLimit;
  let target = (parentTarget * BigInt(Math.round(actual))) / BigInt(expected);
  if (target > params.powLimit) target = params.powLimit;
  return targetToBits(target);
}

/** Median of the last (up to) 11 timestamps, given oldest first. */
export function medianTimePast(times: readonly number[]): number {
  const recent = times.slice(-MEDIAN_TIME_SPAN).sort((a, b) => a - b);
  if (recent.length === 0) return 0;
  return recent[Math.floor(recent.length / 2)]!;
}
