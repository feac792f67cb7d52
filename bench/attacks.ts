// Attacks from one peer at no cost, as issue 16 lists them, each against real node processes on
// 127.0.0.1 (the built CLI) and each against the same node without the attack, in the same run: the
// victim's disk growth (du of its data directory), RSS growth (VmRSS), `GET /api/v1/status` p99 while
// the attack runs (a worker thread polling every 20 ms, each request given up after 10 s), and where it
// applies the time to catch up or to get a block.
//
//   npm run build && node --import tsx bench/attacks.ts [scenario ...]   (e.g. `side-blocks orphans`)
//
// Scaled down so that the whole bench takes about a minute and a half; each row's name or note gives the scale.
// On loopback every peer is 127.0.0.1: limits that key on the IP see one host (the rows say so). A
// defended node may refuse the attacker's connection, ignore its gossip, refuse its transactions or ban
// it: each of those is a measured outcome, and every wait is bounded.
import '../src/polyfill.js';
import { cleanupNodes } from '../test/support/node-process.js';
import { chainedTxsAttack } from './attacks/chained-txs.js';
import { colocationAttack } from './attacks/colocation.js';
import { corruptedCopiesAttack } from './attacks/corrupted-copies.js';
import { orphansAttack } from './attacks/orphans.js';
import { failedRow } from './attacks/rows.js';
import { sideBlocksAttack } from './attacks/side-blocks.js';
import { slotsAttack } from './attacks/slots.js';
import { syncStallAttack } from './attacks/sync-stall.js';
import { assertBuilt } from './lib/node-process.js';
import { progress, type Row, runAsScript } from './lib/report.js';

/** Past this, the scenarios left are skipped (run.ts stops the bench at 600 s and would lose every row). */
const BUDGET_SECONDS = 420;

const SCENARIOS: ReadonlyArray<{ name: string; run: () => Promise<Row[]> }> = [
  { name: 'side-blocks', run: sideBlocksAttack },
  { name: 'orphans', run: orphansAttack },
  { name: 'slots', run: slotsAttack },
  { name: 'sync-stall', run: syncStallAttack },
  { name: 'chained-txs', run: chainedTxsAttack },
  { name: 'corrupted-copies', run: corruptedCopiesAttack },
  { name: 'colocation', run: colocationAttack },
];

export async function runAttacksBench(only: readonly string[] = []): Promise<Row[]> {
  assertBuilt();
  const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length)
    throw new Error(
      `unknown scenario ${unknown.join(', ')} (have: ${SCENARIOS.map((s) => s.name).join(', ')})`,
    );
  const rows: Row[] = [];
  const begin = performance.now();
  for (const scenario of SCENARIOS) {
    if (only.length && !only.includes(scenario.name)) continue;
    const elapsed = (performance.now() - begin) / 1000;
    if (elapsed > BUDGET_SECONDS) {
      rows.push(failedRow(scenario.name, new Error(`skipped: the bench had run ${elapsed.toFixed(0)} s`)));
      continue;
    }
    progress(`attacks: === ${scenario.name} ===`);
    const t0 = performance.now();
    try {
      rows.push(...(await scenario.run()));
    } catch (e) {
      rows.push(failedRow(scenario.name, e));
    } finally {
      // Whatever a failed scenario left running is stopped before the next one starts.
      await cleanupNodes();
    }
    progress(`attacks: ${scenario.name} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  return rows;
}

await runAsScript(import.meta.url, 'attacks', () => runAttacksBench(process.argv.slice(2)));
