// 4. Sync stall: an attacker claims far more chain work than anyone, and answers each of the victim's
// sync requests slowly (after STALL_DELAY_MS, standing in for "just under the timeout") with one block at
// a time. An honest node is 20 blocks ahead. Measured: the victim's time to reach the honest tip once
// it knows the honest node, against a fresh node of the same kind joining the honest node alone.
import { api, type NodeProcess } from '../../test/support/node-process.js';
import { BURN_ADDRESS, buildBlock } from '../../test/support/p2p-blocks.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { windowRows } from './rows.js';
import { measure, p2pAddr, peersOf, sleep, startBenchNode, status, timeToTip } from './victim.js';

export const AHEAD = 20;
/** How long the attacker sits on each request (its timeouts are 20 s for headers, 60 s for blocks). */
export const STALL_DELAY_MS = 1_000;
/** The longest the bench waits for a victim to catch up. */
const CATCH_UP_CAP_MS = 30_000;
const CATCH_UP_GOAL_MS = 10_000;

/** The honest node's chain: AHEAD regtest blocks, built here so the attacker can serve the same bytes. */
async function honestChain(honest: NodeProcess): Promise<string[]> {
  let parent = (await status(honest)).genesis as string;
  const start = Math.floor(Date.now() / 1000) - AHEAD;
  const hexes: string[] = [];
  for (let h = 1; h <= AHEAD; h++) {
    const block = buildBlock({ parentHash: parent, height: h, time: start + h, minerAddress: BURN_ADDRESS });
    const r = await api(honest.url).post('/api/v1/blocks', { hex: block.hex });
    if (r.status !== 201) throw new Error(`POST /api/v1/blocks: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    hexes.push(block.hex);
    parent = block.hash;
  }
  return hexes;
}

/** `node` is told of the honest node; ms until it reaches `tip` (undefined after the cap). */
async function catchUp(node: NodeProcess, honestAddr: string, tip: string): Promise<number | undefined> {
  const t0 = performance.now();
  const r = await api(node.url, { timeoutMs: CATCH_UP_CAP_MS })
    .post('/api/v1/peers', { address: honestAddr })
    .catch(() => ({ status: 0 }));
  if (r.status !== 201) return undefined;
  const rest = await timeToTip(node, tip, CATCH_UP_CAP_MS - (performance.now() - t0));
  return rest === undefined ? undefined : performance.now() - t0;
}

export async function syncStallAttack(): Promise<Row[]> {
  const attack = `4. sync stalled by a peer claiming more work (${formatNumber(STALL_DELAY_MS)} ms per answer, 1 block each)`;
  const [honest, fresh, victim] = await Promise.all([
    startBenchNode('regtest'),
    startBenchNode('regtest'),
    startBenchNode('regtest'),
  ]);
  try {
    const hexes = await honestChain(honest);
    const tip: string = (await status(honest)).tip;
    const honestAddr = await p2pAddr(honest);
    progress(`attacks: sync stall: a fresh node catches up ${AHEAD} blocks from the honest node alone`);
    const base = await measure(fresh, () => catchUp(fresh, honestAddr, tip));

    const attacker = await startAttacker(victim);
    try {
      await attacker.try('serve', { mode: 'slow', blocks: hexes, delayMs: STALL_DELAY_MS });
      await attacker.try('announce', {
        height: 1_000_000,
        tipHash: tip,
        chainWork: (2n ** 200n).toString(),
      });
      // Until the victim has asked the attacker something (it syncs from the peer with the most work).
      let asked = 0;
      for (let i = 0; i < 50 && asked === 0; i++) {
        asked = ((await attacker.try('state')).requests ?? []).length;
        if (asked === 0) await sleep(100);
      }
      progress(`attacks: sync stall: the victim, syncing from the attacker, is told of the honest node`);
      const hit = await measure(victim, () => catchUp(victim, honestAddr, tip));
      const reached = (await status(victim)).height;
      const requests = ((await attacker.try('state')).requests ?? []).length;
      const score = (await peersOf(victim)).find((p) => p.id === attacker.peerId)?.score;
      const ms = hit.result;
      return [
        ...windowRows(attack, base.window, hit.window, {
          baseline: `a fresh node syncing ${AHEAD} blocks from the honest node alone`,
        }),
        {
          name: `${attack}: victim's catch-up time, ${AHEAD} blocks behind an honest peer`,
          value: ms ?? CATCH_UP_CAP_MS,
          unit: 'ms',
          baseline:
            base.result === undefined
              ? 'none within the cap'
              : `${formatNumber(base.result)} ms without the attacker`,
          ratio: base.result ? (ms ?? CATCH_UP_CAP_MS) / base.result : undefined,
          goal: `< ${formatNumber(CATCH_UP_GOAL_MS)} ms (the honest peer's pace)`,
          met: ms !== undefined && ms < CATCH_UP_GOAL_MS,
          note: `${ms === undefined ? `not caught up within ${CATCH_UP_CAP_MS / 1000} s (height ${reached} of ${AHEAD}); ` : ''}${
            asked ? '' : 'the victim never asked the attacker before the honest node came; '
          }${requests} requests to the attacker${attacker.connected ? '' : ` (connection refused: ${attacker.connectError})`}; attacker's score ${score ?? 'gone (disconnected or banned)'}`,
        },
      ];
    } finally {
      await attacker.stop();
    }
  } finally {
    await Promise.all([honest.stop(), fresh.stop(), victim.stop()]);
  }
}
