// Runs every bench, each in its own process, and writes their figures and ratios to bench/results.md.
//
//   npm run bench                      (builds first; the api, memory, startup, sync and chain-api benches run dist/)
//   node --import tsx bench/run.ts [name ...]     (only the named benches, e.g. `core api`: their sections
//                                                  replace the same ones in bench/results.md)
//
// Every ratio in the table is against a baseline measured in the same run. The machine may be shared:
// short measurements are best of N, and long ones say so in their notes.
import '../src/polyfill.js';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JS_HASH_ROW, NATIVE_HASH_ROW } from './core.js';
import { markdownTables, mergeSections, type Row, type Section } from './lib/report.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(BENCH_DIR, 'results.md');

interface BenchSpec {
  name: string;
  title: string;
  file: string;
  timeoutSeconds: number;
}

const BENCHES: readonly BenchSpec[] = [
  {
    name: 'core',
    title: 'core: hashing, Merkle, Ed25519, connecting blocks',
    file: 'core.ts',
    timeoutSeconds: 360,
  },
  {
    name: 'verifiers',
    title: 'verifiers: Ed25519 libraries and the rule-conformant verifiers',
    file: 'verifiers.ts',
    timeoutSeconds: 120,
  },
  {
    name: 'mining-scaling',
    title: 'mining-scaling: miner threads vs one kernel',
    file: 'mining-scaling.ts',
    timeoutSeconds: 120,
  },
  { name: 'peers', title: 'peers: against the Python tutorials', file: 'peers/peers.ts', timeoutSeconds: 90 },
  { name: 'api', title: 'api: HTTP throughput of a node process', file: 'api.ts', timeoutSeconds: 240 },
  {
    name: 'memory',
    title: 'memory: resident size against chain length',
    file: 'memory.ts',
    timeoutSeconds: 360,
  },
  {
    name: 'startup',
    title: 'startup: a node on 50,000 blocks answering its API, after a clean stop and after SIGKILL',
    file: 'startup.ts',
    timeoutSeconds: 360,
  },
  {
    name: 'live-path',
    title: 'live-path: blocks one at a time, as users submit them',
    file: 'live-path.ts',
    timeoutSeconds: 420,
  },
  {
    name: 'long-import',
    title: 'long-import: one block at a time, 500-block windows',
    file: 'long-import.ts',
    timeoutSeconds: 420,
  },
  { name: 'sync', title: 'sync: initial sync from a peer', file: 'sync.ts', timeoutSeconds: 600 },
  {
    name: 'chain-api',
    title: 'chain-api: 10 concurrent whole-chain walks (GET /chain in pages of 1,000) on 20,000 blocks',
    file: 'chain-api.ts',
    timeoutSeconds: 300,
  },
  {
    name: 'propagation',
    title: 'propagation: blocks and transactions across 5 and 10 nodes on network namespaces',
    file: 'propagation.ts',
    timeoutSeconds: 180,
  },
  {
    name: 'template',
    title: 'template: block templates from a full pool',
    file: 'template.ts',
    timeoutSeconds: 120,
  },
  {
    name: 'attacks',
    title: 'attacks: one hostile peer against a node, each attack against the same node without it',
    file: 'attacks.ts',
    timeoutSeconds: 600,
  },
  {
    name: 'browser-node',
    title: 'browser-node: the browser node (Chromium, IndexedDB, Web Workers) against the Node.js node',
    file: 'browser-node.ts',
    timeoutSeconds: 420,
  },
  {
    name: 'classroom-load',
    title: 'classroom-load: a teacher node serving 30 browser-protocol clients over WebSockets',
    file: 'classroom-load.ts',
    timeoutSeconds: 240,
  },
];

/** Runs one bench file in a child process; its rows come back through a JSON file. */
function runBench(spec: BenchSpec, env: Record<string, string>): Promise<Row[]> {
  const out = path.join(tmpdir(), `hashline-bench-${process.pid}-${spec.name}.json`);
  rmSync(out, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, spec.file)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env, BENCH_JSON_OUT: out },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, spec.timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        if (code === 0) return resolve(JSON.parse(readFileSync(out, 'utf8')) as Row[]);
        reject(
          new Error(
            signal
              ? `stopped after ${spec.timeoutSeconds} s (${signal})`
              : `exited with code ${code}${stdout.trim() ? `: ${stdout.trim().slice(-1000)}` : ''}`,
          ),
        );
      } catch (e) {
        reject(e);
      } finally {
        rmSync(out, { force: true });
      }
    });
  });
}

/** Core's single-thread kernel figure, handed to mining-scaling as its baseline. */
function coreHashEnv(rows: readonly Row[]): Record<string, string> {
  const native = rows.find((r) => r.name === NATIVE_HASH_ROW && Number.isFinite(r.value));
  const js = rows.find((r) => r.name === JS_HASH_ROW && Number.isFinite(r.value));
  const pick = native
    ? { rate: native.value, kernel: 'native' }
    : js
      ? { rate: js.value, kernel: 'js' }
      : undefined;
  return pick ? { BENCH_CORE_HASH_RATE: String(pick.rate), BENCH_CORE_HASH_KERNEL: pick.kernel } : {};
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(`unknown bench ${unknown.join(', ')} (have: ${BENCHES.map((b) => b.name).join(', ')})`);
  const selected = only.length ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  const startedAt = new Date();
  const loadBefore = load();
  const begin = performance.now();
  const sections: Section[] = [];
  let env: Record<string, string> = {};
  for (const spec of selected) {
    process.stderr.write(`\n[bench] === ${spec.name} ===\n`);
    const t0 = performance.now();
    try {
      const rows = await runBench(spec, env);
      sections.push({ title: spec.title, rows, seconds: (performance.now() - t0) / 1000 });
      if (spec.name === 'core') env = { ...env, ...coreHashEnv(rows) };
    } catch (e) {
      sections.push({
        title: spec.title,
        rows: [],
        error: (e as Error).message,
        seconds: (performance.now() - t0) / 1000,
      });
    }
  }
  const total = (performance.now() - begin) / 1000;
  const goals = sections.flatMap((s) => s.rows).filter((r) => r.met !== undefined);
  const met = goals.filter((r) => r.met).length;
  const cpu = cpus();
  const header = [
    '# Benchmark results',
    '',
    `Run ${startedAt.toISOString()} on ${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, Node ${process.version}; ` +
      `load average ${loadBefore} before and ${load()} after (1 / 5 / 15 min: the machine was shared). ` +
      `Total ${total.toFixed(0)} s${selected.length < BENCHES.length ? ` for ${selected.map((b) => b.name).join(', ')}` : ''}.`,
    '',
    `Goals met: ${met} of ${goals.length}. Every ratio is against the baseline in the same row, measured in this run. ` +
      'Short measurements are best of N (interference only slows a run down); long ones (connecting, ' +
      'sync) are single runs and also give their fastest window. Generated chains are cached in ' +
      'bench/.build/stores while the code that writes them is unchanged (BENCH_FRESH=1 rebuilds them).',
    '',
  ].join('\n');
  const markdown = `${header}\n${markdownTables(sections)}`;
  // Some benches only: their sections replace the same ones in the last full run's file.
  const partialNote = `Run ${startedAt.toISOString()} alone (\`bench/run.ts ${only.join(' ')}\`), load average ${loadBefore} before and ${load()} after.`;
  writeFileSync(
    RESULTS,
    only.length && existsSync(RESULTS)
      ? mergeSections(readFileSync(RESULTS, 'utf8'), sections, partialNote)
      : markdown,
  );
  console.log(markdown);
  process.stderr.write(`[bench] wrote ${path.relative(process.cwd(), RESULTS)} in ${total.toFixed(0)} s\n`);
}

await main();
