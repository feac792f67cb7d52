// 2. Orphan blocks: well-formed ~1 MB blocks whose parents nobody has (random hashes), at regtest's
// trivial target, gossiped one after the other. Measured: the victim's RSS growth (what it holds), its
// disk growth, and the attacker's score.
import { randomBytes } from 'node:crypto';
import { NETWORKS } from '../../src/core/params.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { bigBlock, fillerTxs } from './blocks.js';
import { windowRows } from './rows.js';
import { MB, measure, peersOf, sleep, startBenchNode } from './victim.js';

export const ORPHANS = 50;
export const ORPHAN_BYTES = 950_000;
const IDLE_MS = 3_000;
/** After the last publish: the victim's gossip validation may still be working through its queue. */
const SETTLE_MS = 3_000;
/** What the victim may keep for all orphans together before the goal counts it as unbounded. */
const RSS_GOAL_MB = 100;

export async function orphansAttack(): Promise<Row[]> {
  const attack = `2. ${ORPHANS} orphan blocks of ${formatNumber(ORPHAN_BYTES / 1000)} kB (regtest)`;
  const victim = await startBenchNode('regtest');
  try {
    // One body for all: each block differs by its random parent and coinbase, which is all it takes.
    const txs = fillerTxs(ORPHAN_BYTES);
    const now = Math.floor(Date.now() / 1000);
    const attacker = await startAttacker(victim);
    try {
      const base = await measure(victim, () => sleep(IDLE_MS));
      progress(`attacks: orphans: gossiping ${ORPHANS}`);
      let delivered = 0;
      let sentBytes = 0;
      const hit = await measure(
        victim,
        async () => {
          for (let i = 0; i < ORPHANS; i++) {
            const block = bigBlock({
              params: NETWORKS.regtest,
              parentHash: randomBytes(32).toString('hex'),
              height: 1000 + i,
              time: now,
              txs,
              extraNonce: BigInt(i),
            });
            sentBytes += block.bytes.length;
            if (await attacker.gossipBlock(block.hex)) delivered++;
          }
        },
        SETTLE_MS,
      );
      const score = (await peersOf(victim)).find((p) => p.id === attacker.peerId)?.score;
      const rows = windowRows(attack, base.window, hit.window, {
        baseline: `idle ${IDLE_MS / 1000} s`,
        rssGoal: { mb: RSS_GOAL_MB, text: `< ${RSS_GOAL_MB} MB (bounded)` },
      });
      rows[1]!.note = `${rows[1]!.note}; ${formatNumber(sentBytes / MB)} MB sent, ${delivered} delivered to the victim${
        attacker.connected ? '' : ` (connection refused: ${attacker.connectError})`
      }; attacker's score ${score ?? 'gone (disconnected or banned)'}`;
      return rows;
    } finally {
      await attacker.stop();
    }
  } finally {
    await victim.stop();
  }
}
