// Initial sync over the peer-to-peer layer: a fresh node downloads and connects 3,000 blocks of 100
// payments (BENCH_SYNC_BLOCKS=10000 for the issue's full size) from serving node processes on separate
// hosts (network namespaces joined by a bridge, bench/lib/sync-lab.ts; needs root), against connecting
// the same blocks from a local store (bench/core.ts's method, with the node's own signature verifier)
// in the same run. Goals: from three peers ≥ 0.9x the local import; with one of the three behind a slow
// link (its outgoing traffic held to SLOW_MBIT megabits a second), ≥ 0.9x the sync from three fast ones,
// measured just before it (as many peers, all fast).
//
//   npx tsc -p tsconfig.build.json && node --import tsx bench/sync.ts
//   BENCH_PROFILE_DIR=dir ...   (each syncing node under --cpu-prof: its main thread's costliest frames
//                                from its first block to its last)
//
// Each run starts fresh serving nodes and a fresh node given their addresses (--peer), and polls its
// height every 100 ms. All node processes share the machine's cores, as the single local import does not.
import '../src/polyfill.js';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/node/level-store.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';
import { cleanupNetns, NetLab, netnsUnavailable } from '../test/support/netns.js';
import { assertBuilt } from './lib/node-process.js';
import { summarizeProfile } from './lib/profile.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { readBlocks, timeImportFromStore, txCountOf } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';
import { type SyncRun, slowLink, syncFrom, withServers } from './lib/sync-lab.js';

const BLOCKS = Number(process.env.BENCH_SYNC_BLOCKS ?? 3_000);
/** The shape of the other benches' chains of payments (core, live-path, long-import). */
const TXS_PER_BLOCK = 100;
const GOAL_THREE = 0.9;
const GOAL_SLOW = 0.9;
const SLOW_MBIT = 1;
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;

interface Rate {
  blocks: number;
  txs: number;
  seconds: number;
  /** CPU milliseconds per block of the importing process, all threads. */
  cpuMsPerBlock: number;
}

/** What a run carried per second, from the first block seen to the last. */
function rateOf(run: SyncRun, txsUpTo: readonly number[]): Rate {
  const seconds = (run.doneAt - run.firstAt) / 1000;
  const txs = txsUpTo[BLOCKS]! - txsUpTo[run.firstHeight]!;
  const blocks = BLOCKS - run.firstHeight;
  return {
    blocks: blocks / seconds,
    txs: txs / seconds,
    seconds,
    cpuMsPerBlock: (1000 * run.cpu.node) / blocks,
  };
}

async function localImport(dir: string): Promise<{ rate: Rate; txsUpTo: number[] }> {
  // Transactions per height, to count what each measured span carried.
  const source = await openStore(dir);
  try {
    const counts = (await readBlocks(source, 1, BLOCKS)).map((b) => txCountOf(b) - 1);
    const txsUpTo = [0];
    for (const c of counts) txsUpTo.push(txsUpTo[txsUpTo.length - 1]! + c);
    progress(`sync: local import of ${BLOCKS} blocks with the node's SignatureVerifierPool`);
    const pool = new SignatureVerifierPool();
    try {
      const cpuBefore = process.cpuUsage();
      const local = await timeImportFromStore(source, {
        to: BLOCKS,
        verifySignatures: pool.asChainVerifier(),
      });
      const cpu = process.cpuUsage(cpuBefore);
      const rate = {
        blocks: local.blocks / local.seconds,
        txs: local.txs / local.seconds,
        seconds: local.seconds,
        cpuMsPerBlock: (cpu.user + cpu.system) / 1000 / local.blocks,
      };
      return { rate, txsUpTo };
    } finally {
      await pool.close();
    }
  } finally {
    await source.close();
  }
}

/** Options of a profiled syncing node: its profile lands in PROFILE_DIR/<run>/ when it exits. */
const profileDirOf = (profiles: string, run: string) => join(profiles, run.replace(/\W+/g, '-'));

function profileArgs(run: string): string[] {
  if (!PROFILE_DIR) return [];
  const dir = profileDirOf(PROFILE_DIR, run);
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=500'];
}

/** The syncing node's main thread (thread 0 of `--cpu-prof`'s files) from its first block to its last. */
function printProfile(run: string, result: SyncRun): void {
  if (!PROFILE_DIR) return;
  const dir = profileDirOf(PROFILE_DIR, run);
  const file = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) {
    progress(`no CPU profile of the syncing node in ${dir}`);
    return;
  }
  const { self, inclusive } = summarizeProfile(
    JSON.parse(readFileSync(join(dir, file), 'utf8')),
    40,
    result.window,
  );
  console.log(
    `\nsyncing from ${run}, main thread (${file})\nself:\n${self.join('\n')}\ninclusive:\n${inclusive.join('\n')}`,
  );
}

interface Runs {
  three: SyncRun;
  threeSlow: SyncRun;
}

async function syncRuns(storeDir: string): Promise<Runs> {
  const lab = NetLab.create();
  try {
    const run = (count: number, what: string, slow = false) =>
      withServers(lab, storeDir, count, BLOCKS, async (servers) => {
        // The slow one is the first given: it is asked for the first batches too.
        if (slow) slowLink(servers[0]!, SLOW_MBIT);
        progress(`sync: a fresh node syncing from ${what}`);
        const result = await syncFrom(lab, servers, BLOCKS, profileArgs(what));
        printProfile(what, result);
        if (result.ok) progress(`  ${((result.doneAt - result.firstAt) / 1000).toFixed(1)} s`);
        return result;
      });
    // One after the other, so that the slow-link run and its baseline meet about the same load.
    const three = await run(3, 'three peers');
    const threeSlow = await run(3, `three peers, one slow (${SLOW_MBIT} Mbit/s)`, true);
    return { three, threeSlow };
  } finally {
    await cleanupNetns();
  }
}

function syncRow(
  name: string,
  run: SyncRun,
  txsUpTo: readonly number[],
  baseline?: { rate: number; what: string; goal?: number },
): Row {
  const row: Row = { name, value: Number.NaN, unit: 'blocks/s' };
  if (baseline) {
    row.baseline = `${formatNumber(baseline.rate)} blocks/s (${baseline.what})`;
    if (baseline.goal !== undefined) row.goal = `≥ ${baseline.goal.toFixed(2)}x`;
  }
  if (!run.ok)
    return {
      ...row,
      met: baseline?.goal === undefined ? undefined : false,
      note: `sync did not finish: ${run.failure}`,
    };
  const rate = rateOf(run, txsUpTo);
  const ratio = baseline ? rate.blocks / baseline.rate : undefined;
  return {
    ...row,
    value: rate.blocks,
    ratio,
    met: baseline?.goal === undefined || ratio === undefined ? undefined : ratio >= baseline.goal,
    note: `${formatNumber(rate.txs)} tx/s; from the first block seen (height ${run.firstHeight}, ${(run.firstAt / 1000).toFixed(1)} s after the node was spawned) to height ${BLOCKS}: ${rate.seconds.toFixed(1)} s; the node's CPU ${rate.cpuMsPerBlock.toFixed(1)} ms a block (all threads), the serving nodes' ${((1000 * run.cpu.servers) / (BLOCKS - run.firstHeight)).toFixed(1)} ms${run.stalls ? `; ${run.stalls} peer(s) dropped as stallers` : ''}`,
  };
}

export async function runSyncBench(): Promise<Row[]> {
  const unavailable = netnsUnavailable();
  if (unavailable) throw new Error(`the sync bench needs network namespaces (run as root): ${unavailable}`);
  assertBuilt();
  const generated = await generatedStore(TXS_PER_BLOCK, BLOCKS);
  const { rate: local, txsUpTo } = await localImport(generated.dir);
  const runs = await syncRuns(generated.dir);

  const label = `${formatNumber(BLOCKS)} blocks × ${TXS_PER_BLOCK} tx`;
  const localBaseline = { rate: local.blocks, what: 'local import' };
  const threeFast = runs.three.ok ? rateOf(runs.three, txsUpTo).blocks : Number.NaN;
  return [
    {
      name: `local import of the same ${label} (core method, verifier pool)`,
      value: local.blocks,
      unit: 'blocks/s',
      note: `${formatNumber(local.txs)} tx/s, ${local.seconds.toFixed(1)} s; CPU ${local.cpuMsPerBlock.toFixed(1)} ms a block (all threads; reading the source blocks before the clock included)${
        generated.cached ? '' : `; chain generated in ${formatNumber(generated.generatedSeconds)} s`
      }`,
    },
    syncRow(`sync ${label} from three peers`, runs.three, txsUpTo, { ...localBaseline, goal: GOAL_THREE }),
    syncRow(`sync from three peers, one behind a slow link (${SLOW_MBIT} Mbit/s)`, runs.threeSlow, txsUpTo, {
      rate: threeFast,
      what: 'three fast peers',
      goal: GOAL_SLOW,
    }),
  ];
}

await runAsScript(import.meta.url, 'sync', runSyncBench);
