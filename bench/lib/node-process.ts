// Real node processes for the API, memory and sync benches: `bin/hashline.js node --network regtest`
// on loopback ports, stopped with SIGTERM (SIGKILL if it hangs) and always stopped when the bench exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress } from './report.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'hashline.js');
const DIST_ENTRY = path.join(ROOT, 'dist', 'cli', 'index.js');

/** Fails clearly when the compiled node is missing; warns when src/ changed after the build. */
export function assertBuilt(): void {
  if (!existsSync(DIST_ENTRY)) {
    throw new Error('the node is not built: run `npx tsc -p tsconfig.build.json` (or `npm run build`) first');
  }
  const built = statSync(DIST_ENTRY).mtimeMs;
  const src = path.join(ROOT, 'src');
  const stale = readdirSync(src, { recursive: true, encoding: 'utf8' }).some(
    (file) => file.endsWith('.ts') && statSync(path.join(src, file)).mtimeMs > built,
  );
  if (stale) progress('warning: src/ changed after dist/ was built; the node runs the older build');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface NodeStatus {
  height: number;
  tip: string;
  mempool: { count: number; bytes: number };
  peers: number;
  p2p: { peerId: string; addrs: string[] };
  sync: { syncing: boolean; peerHeight: number; progress: number };
}

export interface NodeProcess {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** Milliseconds from spawning the process to the first 200 answer of GET /api/v1/status. */
  readonly readyMs: number;
  /** stdout and stderr so far (the node logs at warn level). */
  output(): string;
  status(): Promise<NodeStatus>;
  /** Resident set size, from /proc/<pid>/status: current (VmRSS) and peak (VmHWM), in bytes. */
  memory(): { rss: number; peak: number };
  /** CPU time the process has used so far (user + system), from /proc/<pid>/stat, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: nothing is flushed. Resolves once the process is gone. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export const postJson = <T>(url: string, body: unknown): Promise<T> =>
  getJson<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

export function readCpuSeconds(pid: number): number {
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function readProcStatus(pid: number): { rss: number; peak: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

/**
 * Starts `hashline node --network regtest` on `dataDir` and resolves once its HTTP API answers.
 * `peers` are passed as --peer options.
 */
export async function startNode(opts: {
  dataDir: string;
  peers?: readonly string[];
  readyTimeoutMs?: number;
  /** How often the status is polled until the node answers (default 100 ms; startup.ts polls faster). */
  pollMs?: number;
  /** Extra environment variables for the node process. */
  env?: Record<string, string>;
  /** Options of node itself, before the script (`--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeArgs?: readonly string[];
  /** Extra command-line options. */
  args?: readonly string[];
}): Promise<NodeProcess> {
  assertBuilt();
  const port = await freePort();
  const p2pPort = await freePort();
  const args = [
    ...(opts.nodeArgs ?? []),
    BIN,
    'node',
    '--network',
    'regtest',
    '--port',
    String(port),
    '--p2p-port',
    String(p2pPort),
    '--data-dir',
    opts.dataDir,
    '--log-level',
    'warn',
    ...(opts.peers ?? []).flatMap((p) => ['--peer', p]),
    ...(opts.args ?? []),
  ];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  let readyMs = Number.NaN;
  const node: NodeProcess = {
    url,
    get readyMs() {
      return readyMs;
    },
    pid: child.pid!,
    dataDir: opts.dataDir,
    output: () => output,
    status: () => getJson<NodeStatus>(`${url}/api/v1/status`),
    memory: () => readProcStatus(child.pid!),
    cpuSeconds: () => readCpuSeconds(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`the node exited before it was ready:\n${output.trim()}`);
    try {
      await node.status();
      readyMs = performance.now() - spawnedAt;
      return node;
    } catch {
      if (Date.now() > deadline) {
        await node.stop();
        throw new Error(`the node did not answer on ${url} in time:\n${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
    }
  }
}
