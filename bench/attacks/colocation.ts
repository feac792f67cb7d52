// 7. Gossipsub IP colocation: SYBILS peer ids from 127.0.0.1 (one process of the hostile harness, each
// host subscribed to the block and transaction topics) connect to the victim and leave. Then an honest
// node, also on 127.0.0.1 and connected to the victim throughout, mines blocks and pays from its wallet:
// the time each block takes to become the victim's tip and each transaction to be in its mempool,
// against the same before the sybils came. gossipsub's default scoring counts peers per IP, so on one
// host every peer shares the sybils' IP. A block muted on gossip still comes by the sync that the tip
// announcement triggers (fast on loopback); a transaction has only gossip and the mempool exchange's
// announcements (gathered for 500 ms), so transactions show the muting more plainly.
import { api, mine, type NodeProcess, waitFor } from '../../test/support/node-process.js';
import { BURN_ADDRESS } from '../../test/support/p2p-blocks.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { ratioOver, windowRows } from './rows.js';
import { ARRIVAL_POLL_MS, measure, p2pAddr, peersOf, sleep, startBenchNode, timeToTip } from './victim.js';

export const SYBILS = 15;
const BLOCKS = 3;
const ARRIVAL_CAP_MS = 10_000;
/** Lower for transactions: a muted one may never come, and there are three to wait for. */
const TX_CAP_MS = 5_000;
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

/** Pays from `payer`'s wallet BLOCKS times; each payment's ms to be known to `victim` (the cap if never). */
async function txArrivals(payer: NodeProcess, victim: NodeProcess): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < BLOCKS; i++) {
    const paid = await api(payer.url).post('/transactions/new', {
      recipient: BURN_ADDRESS,
      amount: 1000 + i,
    });
    if (paid.status !== 201) throw new Error(`payment: HTTP ${paid.status} ${paid.text.slice(0, 200)}`);
    const t0 = performance.now();
    try {
      await waitFor(
        async () => (await api(victim.url).get(`/api/v1/tx/${paid.body.txid}`)).status === 200,
        'the payment',
        {
          timeoutMs: TX_CAP_MS,
          intervalMs: ARRIVAL_POLL_MS,
        },
      );
      out.push(performance.now() - t0);
    } catch {
      out.push(TX_CAP_MS);
    }
  }
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fmt = (xs: readonly number[]) => xs.map((x) => formatNumber(x)).join(', ');

/**
 * Arrivals are polled every ARRIVAL_POLL_MS, so a time is either found at the first poll (a few ms) or
 * at a later one: below one interval two times are not told apart, and the goal's baseline is at least
 * that. Muting shows as seconds (up to the cap).
 */
function arrivalRow(name: string, after: readonly number[], before: readonly number[], capMs: number): Row {
  const [b50, h50] = [median(before), median(after)];
  const floor = Math.max(b50, ARRIVAL_POLL_MS);
  return {
    name: `${name}, median of ${BLOCKS}`,
    value: h50,
    unit: 'ms',
    baseline: `${formatNumber(b50)} ms before the sybils`,
    ratio: ratioOver(h50, b50, 0.01),
    goal: `≤ ${ARRIVAL_GOAL_RATIO}x the baseline (at least ${ARRIVAL_POLL_MS} ms: the polling interval)`,
    met: h50 <= ARRIVAL_GOAL_RATIO * floor,
    note: `after: ${fmt(after)} ms; before: ${fmt(before)} ms (polled every ${ARRIVAL_POLL_MS} ms, capped at ${capMs / 1000} s)`,
  };
}

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
    const base = await measure(victim, async () => ({
      blocks: await arrivals(miner, victim),
      txs: await txArrivals(miner, victim),
    }));
    const attacker = await startAttacker(victim, { connect: false });
    try {
      progress(`attacks: colocation: ${SYBILS} sybils connect and leave`);
      const hit = await measure(victim, async () => {
        const joined = await attacker.try('sybils', { addr: await p2pAddr(victim), count: SYBILS });
        await attacker.try('sybils-leave');
        await sleep(1_000);
        return { joined, blocks: await arrivals(miner, victim), txs: await txArrivals(miner, victim) };
      });
      const { joined, blocks, txs } = hit.result;
      return [
        ...windowRows(attack, base.window, hit.window, { baseline: 'the same blocks before the sybils' }),
        arrivalRow(
          `${attack}: a block mined on an honest peer reaches the victim`,
          blocks,
          base.result.blocks,
          ARRIVAL_CAP_MS,
        ),
        arrivalRow(
          `${attack}: a transaction paid on an honest peer reaches the victim`,
          txs,
          base.result.txs,
          TX_CAP_MS,
        ),
        {
          name: `${attack}: handshakes the sybils completed`,
          value: joined.handshakes ?? 0,
          unit: `of ${SYBILS}`,
          note: joined.errors?.length
            ? `refused: ${[...new Set(joined.errors as string[])].slice(0, 2).join('; ')}`
            : '',
        },
      ];
    } finally {
      await attacker.stop();
    }
  } finally {
    await Promise.all([miner.stop(), victim.stop()]);
  }
}
