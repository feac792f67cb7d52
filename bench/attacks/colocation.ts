// 7. Gossipsub IP colocation: SYBILS peer ids from 127.0.0.1 (one process of the hostile harness, each
// host subscribed to the block and transaction topics) connect to the victim and leave. Then an honest
// node, also on 127.0.0.1 and connected to the victim throughout, mines blocks: the time each takes to
// become the victim's tip, against the same before the sybils came. gossipsub's default scoring counts
// peers per IP, so on one host every peer shares the sybils' IP.
import { mine, type NodeProcess, waitFor } from '../../test/support/node-process.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { ratioOver, windowRows } from './rows.js';
import { measure, p2pAddr, peersOf, sleep, startBenchNode, timeToTip } from './victim.js';

export const SYBILS = 15;
const BLOCKS = 3;
const ARRIVAL_CAP_MS = 20_000;
const ARRIVAL_GOAL_RATIO = 2;

/** Mines BLOCKS blocks on `miner`, one at a time; each one's ms to become `victim`'s tip (the cap if never). */
async function arrivals(miner: NodeProcess, victim: NodeProcess): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < BLOCKS; i++) {
    const [hash] = await mine(miner.url, 1);
    out.push((await timeToTip(victim, hash!, ARRIVAL_CAP_MS)) ?? ARRIVAL_CAP_MS);
  }
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function colocationAttack(): Promise<Row[]> {
  const attack = `7. ${SYBILS} peer ids from one IP connect and leave (gossipsub colocation)`;
  const victim = await startBenchNode('regtest');
  const miner = await startBenchNode('regtest', ['--peer', await p2pAddr(victim)]);
  try {
    await waitFor(async () => (await peersOf(victim)).some((p) => p.height >= 0), 'the honest peer', {
      timeoutMs: 20_000,
    });
    // gossipsub forms its mesh on its heartbeat: let the first block find it formed.
    await sleep(2_000);
    const base = await measure(victim, () => arrivals(miner, victim));
    const attacker = await startAttacker(victim, { connect: false });
    try {
      progress(`attacks: colocation: ${SYBILS} sybils connect and leave`);
      const hit = await measure(victim, async () => {
        const joined = await attacker.try('sybils', { addr: await p2pAddr(victim), count: SYBILS });
        await attacker.try('sybils-leave');
        await sleep(1_000);
        return { joined, times: await arrivals(miner, victim) };
      });
      const { joined, times } = hit.result;
      const [b50, h50] = [median(base.result), median(times)];
      const fmt = (xs: readonly number[]) => xs.map((x) => formatNumber(x)).join(', ');
      return [
        ...windowRows(attack, base.window, hit.window, { baseline: 'the same blocks before the sybils' }),
        {
          name: `${attack}: a block mined on an honest peer reaches the victim, median of ${BLOCKS}`,
          value: h50,
          unit: 'ms',
          baseline: `${formatNumber(b50)} ms before the sybils`,
          ratio: ratioOver(h50, b50, 0.01),
          goal: `≤ ${ARRIVAL_GOAL_RATIO}x the baseline`,
          met: h50 <= ARRIVAL_GOAL_RATIO * b50,
          note: `after: ${fmt(times)} ms; before: ${fmt(base.result)} ms (capped at ${ARRIVAL_CAP_MS / 1000} s); the sybils completed ${
            joined.handshakes ?? 0
          } handshakes${joined.errors?.length ? `, refused: ${[...new Set(joined.errors as string[])].slice(0, 2).join('; ')}` : ''}`,
        },
      ];
    } finally {
      await attacker.stop();
    }
  } finally {
    await Promise.all([miner.stop(), victim.stop()]);
  }
}
