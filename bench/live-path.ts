// Blocks one at a time, as users run the node: a miner or an independent client posting each block over
// the API as it is found, against the best internal path (runs of 64 blocks handed to
// Chain.processBlocks with the verifier pool) on the same blocks, in the same run, taking turns.
//
//   node --import tsx bench/live-path.ts        (needs `npm run build`: the API rows run dist/)
import '../src/polyfill.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../src/core/bytes.js';
import { openStore } from '../src/node/level-store.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';
import { VerifyRateMeter } from './core.js';
import { type NodeProcess, postJson, startNode } from './lib/node-process.js';
import { formatNumber, formatRate, percentile, progress, type Row, runAsScript } from './lib/report.js';
import { readBlocks, timeImportFromStore, txCountOf } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const SETUP_BLOCKS = 2;
const TIMED_BLOCKS = 200;
const TXS_PER_BLOCK = 100;
const ROUNDS = 3;

interface ApiRun {
  readonly txs: number;
  readonly seconds: number;
  /** Milliseconds from sending a block to its 200 answer, one entry per timed block. */
  readonly latencies: readonly number[];
}

async function postBlock(node: NodeProcess, hex: string, height: number): Promise<void> {
  const { status } = await postJson<{ status: string }>(`${node.url}/api/v1/blocks`, { hex });
  if (status !== 'connected') throw new Error(`block ${height} over the API: ${status}`);
}

/** A fresh node process; an independent client posts each block and waits for its answer. */
async function importOverApi(blocks: readonly Uint8Array[]): Promise<ApiRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hashline-bench-live-'));
  const node = await startNode({ dataDir });
  try {
    const hexes = blocks.map((b) => toHex(b));
    for (let i = 0; i < SETUP_BLOCKS; i++) await postBlock(node, hexes[i]!, i + 1);
    const latencies: number[] = [];
    let txs = 0;
    const start = performance.now();
    for (let i = SETUP_BLOCKS; i < hexes.length; i++) {
      const sent = performance.now();
      await postBlock(node, hexes[i]!, i + 1);
      latencies.push(performance.now() - sent);
      txs += txCountOf(blocks[i]!) - 1;
    }
    return { txs, seconds: (performance.now() - start) / 1000, latencies };
  } finally {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runLivePathBench(): Promise<Row[]> {
  const generated = await generatedStore(TXS_PER_BLOCK, SETUP_BLOCKS + TIMED_BLOCKS);
  const source = await openStore(generated.dir);
  const pool = new SignatureVerifierPool();
  pool.start();
  const meter = new VerifyRateMeter();
  const best = { runs: 0, single: 0, api: 0 };
  let bestApi: ApiRun | undefined;
  try {
    const blocks = await readBlocks(source, 1, SETUP_BLOCKS + TIMED_BLOCKS);
    const inProcess = async (runBlocks: number) => {
      const r = await timeImportFromStore(source, {
        to: SETUP_BLOCKS + TIMED_BLOCKS,
        untimedTo: SETUP_BLOCKS,
        verifySignatures: pool.asChainVerifier(),
        runBlocks,
      });
      return r.txs / r.seconds;
    };
    for (let round = 1; round <= ROUNDS; round++) {
      progress(`round ${round} of ${ROUNDS}: runs of 64, one block per call, one block per POST`);
      best.runs = Math.max(best.runs, await inProcess(64));
      best.single = Math.max(best.single, await inProcess(1));
      const api = await importOverApi(blocks);
      if (api.txs / api.seconds > best.api) {
        best.api = api.txs / api.seconds;
        bestApi = api;
      }
      meter.round();
    }
  } finally {
    await pool.close();
    await source.close();
  }
  const latencies = bestApi!.latencies;
  const shape = `${TIMED_BLOCKS} blocks × ${TXS_PER_BLOCK} payments, best of ${ROUNDS} taking turns`;
  const runsBaseline = `${formatRate(best.runs, 'tx/s')} (runs of 64, verifier pool)`;
  return [
    {
      name: 'connect tx/s, runs of 64 blocks per Chain.processBlocks, verifier pool',
      value: best.runs,
      unit: 'tx/s',
      note: `baseline: the best internal path; ${shape}`,
    },
    {
      name: 'connect tx/s, one block per call, verifier pool (in process)',
      value: best.single,
      unit: 'tx/s',
      baseline: runsBaseline,
      ratio: best.single / best.runs,
      goal: '≥ 0.8x',
      met: best.single / best.runs >= 0.8,
      note: shape,
    },
    {
      name: 'accept tx/s, one POST /api/v1/blocks (JSON hex) per block, node process',
      value: best.api,
      unit: 'tx/s',
      baseline: runsBaseline,
      ratio: best.api / best.runs,
      goal: '≥ 0.8x',
      met: best.api / best.runs >= 0.8,
      note: `an independent client waits for each answer before sending the next block; ${shape}`,
    },
    {
      name: 'accept tx/s over the API, against the raw node:crypto verify rate',
      value: best.api,
      unit: 'tx/s',
      baseline: `${formatRate(meter.best.raw, 'verifies/s')} (node:crypto, raw key, 1 core)`,
      ratio: best.api / meter.best.raw,
      goal: '≥ 1.2x',
      met: best.api / meter.best.raw >= 1.2,
      note: 'one signature per payment',
    },
    {
      name: 'time to accept a 100-payment block over the API, p50',
      value: percentile(latencies, 50),
      unit: 'ms',
      note: `p99 ${formatNumber(percentile(latencies, 99))} ms; from sending the POST to its answer, over the ${TIMED_BLOCKS} blocks of the best run`,
    },
  ];
}

await runAsScript(import.meta.url, 'live-path: blocks one at a time, as users submit them', runLivePathBench);
