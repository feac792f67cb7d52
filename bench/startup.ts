// Start-up and restart of a node holding 50,000 blocks: its API answers within 2 s of the spawn on a
// quiet machine, and within 2 s plus the replay after a SIGKILL.
//
//   npx tsc -p tsconfig.build.json && node --import tsx bench/startup.ts [blocks]
//
// Each start spawns `bin/hashline.js node` on a fresh copy of the cached store (store-cache.ts, as the
// memory bench uses) and times the spawn to the first 200 answer of GET /api/v1/status (polled every
// 10 ms); the baseline, in turns with it, is the same on an empty store: the process's own start cost.
// The restart: a node on a copy mines blocks (the coins cache is written every 500 blocks, so they stay
// unflushed), is killed with SIGKILL while a mine request is connecting blocks, and is started again:
// opening the chain reconnects the blocks after the 'coins-tip' marker (src/chain/load.ts). The node logs
// how many blocks it replayed and how long opening the chain took ('chain loaded'). When a goal is
// missed, one more start runs under --cpu-prof and its costliest frames up to the first answer are printed.
import '../src/polyfill.js';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type NodeProcess, postJson, startNode } from './lib/node-process.js';
import { summarizeProfile } from './lib/profile.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { scratchDir } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const BLOCKS = 50_000;
const GOAL_MS = 2000;
/** Starts of each kind, taking turns (the machine may be shared). */
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 3);
const RESTART_ROUNDS = Number(process.env.BENCH_STARTUP_RESTARTS ?? 3);
/** Blocks mined before the kill, then the kill lands once this many more are connected. */
const MINED_BEFORE_KILL = 300;
const MINED_IN_FLIGHT = 50;
const POLL_MS = 10;

interface Start {
  readyMs: number;
  /** From the node's 'chain loaded' line. */
  openMs: number;
  replayed: number;
  height: number;
  /** Milliseconds from the spawn to the node's lines 'chain loaded', 'p2p listening' and '… ready'. */
  phases: { loaded: number; p2p: number; listening: number };
}

interface LogLine {
  msg: string;
  time: number;
  openMs?: number;
  replayed?: number;
  height?: number;
}

/** What the log of a node started with --log-level info says of its start (`spawnedAt`: epoch ms). */
function fromLog(node: NodeProcess, spawnedAt: number): Omit<Start, 'readyMs'> {
  const lines = node
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
  const at = (text: string) => {
    const line = lines.find((l) => l.msg.includes(text));
    if (!line) throw new Error(`the node logged no '${text}' line:\n${node.output().slice(0, 2000)}`);
    return line;
  };
  const loaded = at('chain loaded');
  return {
    openMs: loaded.openMs ?? Number.NaN,
    replayed: loaded.replayed ?? Number.NaN,
    height: loaded.height ?? Number.NaN,
    phases: {
      loaded: loaded.time - spawnedAt,
      p2p: at('p2p listening').time - spawnedAt,
      listening: at('node ready').time - spawnedAt,
    },
  };
}

async function timedStart(
  dataDir: string,
  nodeArgs: readonly string[] = [],
): Promise<Start & { node: NodeProcess }> {
  const spawnedAt = Date.now();
  const node = await startNode({ dataDir, pollMs: POLL_MS, nodeArgs, args: ['--log-level', 'info'] });
  return { node, readyMs: node.readyMs, ...fromLog(node, spawnedAt) };
}

/** A start on a fresh copy of `store` (or on an empty directory), stopped once timed. */
async function startOnce(store: string | undefined): Promise<Start> {
  const dir = scratchDir('hashline-bench-startup-');
  try {
    if (store) cpSync(store, path.join(dir.path, 'chain'), { recursive: true });
    const { node, ...start } = await timedStart(dir.path);
    await node.stop();
    return start;
  } finally {
    dir.cleanup();
  }
}

/** Mines blocks on a node started on a copy of `store`, kills it mid-request, restarts it and times that. */
async function restartOnce(store: string, height: number): Promise<Start & { killedAt: number }> {
  const dir = scratchDir('hashline-bench-restart-');
  try {
    cpSync(store, path.join(dir.path, 'chain'), { recursive: true });
    const { node } = await timedStart(dir.path);
    let killedAt: number;
    try {
      for (let mined = 0; mined < MINED_BEFORE_KILL; mined += 100)
        await postJson(`${node.url}/api/v1/mine`, { count: Math.min(100, MINED_BEFORE_KILL - mined) });
      // The kill lands while this request is connecting blocks.
      const inFlight = postJson(`${node.url}/api/v1/mine`, { count: 100 }).catch(() => undefined);
      const target = height + MINED_BEFORE_KILL + MINED_IN_FLIGHT;
      for (;;) {
        const status = await node.status();
        if (status.height >= target) {
          await node.kill();
          killedAt = status.height;
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      await inFlight;
    } finally {
      await node.kill();
    }
    const { node: again, ...start } = await timedStart(dir.path);
    await again.stop();
    if (start.height < killedAt)
      throw new Error(`restarted at ${start.height}, below ${killedAt} acknowledged`);
    return { ...start, killedAt };
  } finally {
    dir.cleanup();
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const ms = (value: number) => `${formatNumber(value)} ms`;
const spread = (starts: readonly Start[]) =>
  `best ${ms(Math.min(...starts.map((s) => s.readyMs)))}, median ${ms(median(starts.map((s) => s.readyMs)))}`;

/** Where the median start's time went, from the node's log. */
function phaseNote(starts: readonly Start[]): string {
  const m = (pick: (s: Start) => number) => ms(median(starts.map(pick)));
  return `chain loaded at ${m((s) => s.phases.loaded)} (opening it ${m((s) => s.openMs)}), p2p listening at ${m(
    (s) => s.phases.p2p,
  )}, API listening at ${m((s) => s.phases.listening)} (medians, from the node's log)`;
}

/** One more start under --cpu-prof: its costliest frames from the spawn to the first answer. */
async function profileStart(store: string): Promise<string[]> {
  const dir = scratchDir('hashline-bench-startup-prof-');
  try {
    cpSync(store, path.join(dir.path, 'chain'), { recursive: true });
    const profiles = path.join(dir.path, 'profiles');
    const spawned = Number(process.hrtime.bigint() / 1000n);
    const { node } = await timedStart(dir.path, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
    const ready = Number(process.hrtime.bigint() / 1000n);
    await node.stop();
    // The main thread's profile is the first written; the verifier and miner threads write their own.
    const files = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile'));
    const summaries = files.map((f) => {
      const profile = JSON.parse(readFileSync(path.join(profiles, f), 'utf8'));
      return {
        samples: profile.samples.length as number,
        summary: summarizeProfile(profile, 12, { from: spawned, to: ready }),
      };
    });
    const main = summaries.sort((a, b) => b.samples - a.samples)[0];
    if (!main) return [];
    progress('startup: the costliest frames up to the first answer (self):');
    for (const line of main.summary.self) progress(`  ${line}`);
    progress('startup: inclusive:');
    for (const line of main.summary.inclusive) progress(`  ${line}`);
    return main.summary.self.slice(0, 4);
  } finally {
    dir.cleanup();
  }
}

export async function runStartupBench(opts: { blocks?: number } = {}): Promise<Row[]> {
  const blocks = opts.blocks ?? BLOCKS;
  const store = await generatedStore(1, blocks);
  const empty: Start[] = [];
  const full: Start[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    progress(`startup: round ${i + 1} of ${ROUNDS}`);
    empty.push(await startOnce(undefined));
    const start = await startOnce(store.dir);
    if (start.height !== blocks) throw new Error(`the node loaded height ${start.height}, not ${blocks}`);
    full.push(start);
  }
  const restarts: Array<Start & { killedAt: number }> = [];
  for (let i = 0; i < RESTART_ROUNDS; i++) {
    progress(`startup: restart after SIGKILL, ${i + 1} of ${RESTART_ROUNDS}`);
    restarts.push(await restartOnce(store.dir, blocks));
  }
  const bestFull = Math.min(...full.map((s) => s.readyMs));
  const bestEmpty = Math.min(...empty.map((s) => s.readyMs));
  const cleanOpen = median(full.map((s) => s.openMs));
  // The replay's cost: opening the chain took this much longer than on the cleanly closed store.
  const beyondReplay = restarts.map((r) => r.readyMs - Math.max(0, r.openMs - cleanOpen));
  const bestRestart = restarts.reduce((a, b) => (b.readyMs < a.readyMs ? b : a));
  const startMet = bestFull <= GOAL_MS;
  const restartMet = Math.min(...beyondReplay) <= GOAL_MS;
  const frames = startMet && restartMet ? [] : await profileStart(store.dir);
  const where = frames.length
    ? `; costliest frames up to the answer: ${frames.map((f) => f.trim()).join(', ')}`
    : '';
  const label = `${formatNumber(blocks)} blocks`;
  return [
    {
      name: `start to the first status answer, ${label}`,
      value: bestFull,
      unit: 'ms',
      baseline: `${ms(bestEmpty)} on an empty store (${spread(empty)})`,
      ratio: bestFull / bestEmpty,
      goal: `≤ ${ms(GOAL_MS)}`,
      met: startMet,
      note: `best of ${ROUNDS} taking turns with the empty store; ${spread(full)}; ${phaseNote(full)}; on the empty store ${phaseNote(empty)}${store.generatedSeconds ? `; store generated in ${formatNumber(store.generatedSeconds)} s` : ''}${where}`,
    },
    {
      name: `restart after SIGKILL, ${label} + ${formatNumber(bestRestart.replayed)} replayed`,
      value: bestRestart.readyMs,
      unit: 'ms',
      baseline: `${ms(bestFull)} clean start`,
      ratio: bestRestart.readyMs / bestFull,
      goal: `≤ ${ms(GOAL_MS)} + the replay`,
      met: restartMet,
      note: `${RESTART_ROUNDS} kills while a mine request connected blocks, ${MINED_BEFORE_KILL}+ blocks after the last coins flush; ${spread(
        restarts,
      )}; replayed ${restarts.map((r) => r.replayed).join(', ')} blocks, opening the chain ${restarts
        .map((r) => ms(r.openMs))
        .join(', ')} (${ms(cleanOpen)} clean); without the replay ${beyondReplay.map(ms).join(', ')}`,
    },
  ];
}

await runAsScript(import.meta.url, 'startup', () =>
  runStartupBench({ blocks: process.argv[2] ? Number(process.argv[2]) : undefined }),
);
