// 1. Side blocks forking from genesis on the dev network: below the first retarget every block is at the
// easiest target (about 65,000 hashes, mined here on the bench's thread), so an attacker can make as many
// as it likes and gossip them. The victim is at height 2; a bystander is connected to the victim only.
// Measured: disk growth of both (the bystander's is what relayed side blocks cost a node the attacker
// never spoke to), how many each stores, the attacker's score.
import { NETWORKS } from '../../src/core/params.js';
import { mine, type NodeProcess, waitForHeight } from '../../test/support/node-process.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { bigBlock, fillerTxs } from './blocks.js';
import { ratioOver, windowRows } from './rows.js';
import {
  diskBytes,
  MB,
  measure,
  p2pAddr,
  peersOf,
  sleep,
  startBenchNode,
  status,
  storedCount,
} from './victim.js';

export const SIDE_BLOCKS = 10;
export const SIDE_BLOCK_BYTES = 500_000;
const IDLE_MS = 3_000;
/** How long after the last publish the victim and the bystander get to store what they will. */
const SETTLE_MS = 5_000;

async function waitStored(nodes: readonly NodeProcess[], hashes: readonly string[]): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const counts = await Promise.all(nodes.map((n) => storedCount(n, hashes)));
    if (counts.every((c) => c === hashes.length)) return;
    await sleep(250);
  }
}

export async function sideBlocksAttack(): Promise<Row[]> {
  const attack = `1. ${SIDE_BLOCKS} side blocks of ${formatNumber(SIDE_BLOCK_BYTES / 1000)} kB from genesis (dev)`;
  const victim = await startBenchNode('dev');
  let bystander: NodeProcess | undefined;
  try {
    progress('attacks: side blocks: the victim mines 2 dev blocks, a bystander syncs them');
    await mine(victim.url, 2);
    bystander = await startBenchNode('dev', ['--peer', await p2pAddr(victim)]);
    // Not a precondition: a node may refuse a chain below the network's minimum work.
    const bystanderSynced = await waitForHeight(bystander.url, 2, 30_000).then(
      () => true,
      () => false,
    );
    const genesis: string = (await status(victim)).genesis;

    const t0 = performance.now();
    const txs = fillerTxs(SIDE_BLOCK_BYTES);
    const now = Math.floor(Date.now() / 1000);
    const blocks = Array.from({ length: SIDE_BLOCKS }, (_, i) =>
      bigBlock({
        params: NETWORKS.dev,
        parentHash: genesis,
        height: 1,
        time: now,
        txs,
        extraNonce: BigInt(i + 1),
      }),
    );
    const mineSeconds = (performance.now() - t0) / 1000;
    const hashes = blocks.map((b) => b.hash);

    const attacker = await startAttacker(victim);
    try {
      const c0 = diskBytes(bystander.dataDir);
      const base = await measure(victim, () => sleep(IDLE_MS));
      const c1 = diskBytes(bystander.dataDir);
      progress(`attacks: side blocks: gossiping ${SIDE_BLOCKS} (mined in ${formatNumber(mineSeconds)} s)`);
      let delivered = 0;
      const hit = await measure(victim, async () => {
        for (const b of blocks) if (await attacker.gossipBlock(b.hex)) delivered++;
        await waitStored([victim, bystander!], hashes);
      });
      const c2 = diskBytes(bystander.dataDir);
      const onVictim = await storedCount(victim, hashes);
      const onBystander = await storedCount(bystander, hashes);
      const score = (await peersOf(victim)).find((p) => p.id === attacker.peerId)?.score;
      const blockMb = blocks[0]!.bytes.length / MB;
      return [
        ...windowRows(attack, base.window, hit.window, {
          baseline: `idle ${IDLE_MS / 1000} s`,
          diskGoal: { mb: blockMb, text: '< 1 block (not stored)' },
        }),
        {
          name: `${attack}: bystander disk growth (connected to the victim only)`,
          value: (c2 - c1) / MB,
          unit: 'MB',
          baseline: `${formatNumber((c1 - c0) / MB)} MB (idle)`,
          ratio: ratioOver(c2 - c1, c1 - c0, 0.1 * MB),
          goal: '< 1 block (not relayed)',
          met: (c2 - c1) / MB < blockMb,
        },
        {
          name: `${attack}: side blocks stored by the victim`,
          value: onVictim,
          unit: `of ${SIDE_BLOCKS}`,
          goal: '0',
          met: onVictim === 0,
          note: `bystander stores ${onBystander}${bystanderSynced ? '' : ' (it had not synced the victim’s 2 blocks in 30 s)'}; ${delivered} delivered to the victim by gossip${
            attacker.connected ? '' : ` (connection refused: ${attacker.connectError})`
          }; attacker's score ${score ?? 'gone (disconnected or banned)'}; ${formatNumber(blocks[0]!.bytes.length / 1000)} kB each, mined in ${formatNumber(mineSeconds)} s on one thread`,
        },
      ];
    } finally {
      await attacker.stop();
    }
  } finally {
    await bystander?.stop();
    await victim.stop();
  }
}
