// Initial sync over the peer-to-peer layer: a fresh node downloads and connects 5,000 blocks (ten
// payments each) from a peer over loopback, against connecting the same blocks from a local store
// (bench/core.ts's method, with the node's own signature verifier) in the same run. Goal: ≥ 70%.
//
//   npx tsc -p tsconfig.build.json && node --import tsx bench/sync.ts
//
// Node A serves a copy of the generated chain; node B starts on an empty data directory with
// `--peer <A's multiaddr from GET /api/v1/status>` and its height is polled every 100 ms. Both node
// processes share the machine's cores, as the single local import does not.
import '../src/polyfill.js';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { openStore } from '../src/node/level-store.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';

import { getJson, type NodeProcess, startNode } from './lib/node-process.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { readBlocks, scratchDir, timeImportFromStore, txCountOf } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const BLOCKS = 5_000;
const TXS_PER_BLOCK = 10;
const GOAL = 0.7;
/** Give up when the height has not moved for this long. */
const STALL_MS = 60_000;
const POLL_MS = 100;

interface SyncRun {
  ok: boolean;
  /** Height first seen above 0, and when (ms since B was spawned). */
  firstHeight: number;
  firstAt: number;
  doneAt: number;
  finalHeight: number;
  failure?: string;
}

async function waitForSync(b: NodeProcess, a: NodeProcess, spawnedAt: number): Promise<SyncRun> {
  let firstHeight = 0;
  let firstAt = 0;
  let lastHeight = -1;
  let lastMove = performance.now();
  for (;;) {
    const status = await b.status();
    const now = performance.now();
    if (status.height > 0 && firstAt === 0) {
      firstHeight = status.height;
      firstAt = now - spawnedAt;
    }
    if (status.height >= BLOCKS) {
      return { ok: true, firstHeight, firstAt, doneAt: now - spawnedAt, finalHeight: status.height };
    }
    if (status.height !== lastHeight) {
      lastHeight = status.height;
      lastMove = now;
    } else if (now - lastMove > STALL_MS) {
      const peersB = await getJson<{ peers: unknown[] }>(`${b.url}/api/v1/peers`).catch(
        (e: Error) => e.message,
      );
      const peersA = await getJson<{ peers: unknown[] }>(`${a.url}/api/v1/peers`).catch(
        (e: Error) => e.message,
      );
      return {
        ok: false,
        firstHeight,
        firstAt,
        doneAt: now - spawnedAt,
        finalHeight: status.height,
        failure:
          `B stopped at height ${status.height} of ${BLOCKS} for ${STALL_MS / 1000} s; ` +
          `B status sync=${JSON.stringify(status.sync)} peers=${status.peers}; ` +
          `B /peers=${JSON.stringify(peersB)}; A /peers=${JSON.stringify(peersA)}; ` +
          `B log: ${b.output().trim().slice(-1500) || '(empty)'}; A log: ${a.output().trim().slice(-800) || '(empty)'}`,
      };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function runSyncBench(): Promise<Row[]> {
  const generated = await generatedStore(TXS_PER_BLOCK, BLOCKS);
  // Transactions per height, to count what each measured span carried.
  const source = await openStore(generated.dir);
  let local: Awaited<ReturnType<typeof timeImportFromStore>>;
  let txsUpTo: number[];
  try {
    const counts = (await readBlocks(source, 1, BLOCKS)).map((b) => txCountOf(b) - 1);
    txsUpTo = [0];
    for (const c of counts) txsUpTo.push(txsUpTo[txsUpTo.length - 1]! + c);
    progress(`sync: local import of ${BLOCKS} blocks with the node's SignatureVerifierPool`);
    const pool = new SignatureVerifierPool();
    try {
      local = await timeImportFromStore(source, { to: BLOCKS, verifySignatures: pool.asChainVerifier() });
    } finally {
      await pool.close();
    }
  } finally {
    await source.close();
  }
  const localBlocks = local.blocks / local.seconds;
  const localTxs = local.txs / local.seconds;

  const dirA = scratchDir('hashline-bench-sync-a-');
  const dirB = scratchDir('hashline-bench-sync-b-');
  let run: SyncRun;
  try {
    cpSync(generated.dir, path.join(dirA.path, 'chain'), { recursive: true });
    progress('sync: starting node A on the chain');
    const a = await startNode({ dataDir: dirA.path });
    try {
      const statusA = await a.status();
      if (statusA.height !== BLOCKS) throw new Error(`node A loaded height ${statusA.height}, not ${BLOCKS}`);
      const addr = statusA.p2p.addrs.find((x) => x.includes('/127.0.0.1/')) ?? statusA.p2p.addrs[0];
      if (!addr) throw new Error('node A reports no p2p address');
      progress(`sync: starting node B with --peer ${addr}`);
      const spawnedAt = performance.now();
      const b = await startNode({ dataDir: dirB.path, peers: [addr] });
      try {
        run = await waitForSync(b, a, spawnedAt);
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
    }
  } finally {
    dirA.cleanup();
    dirB.cleanup();
  }

  const label = `${formatNumber(BLOCKS)} blocks × ${TXS_PER_BLOCK} tx`;
  const localRow: Row = {
    name: `local import of the same ${label} (core method, verifier pool)`,
    value: localBlocks,
    unit: 'blocks/s',
    note: `${formatNumber(localTxs)} tx/s, ${local.seconds.toFixed(1)} s${
      generated.cached ? '' : `; chain generated in ${formatNumber(generated.generatedSeconds)} s`
    }`,
  };
  if (!run.ok) {
    return [
      localRow,
      {
        name: `sync ${label} from a peer over loopback`,
        value: Number.NaN,
        unit: 'blocks/s',
        baseline: `${formatNumber(localBlocks)} blocks/s (local import)`,
        goal: `≥ ${GOAL.toFixed(2)}x`,
        met: false,
        note: `sync did not finish: ${run.failure}`,
      },
    ];
  }
  const seconds = (run.doneAt - run.firstAt) / 1000;
  const blocks = BLOCKS - run.firstHeight;
  const txs = txsUpTo[BLOCKS]! - txsUpTo[run.firstHeight]!;
  const syncBlocks = blocks / seconds;
  const syncTxs = txs / seconds;
  return [
    localRow,
    {
      name: `sync ${label} from a peer over loopback`,
      value: syncBlocks,
      unit: 'blocks/s',
      baseline: `${formatNumber(localBlocks)} blocks/s (local import)`,
      ratio: syncBlocks / localBlocks,
      goal: `≥ ${GOAL.toFixed(2)}x`,
      met: syncBlocks / localBlocks >= GOAL,
      note: `timed from the first block seen (height ${run.firstHeight} at ${(run.firstAt / 1000).toFixed(1)} s after B was spawned) to height ${BLOCKS}: ${seconds.toFixed(1)} s; ${formatNumber(BLOCKS / (run.doneAt / 1000))} blocks/s counting B's start-up; two node processes share the cores`,
    },
    {
      name: 'sync tx/s',
      value: syncTxs,
      unit: 'tx/s',
      baseline: `${formatNumber(localTxs)} tx/s (local import)`,
      ratio: syncTxs / localTxs,
      goal: `≥ ${GOAL.toFixed(2)}x`,
      met: syncTxs / localTxs >= GOAL,
    },
  ];
}

await runAsScript(import.meta.url, 'sync', runSyncBench);
