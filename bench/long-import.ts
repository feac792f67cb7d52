// A long import as a node runs it: does its speed stay flat and its memory bounded? A fresh node process
// (`hashline node --network regtest`, built dist/) is fed generated blocks of 100 payments by
// `hashline chain import`, which posts them one at a time to POST /api/v1/blocks from a chain file, so
// every block takes the live path (the API, the chain, the verifier pool, the mempool, the explorer
// indexer). Every 500 blocks (a window) the bench reads the node's blocks/s and where its resident memory is
// (/proc/<pid>/smaps, bench/lib/process-memory.ts; and V8's heap in use and external memory, from its
// /metrics); at the end, its peak (VmHWM) and a heap snapshot of its live JS heap by constructor.
//
// The node limits how far V8 lets its heaps grow past what is live (src/node/heap-growth.ts). The peak's
// baseline is the node's own RSS after the first window; with BENCH_LONG_BASELINE=1 the same import also
// runs into a node started with `--heap-growing-percent=0` (V8's own growth), the two taking turns, and
// that node is the baseline for memory and speed (it doubles the bench's time).
//
//   npm run build && node --import tsx bench/long-import.ts        (2,000 blocks in windows of 500)
//   BENCH_LONG_BLOCKS=10000 BENCH_LONG_WINDOW=1000 ...              (the full size)
//   BENCH_LONG_ROUNDS=1 ...                                         (each node once; default 1)
//   BENCH_LONG_BASELINE=1 ...                                      (also the node with V8's own heap growth)
//   BENCH_PROFILE_DIR=dir ...                                      (the node under --cpu-prof: its costliest
//                                                                   frames over the first and last window)
//   BENCH_HEAP_SNAPSHOT=dir ...                                     (keeps the heap snapshots there)
//   BENCH_LONG_ARGS='--coins-cache 256' ...                         (options of both nodes)
import '../src/polyfill.js';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chainFileChunks } from '../src/chainfile/index.js';
import { blockHash } from '../src/core/block.js';
import { genesisBlock } from '../src/core/genesis.js';
import { HEAP_GROWING_PERCENT } from '../src/node/heap-growth.js';
import { openStore } from '../src/node/level-store.js';
import { summarizeHeapSnapshot } from './lib/heap-summary.js';
import { BIN, type NodeProcess, ROOT, startNode } from './lib/node-process.js';
import { describeProcessMemory, type ProcessMemory, processMemory } from './lib/process-memory.js';
import { monotonicMicros, type ProfileWindow, summarizeProfile } from './lib/profile.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { regtest, scratchDir } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const TXS_PER_BLOCK = 100;
/** Blocks per window: the goal compares the last window's speed with the first's. */
const WINDOW = Number(process.env.BENCH_LONG_WINDOW ?? 500);
const MB = 1024 * 1024;
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const POLL_MS = 100;
/** Whether the node with V8's own heap growth runs too, as the baseline (BENCH_LONG_BASELINE=1). */
const WITH_V8_BASELINE = process.env.BENCH_LONG_BASELINE === '1';
/** Give up when the node's height has not moved for this long. */
const STALL_MS = 60_000;

interface Window {
  readonly toHeight: number;
  /** The window's span on the monotonic clock, µs (to find its samples in a CPU profile). */
  readonly span: ProfileWindow;
  readonly blocksPerSecond: number;
  readonly memory: ProcessMemory | undefined;
  /** V8's own figures from the node's /metrics, MB: its main thread's live heap and external memory. */
  readonly v8: { heapUsed: number; external: number } | undefined;
}

interface ImportRun {
  readonly windows: Window[];
  /** VmHWM at the end, MB. */
  readonly peakRss: number;
  /** The height the node was at when the highest RSS was sampled (every poll). */
  readonly peakHeight: number;
  readonly seconds: number;
  readonly heapNote: string;
}

/** The node variants taking turns: the node as it ships, and V8's own heap growth. */
const VARIANTS = [
  { name: 'node', nodeArgs: [] as string[] },
  { name: 'V8 growth', nodeArgs: ['--heap-growing-percent=0'] },
] as const;
type Variant = (typeof VARIANTS)[number];

/**
 * The generated store, made (if not cached) in a child process: generating is itself a long import,
 * and this process's memory is not what is measured, but it keeps the bench's own footprint small.
 */
async function sourceStore(blocks: number): Promise<string> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_JSON_OUT: '', BENCH_LONG_GENERATE_ONLY: String(blocks) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`generating the blocks failed (exit ${child.status})`);
  const generated = await generatedStore(TXS_PER_BLOCK, blocks);
  if (!generated.cached) throw new Error('the generated store was not cached');
  return generated.dir;
}

/** Blocks 1..blocks of the store as a chain file, as `hashline chain export` writes one. */
async function writeChainFile(storeDir: string, blocks: number, file: string): Promise<void> {
  const source = await openStore(storeDir);
  try {
    async function* bodies(): AsyncGenerator<Uint8Array> {
      for (let height = 1; height <= blocks; height++) {
        const hash = await source.blocks.getHashAtHeight(height);
        const bytes = hash && (await source.blocks.getBlockBytes(hash));
        if (!bytes) throw new Error(`the source store has no block at height ${height}`);
        yield bytes;
      }
    }
    const header = {
      network: 'regtest',
      genesisHash: blockHash(genesisBlock(regtest)),
      fromHeight: 1,
      count: blocks,
    };
    await pipeline(Readable.from(chainFileChunks(header, bodies())), createWriteStream(file));
  } finally {
    await source.close();
  }
}

function startImport(file: string, node: NodeProcess): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'chain', 'import', file, '--node', node.url], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

/** Polls the node's height until it holds every block, reading its memory at each window's end. */
async function followImport(node: NodeProcess, blocks: number, importer: ReturnType<typeof startImport>) {
  const windows: Window[] = [];
  let next = WINDOW;
  let windowStart = performance.now();
  let spanStart = monotonicMicros();
  let lastHeight = -1;
  let lastMove = performance.now();
  const peak = { rss: 0, height: 0 };
  for (;;) {
    const height = (await node.status()).height;
    const now = performance.now();
    const rss = node.memory().rss / MB;
    if (rss > peak.rss) Object.assign(peak, { rss, height });
    while (height >= next) {
      const spanEnd = monotonicMicros();
      windows.push({
        toHeight: next,
        span: { from: spanStart, to: spanEnd },
        blocksPerSecond: WINDOW / ((now - windowStart) / 1000),
        memory: processMemory(node.pid),
        v8: await v8Memory(node),
      });
      progress(`  to ${next}: ${describe(windows[windows.length - 1]!)}`);
      windowStart = now;
      spanStart = spanEnd;
      next += WINDOW;
    }
    if (height >= blocks) return { windows, peakHeight: peak.height };
    const code = importer.child.exitCode;
    if (code !== null && code !== 0)
      throw new Error(`hashline chain import exited ${code} at height ${height}: ${importer.output()}`);
    if (height !== lastHeight) {
      lastHeight = height;
      lastMove = now;
    } else if (now - lastMove > STALL_MS) {
      throw new Error(
        `the node stayed at height ${height} for ${STALL_MS / 1000} s: ${node.output().slice(-1500)}`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** The node's live JS heap by constructor: SIGUSR2 makes it write a snapshot (it is started for that). */
async function nodeHeapNote(node: NodeProcess, dir: string): Promise<string> {
  process.kill(node.pid, 'SIGUSR2');
  // The snapshot is written on the node's main thread: once it answers again, the file is whole.
  const deadline = performance.now() + 120_000;
  let file: string | undefined;
  while (!file && performance.now() < deadline) {
    await sleep(200);
    const found = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
    if (
      found &&
      (await node.status().then(
        () => true,
        () => false,
      ))
    )
      file = path.join(dir, found);
  }
  if (!file) return 'no heap snapshot (the node wrote none within 120 s)';
  const heap = summarizeHeapSnapshot(file);
  return (
    `live JS heap at the end ${(heap.total / MB).toFixed(1)} MB (a heap snapshot): ` +
    heap.groups
      .slice(0, 6)
      .map((g) => `${g.name} ${(g.bytes / MB).toFixed(1)} MB (${formatNumber(g.count)})`)
      .join(', ')
  );
}

/** The node's main thread over its first and last window (BENCH_PROFILE_DIR). */
function printProfile(dir: string, pid: number, windows: readonly Window[]): void {
  const file = readdirSync(dir).find((f) =>
    new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.0\\.\\d+\\.cpuprofile$`).test(f),
  );
  if (!file) {
    progress(`no CPU profile of the node (pid ${pid}) in ${dir}`);
    return;
  }
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  for (const w of [windows[0]!, windows[windows.length - 1]!]) {
    const { self, inclusive } = summarizeProfile(profile, 30, w.span);
    console.log(`\nthe node's main thread, blocks to ${w.toHeight} (${file})\nself:\n${self.join('\n')}`);
    console.log(`inclusive:\n${inclusive.join('\n')}`);
  }
}

/** The node's main-thread JS heap in use and V8's external memory (array buffers), from /metrics. */
async function v8Memory(node: NodeProcess): Promise<Window['v8']> {
  try {
    const text = await (await fetch(`${node.url}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]) / MB;
    const heapUsed = read('hashline_nodejs_heap_size_used_bytes');
    const external = read('hashline_nodejs_external_memory_bytes');
    return Number.isFinite(heapUsed) && Number.isFinite(external) ? { heapUsed, external } : undefined;
  } catch {
    return undefined;
  }
}

function describe(w: Window): string {
  const memory = w.memory ? describeProcessMemory(w.memory) : 'memory unreadable';
  const v8 = w.v8
    ? `; V8 heap used ${w.v8.heapUsed.toFixed(0)} MB, external ${w.v8.external.toFixed(0)} MB (main thread)`
    : '';
  return `${w.blocksPerSecond.toFixed(1)} blocks/s; ${memory}${v8}`;
}

async function importOnce(variant: Variant, file: string, blocks: number): Promise<ImportRun> {
  const data = scratchDir('hashline-bench-long-');
  const snapshots = process.env.BENCH_HEAP_SNAPSHOT || path.join(data.path, 'snapshots');
  mkdirSync(snapshots, { recursive: true });
  try {
    const profileDir = PROFILE_DIR && variant.name === 'node' ? PROFILE_DIR : undefined;
    const profileArgs = profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=500']
      : [];
    const node = await startNode({
      dataDir: path.join(data.path, 'node'),
      nodeArgs: [
        ...variant.nodeArgs,
        ...profileArgs,
        '--heapsnapshot-signal=SIGUSR2',
        `--diagnostic-dir=${snapshots}`,
      ],
      args: (process.env.BENCH_LONG_ARGS ?? '').split(/\s+/).filter(Boolean),
    });
    let run: ImportRun | undefined;
    try {
      progress(`long import into a node (${variant.name}), ${blocks} blocks by hashline chain import`);
      const started = performance.now();
      const importer = startImport(file, node);
      const { windows, peakHeight } = await followImport(node, blocks, importer);
      const seconds = (performance.now() - started) / 1000;
      const peakRss = node.memory().peak / MB;
      const heapNote = variant.name === 'node' ? await nodeHeapNote(node, snapshots) : '';
      progress(
        `  ${(blocks / seconds).toFixed(1)} blocks/s in all; peak RSS ${peakRss.toFixed(0)} MB, the highest sample at height ${peakHeight}`,
      );
      if (heapNote) progress(heapNote);
      run = { windows, peakRss, peakHeight, seconds, heapNote };
      return run;
    } finally {
      await node.stop();
      if (profileDir && run) printProfile(profileDir, node.pid, run.windows);
    }
  } finally {
    data.cleanup();
  }
}

export async function runLongImportBench(): Promise<Row[]> {
  const blocks = Number(process.env.BENCH_LONG_BLOCKS ?? 2_000);
  const rounds = Number(process.env.BENCH_LONG_ROUNDS ?? 1);
  if (!Number.isInteger(WINDOW) || WINDOW < 1) throw new Error('BENCH_LONG_WINDOW must be at least 1');
  if (!Number.isInteger(blocks) || blocks < 2 * WINDOW || blocks % WINDOW !== 0)
    throw new Error(`BENCH_LONG_BLOCKS must be a multiple of ${WINDOW}, at least ${2 * WINDOW}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('BENCH_LONG_ROUNDS must be at least 1');
  const dir = await sourceStore(blocks);
  const scratch = scratchDir('hashline-bench-long-file-');
  const runs = new Map<Variant, ImportRun[]>(VARIANTS.map((v) => [v, []]));
  try {
    const file = path.join(scratch.path, 'blocks.hlchain');
    progress(`long import: writing ${blocks} blocks × ${TXS_PER_BLOCK} payments to a chain file`);
    await writeChainFile(dir, blocks, file);
    const variants = WITH_V8_BASELINE ? VARIANTS : VARIANTS.slice(0, 1);
    for (let round = 0; round < rounds; round++)
      for (const variant of variants) runs.get(variant)!.push(await importOnce(variant, file, blocks));
  } finally {
    scratch.cleanup();
  }
  return rowsOf(runs, blocks);
}

function rowsOf(runs: Map<Variant, ImportRun[]>, blocks: number): Row[] {
  const rate = (r: ImportRun) => blocks / r.seconds;
  const of = (v: Variant) => {
    const list = runs.get(v)!;
    if (list.length === 0) return undefined;
    // Interference slows a run down, it does not shrink its memory: the lowest peak, the fastest run.
    return {
      leanest: list.reduce((a, b) => (b.peakRss < a.peakRss ? b : a)),
      fastest: list.reduce((a, b) => (rate(b) > rate(a) ? b : a)),
    };
  };
  const node = of(VARIANTS[0])!;
  const v8 = of(VARIANTS[1]);
  const nodeFast = node.fastest;
  const first = nodeFast.windows[0]!;
  const last = nodeFast.windows[nodeFast.windows.length - 1]!;
  const ratio = last.blocksPerSecond / first.blocksPerSecond;
  const rounds = runs.get(VARIANTS[0])!.length;
  const shape = `${formatNumber(blocks)} blocks × ${TXS_PER_BLOCK} payments posted one at a time by hashline chain import to a node process; the fastest of ${rounds} run(s)${v8 ? ' taking turns with the baseline node' : ''}`;
  const windowRows = (r: ImportRun, label: string): Row[] =>
    r.windows.map((w) => ({
      name: `long import (${label}), blocks ${formatNumber(w.toHeight - WINDOW + 1)}–${formatNumber(w.toHeight)}`,
      value: w.blocksPerSecond,
      unit: 'blocks/s',
      note: describe(w).replace(/^[\d.]+ blocks\/s; /, 'then '),
    }));
  const peak = node.leanest.peakRss;
  const firstRss = node.leanest.windows[0]!.memory?.rss ?? Number.NaN;
  return [
    {
      name: `long import, blocks/s over the last ${formatNumber(WINDOW)} blocks against the first ${formatNumber(WINDOW)}`,
      value: last.blocksPerSecond,
      unit: 'blocks/s',
      baseline: `${first.blocksPerSecond.toFixed(1)} blocks/s (the first ${formatNumber(WINDOW)})`,
      ratio,
      goal: '≥ 0.9x',
      met: ratio >= 0.9,
      note: shape,
    },
    {
      name: 'long import, peak RSS of the node',
      value: peak,
      unit: 'MB',
      ...(v8
        ? { baseline: `${v8.leanest.peakRss.toFixed(0)} MB (the same node with V8's own heap growth)` }
        : { baseline: `${firstRss.toFixed(0)} MB (its RSS after the first ${formatNumber(WINDOW)} blocks)` }),
      ratio: peak / (v8 ? v8.leanest.peakRss : firstRss),
      goal: '< 400 MB',
      met: peak < 400,
      note: `VmHWM at the end; the highest RSS sampled was at height ${formatNumber(node.leanest.peakHeight)}; ${node.leanest.heapNote}`,
    },
    {
      name: `long import, whole import (heap growth ${HEAP_GROWING_PERCENT} %)`,
      value: rate(nodeFast),
      unit: 'blocks/s',
      ...(v8
        ? {
            baseline: `${rate(v8.fastest).toFixed(1)} blocks/s (V8's own heap growth)`,
            ratio: rate(nodeFast) / rate(v8.fastest),
            note: `what the smaller heaps cost in collections; the fastest of ${rounds} run(s) of each, taking turns`,
          }
        : {
            note: "BENCH_LONG_BASELINE=1 compares it with V8's own heap growth (the node with --heap-growing-percent=0)",
          }),
    },
    ...windowRows(nodeFast, 'node'),
    ...(v8 ? windowRows(v8.fastest, "V8's growth") : []),
  ];
}

const generateOnly = process.env.BENCH_LONG_GENERATE_ONLY;
if (generateOnly) await generatedStore(TXS_PER_BLOCK, Number(generateOnly));
else
  await runAsScript(
    import.meta.url,
    `long-import: one block at a time, ${formatNumber(WINDOW)}-block windows`,
    runLongImportBench,
  );
