// The time-warp rule's table: the first block of a retarget window may be at most 600 s earlier
// than its parent, the last block of the previous window (BIP94). Regtest never retargets, so the
// rule never applies there; this table runs on regtest made to retarget every 10 blocks instead.
import { MAX_TIMEWARP_SECONDS, type NetworkParams } from '../../../src/core/index.js';
import { FULLBLOCK_PARAMS, FullBlockGenerator, setHeader, type TestInstance } from './generator.js';

/** The full-block network with retargeting on, every 10 blocks (same genesis). */
export const TIMEWARP_PARAMS: NetworkParams = Object.freeze({
  ...FULLBLOCK_PARAMS,
  noRetarget: false,
  retargetInterval: 10,
});

/** How far ahead of its default time the last block of the first window is dated. */
const AHEAD = 2_000;

/**
 * The attack needs the last block of a window far ahead, then the next window's first block far
 * back; the median time past stays low, so only the time-warp rule stops the second step.
 *
 *   genesis -> tw1 -> ... -> tw8 -> tw9 (+2000 s) -> tw10 (tw9 − 600 s) -> tw11 (tw10 − 1000 s)
 *                                                \-> tw10-601s-early(x)
 */
export function timeWarpTests(): TestInstance[] {
  const g = new FullBlockGenerator(TIMEWARP_PARAMS);
  for (let h = 1; h <= 8; h++) {
    g.nextBlock(`tw${h}`);
    g.accept();
  }
  g.nextBlock('tw9', { munge: setHeader({ time: g.defaultTime(9) + AHEAD }) });
  g.accept();
  const parentTime = g.tip.block.header.time;

  // Height 10 starts a window: 601 s before the parent is refused, 600 s accepted.
  g.nextBlock('tw10-601s-early', { munge: setHeader({ time: parentTime - MAX_TIMEWARP_SECONDS - 1 }) });
  if (g.tip.block.header.time <= g.medianTimePast('tw9')) throw new Error('time-too-old would fire first');
  g.reject('time-timewarp-attack');
  g.setTip('tw9');
  g.nextBlock('tw10', { munge: setHeader({ time: parentTime - MAX_TIMEWARP_SECONDS }) });
  g.accept();

  // Height 11 starts no window: a block may be much earlier than its parent (above the median time past).
  const tw10Time = g.tip.block.header.time;
  g.nextBlock('tw11', { munge: setHeader({ time: tw10Time - 1_000 }) });
  g.accept();
  g.expectTip('tw11');
  return g.instances;
}
