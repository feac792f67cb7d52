// Blocks one at a time, as users run the node: a miner or an independent client posting each block
// over the API as it is found (JSON hex, and the bytes as application/octet-stream), and a peer relaying
// each block over libp2p (gossip), against the best internal path (runs of 64 blocks handed to
// Chain.processBlocks with the verifier pool) on the same blocks, in the same run, taking turns. The
// gossip peer is light (it publishes without verifying), so the row measures the node's intake; a
// full node relaying the blocks is measured once more, in the last round, for information.
//
//   node --import tsx bench/live-path.ts        (needs `npm run build`: the node rows run dist/)
//   BENCH_LIVE_BLOCKS=50 BENCH_LIVE_ROUNDS=1     fewer timed blocks and rounds on a busy machine
//   BENCH_PROFILE_DIR=dir                        CPU profiles of the measured node processes, summarised
//   BENCH_PROFILE_TOP=n                          frames listed per profile (40)
//   BENCH_LIVE_GOSSIP_IN_FLIGHT=n                blocks the gossip peer keeps in flight (2: see gossip-feed.ts)
import '../src/polyfill.js';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/node/level-store.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';
import { VerifyRateMeter } from './core.js';
import { GOSSIP_IN_FLIGHT, importOverGossip } from './lib/gossip-feed.js';
import { type BodyForm, type FeedRun, importOverApi, importThroughRelayingNode } from './lib/live-feed.js';
import { summarizeProfile } from './lib/profile.js';
import { formatNumber, formatRate, percentile, progress, type Row, runAsScript } from './lib/report.js';
import { readBlocks, timeImportFromStore } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const SETUP_BLOCKS = 2;
const GENERATED_BLOCKS = 200;
const TIMED_BLOCKS = Math.min(GENERATED_BLOCKS, Number(process.env.BENCH_LIVE_BLOCKS ?? GENERATED_BLOCKS));
const TXS_PER_BLOCK = 100;
const ROUNDS = Number(process.env.BENCH_LIVE_ROUNDS ?? 2);
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const PROFILE_TOP = Number(process.env.BENCH_PROFILE_TOP ?? 40);

type Feed = BodyForm | 'gossip' | 'relay';
const FEEDS: readonly Feed[] = ['json', 'bytes', 'gossip'];
/** Informative: measured in the last round only (it takes about four times as long as the others). */
const LAST_ROUND_FEEDS: readonly Feed[] = ['relay'];

/** Options of a profiled node process: its profile lands in PROFILE_DIR/<feed>/ when it exits. */
function profileArgs(feed: Feed): string[] | undefined {
  if (!PROFILE_DIR) return undefined;
  const dir = join(PROFILE_DIR, feed);
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'];
}

/** The measured node's main thread (thread 0 of `--cpu-prof`'s files) over the timed blocks of each run. */
function printProfiles(runs: ReadonlyMap<Feed, readonly FeedRun[]>): void {
  if (!PROFILE_DIR) return;
  for (const [feed, list] of runs) {
    const dir = join(PROFILE_DIR, feed);
    const files = readdirSync(dir)
      .filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
      .sort();
    files.forEach((file, i) => {
      const run = list[i];
      if (!run) return;
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const { self, inclusive } = summarizeProfile(profile, PROFILE_TOP, run.window);
      console.log(`\n${feed}, run ${i + 1}, timed blocks only (${file})\nself:\n${self.join('\n')}`);
      console.log(`inclusive:\n${inclusive.join('\n')}`);
    });
  }
}

function feedOnce(feed: Feed, blocks: readonly Uint8Array[]): Promise<FeedRun> {
  const opts = { setup: SETUP_BLOCKS, nodeArgs: profileArgs(feed) };
  if (feed === 'gossip') return importOverGossip(blocks, opts);
  if (feed === 'relay') return importThroughRelayingNode(blocks, opts);
  return importOverApi(blocks, feed, opts);
}

export async function runLivePathBench(): Promise<Row[]> {
  const generated = await generatedStore(TXS_PER_BLOCK, SETUP_BLOCKS + GENERATED_BLOCKS);
  const source = await openStore(generated.dir);
  const pool = new SignatureVerifierPool();
  pool.start();
  const meter = new VerifyRateMeter();
  const best = { runs: 0, single: 0, singleCpuMs: Number.NaN };
  const bestFeed = new Map<Feed, FeedRun>();
  const allRuns = new Map<Feed, FeedRun[]>([...FEEDS, ...LAST_ROUND_FEEDS].map((f) => [f, []]));
  const rate = (r: FeedRun | undefined) => (r ? r.txs / r.seconds : 0);
  try {
    const blocks = await readBlocks(source, 1, SETUP_BLOCKS + TIMED_BLOCKS);
    const inProcess = async (runBlocks: number) => {
      const r = await timeImportFromStore(source, {
        to: SETUP_BLOCKS + TIMED_BLOCKS,
        untimedTo: SETUP_BLOCKS,
        verifySignatures: pool.asChainVerifier(),
        runBlocks,
      });
      return { rate: r.txs / r.seconds, cpuMs: (1000 * r.cpuSeconds) / r.blocks };
    };
    for (let round = 1; round <= ROUNDS; round++) {
      progress(
        `round ${round} of ${ROUNDS}: runs of 64, one block per call, per POST (JSON, bytes), by gossip${round === ROUNDS ? ', relayed by a full node' : ''}`,
      );
      best.runs = Math.max(best.runs, (await inProcess(64)).rate);
      const single = await inProcess(1);
      if (single.rate > best.single) Object.assign(best, { single: single.rate, singleCpuMs: single.cpuMs });
      for (const feed of round === ROUNDS ? [...FEEDS, ...LAST_ROUND_FEEDS] : FEEDS) {
        const r = await feedOnce(feed, blocks);
        allRuns.get(feed)!.push(r);
        if (rate(r) > rate(bestFeed.get(feed))) bestFeed.set(feed, r);
      }
      meter.round();
    }
  } finally {
    await pool.close();
    await source.close();
  }
  printProfiles(allRuns);
  const shape = `${TIMED_BLOCKS} blocks × ${TXS_PER_BLOCK} payments, best of ${ROUNDS} taking turns`;
  const runsBaseline = `${formatRate(best.runs, 'tx/s')} (runs of 64, verifier pool)`;
  const raw = `${formatRate(meter.best.raw, 'verifies/s')} (node:crypto, raw key, 1 core)`;
  const vsRuns = (name: string, value: number, note: string): Row => ({
    name,
    value,
    unit: 'tx/s',
    baseline: runsBaseline,
    ratio: value / best.runs,
    goal: '≥ 0.8x',
    met: value / best.runs >= 0.8,
    note,
  });
  const vsRaw = (name: string, value: number): Row => ({
    name,
    value,
    unit: 'tx/s',
    baseline: raw,
    ratio: value / meter.best.raw,
    goal: '≥ 1.2x',
    met: value / meter.best.raw >= 1.2,
    note: 'one signature per payment',
  });
  const client = `an independent client waits for each answer before sending the next block; ${shape}`;
  /** The measured node's CPU per timed block, against the process's own one block per call. */
  const cpuNote = (r: FeedRun) =>
    r.nodeCpuSeconds === undefined
      ? ''
      : `; the node process's CPU ${formatNumber((1000 * r.nodeCpuSeconds) / TIMED_BLOCKS)} ms a block (all threads), against ${formatNumber(best.singleCpuMs)} ms in process one block per call`;
  const api = (form: BodyForm, label: string): Row[] => {
    const r = bestFeed.get(form)!;
    return [
      vsRuns(
        `accept tx/s, one POST /api/v1/blocks (${label}) per block, node process`,
        rate(r),
        `${client}${cpuNote(r)}`,
      ),
      vsRaw(`accept tx/s over the API (${label}), against the raw node:crypto verify rate`, rate(r)),
      {
        name: `time to accept a 100-payment block over the API (${label}), p50`,
        value: percentile(r.latencies, 50),
        unit: 'ms',
        note: `p99 ${formatNumber(percentile(r.latencies, 99))} ms; from sending the POST to its answer, over the ${TIMED_BLOCKS} blocks of the best run`,
      },
    ];
  };
  const gossip = bestFeed.get('gossip')!;
  const relay = bestFeed.get('relay')!;
  return [
    {
      name: 'connect tx/s, runs of 64 blocks per Chain.processBlocks, verifier pool',
      value: best.runs,
      unit: 'tx/s',
      note: `baseline: the best internal path; ${shape}; on a machine that may be shared, so ratios hold within this run`,
    },
    vsRuns(
      'connect tx/s, one block per call, verifier pool (in process)',
      best.single,
      `${shape}; CPU ${formatNumber(best.singleCpuMs)} ms a block (every thread of the process)`,
    ),
    ...api('json', 'JSON hex'),
    ...api('bytes', 'application/octet-stream'),
    vsRuns(
      'accept tx/s of blocks gossiped by a light peer over libp2p, node process',
      rate(gossip),
      `a light libp2p peer (it verifies nothing) dials the node and publishes each block on the blocks topic, at most ${GOSSIP_IN_FLIGHT} not yet announced on the node's event stream (the node's per-peer validations in flight: a relaying peer sends a block as soon as it has it, the node looks at ${GOSSIP_IN_FLIGHT} at once per peer); timed from the first block published until the node announces the last; ${shape}${cpuNote(gossip)}`,
    ),
    {
      name: 'time from publishing a block to its announcement (gossip), p50',
      value: percentile(gossip.latencies, 50),
      unit: 'ms',
      note: `p99 ${formatNumber(percentile(gossip.latencies, 99))} ms; with ${GOSSIP_IN_FLIGHT} in flight a block may wait for the one before it; over the ${TIMED_BLOCKS} blocks of the best run`,
    },
    {
      name: 'accept tx/s of blocks relayed by a full node process over libp2p (information)',
      value: rate(relay),
      unit: 'tx/s',
      baseline: runsBaseline,
      ratio: rate(relay) / best.runs,
      note: `a second node process takes each block over the API (bytes) and relays it, accepting them at ${formatRate(relay.txs / relay.feederSeconds!, 'tx/s')} itself: both verify every block on the same cores, so this measures the pair; last round only; no goal`,
    },
  ];
}

await runAsScript(import.meta.url, 'live-path: blocks one at a time, as users submit them', runLivePathBench);
