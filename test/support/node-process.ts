// Real `hashline` processes for integration tests: nodes on free loopback ports, one-shot CLI runs, and a
// small JSON client for the node's HTTP API.
//
// Every node started here is tracked. Call `cleanupNodesAfterAll()` (or `...AfterEach()`) once at the top
// of a test file: leftover nodes are SIGKILLed and the temporary directories this module created are
// removed, even when a test fails half-way. As a last resort, leftovers are killed when the test worker exits.
//
// Typical use:
//
//   cleanupNodesAfterAll();
//   const node = await startNode();                 // regtest, fresh temp data dir, free ports
//   await mine(node.url, 3);
//   const { status, body } = await api(node.url).post('/transactions/new', { recipient, amount: 1000 });
//   await node.stop();                              // SIGTERM, waits for a clean exit
//   const again = await startNode({ dataDir: node.dataDir });   // restart on the same data
//
// The compiled CLI (dist/, via bin/hashline.js) is what runs: build first (`npm run build`, or
// `npx tsc -p tsconfig.build.json` after source changes).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const HASHLINE_BIN = join(ROOT, 'bin', 'hashline.js');

export type Network = 'regtest' | 'dev';

export interface StartNodeOptions {
  /** Default regtest. */
  readonly network?: Network;
  /** Where the node keeps its data; default a fresh temporary directory, removed at cleanup. */
  readonly dataDir?: string;
  /** HTTP port; default a free one. */
  readonly port?: number;
  /** libp2p port; default a free one. */
  readonly p2pPort?: number;
  /** Extra CLI arguments, e.g. ['--mine', '--threads', '1'] or ['--peer', url]. */
  readonly args?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default 'info'. */
  readonly logLevel?: string;
  /** How long to wait for GET /api/v1/status to answer; default 30 s (a loaded 2-core machine is slow). */
  readonly readyTimeoutMs?: number;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly p2pPort: number;
  readonly dataDir: string;
  readonly network: Network;
  readonly proc: ChildProcess;
  readonly pid: number;
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`, default 20 s, and then it throws). */
  stop(timeoutMs?: number): Promise<ExitStatus>;
  /** Sends a signal (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Resolves when the process has exited. */
  waitForExit(): Promise<ExitStatus>;
  readonly exited: boolean;
  /** stdout and stderr so far, interleaved (the last ~1 MB). */
  logs(): string;
}

const MAX_LOG = 1_000_000;

/** The last MAX_LOG characters of a stream, kept as chunks so a chatty process costs little to record. */
class LogTail {
  private chunks: string[] = [];
  private length = 0;

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length > 2 * MAX_LOG) this.chunks = [this.text()];
  }

  text(): string {
    const joined = this.chunks.join('').slice(-MAX_LOG);
    this.chunks = [joined];
    this.length = joined.length;
    return joined;
  }
}

/** Processes still running, and temporary directories to remove at cleanup. */
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port that was free a moment ago on 127.0.0.1 (listen on 0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A fresh temporary directory, removed by the cleanup helpers. */
export function tempDir(prefix = 'hashline-it-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (or `npx tsc -p tsconfig.build.json`) first');
  }
}

interface Spawned {
  readonly child: ChildProcess;
  readonly exit: Promise<ExitStatus>;
  readonly output: () => string;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** Spawns `node <script> ...args` with piped output, tracked until it exits. */
function spawnTracked(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
  nodeArgs: readonly string[] = [],
): Spawned {
  const child = spawn(process.execPath, [...nodeArgs, ...argv], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
  running.add(child);
  const all = new LogTail();
  const out = new LogTail();
  const err = new LogTail();
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    out.push(chunk);
    all.push(chunk);
  });
  child.stderr!.on('data', (chunk: string) => {
    err.push(chunk);
    all.push(chunk);
  });
  const exit = new Promise<ExitStatus>((resolveExit) => {
    // 'close' comes after the output streams end, so the logs are complete when this resolves.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal });
    });
    child.once('error', () => {
      running.delete(child);
      resolveExit({ code: null, signal: null });
    });
  });
  return { child, exit, output: () => all.text(), stdout: () => out.text(), stderr: () => err.text() };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `hashline node` and waits until GET /api/v1/status answers. Fails with the node's output when it
 * exits early or does not answer in time. Retries with other ports when a chosen free port was taken
 * in the meantime (only for ports this function picked).
 */
export async function startNode(opts: StartNodeOptions = {}): Promise<NodeProcess> {
  assertBuilt();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      const portClash = e instanceof StartError && /EADDRINUSE/.test(e.output);
      if (!portClash || attempt >= 3 || (opts.port !== undefined && opts.p2pPort !== undefined)) throw e;
    }
  }
}

class StartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

async function startOnce(opts: StartNodeOptions): Promise<NodeProcess> {
  const network = opts.network ?? 'regtest';
  const dataDir = opts.dataDir ?? tempDir('hashline-node-');
  const port = opts.port ?? (await freePort());
  let p2pPort = opts.p2pPort ?? (await freePort());
  while (p2pPort === port) p2pPort = await freePort();
  const argv = [
    HASHLINE_BIN,
    'node',
    '--network',
    network,
    '--port',
    String(port),
    '--p2p-port',
    String(p2pPort),
    '--data-dir',
    dataDir,
    '--log-level',
    opts.logLevel ?? 'info',
    ...(opts.args ?? []),
  ];
  const spawned = spawnTracked(argv, opts.env);
  const { child, exit } = spawned;
  let exitStatus: ExitStatus | undefined;
  void exit.then((s) => {
    exitStatus = s;
  });
  const url = `http://127.0.0.1:${port}`;

  const waitForExit = () => exit;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!exitStatus) child.kill(signal);
    return exit;
  };
  const stop = async (timeoutMs = 20_000) => {
    if (exitStatus) return exitStatus;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const status = await exit;
    clearTimeout(timer);
    if (status.signal === 'SIGKILL') {
      throw new Error(`the node did not stop within ${timeoutMs} ms of SIGTERM:\n${tail(spawned.output())}`);
    }
    return status;
  };

  const timeoutMs = opts.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitStatus) {
      throw new StartError(
        `the node exited (code ${exitStatus.code}, signal ${exitStatus.signal}) before answering on ${url}:\n${tail(spawned.output())}`,
        spawned.output(),
      );
    }
    try {
      const res = await fetch(`${url}/api/v1/status`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exit;
      throw new StartError(
        `the node did not answer GET ${url}/api/v1/status within ${timeoutMs} ms:\n${tail(spawned.output())}`,
        spawned.output(),
      );
    }
    await delay(100);
  }
  return {
    url,
    port,
    p2pPort,
    dataDir,
    network,
    proc: child,
    pid: child.pid!,
    stop,
    kill,
    waitForExit,
    get exited() {
      return exitStatus !== undefined;
    },
    logs: spawned.output,
  };
}

const tail = (text: string, lines = 60) => text.split('\n').slice(-lines).join('\n');

export interface CliResult extends ExitStatus {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a one-shot `hashline <args>` (chain verify, wallet …, demo) to completion. Never rejects for a
 * non-zero exit: the caller asserts on `code`. Killed (and rejected) after `timeoutMs`, default 60 s.
 */
export async function runCli(
  args: readonly string[],
  opts: { env?: Readonly<Record<string, string>>; timeoutMs?: number } = {},
): Promise<CliResult> {
  assertBuilt();
  return runTracked([HASHLINE_BIN, ...args], opts, `hashline ${args.join(' ')}`);
}

/**
 * Runs a TypeScript script under test/ with `node --import tsx` (see test/support/crash-writer.ts). Returns
 * the process handle; the caller kills it or waits.
 */
export function spawnScript(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): { proc: ChildProcess; exit: Promise<ExitStatus>; stdout: () => string; output: () => string } {
  const spawned = spawnTracked([resolve(ROOT, script), ...args], env, ['--import', 'tsx']);
  return { proc: spawned.child, exit: spawned.exit, stdout: spawned.stdout, output: spawned.output };
}

async function runTracked(
  argv: readonly string[],
  opts: { env?: Readonly<Record<string, string>>; timeoutMs?: number },
  what: string,
): Promise<CliResult> {
  const spawned = spawnTracked(argv, opts.env);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    spawned.child.kill('SIGKILL');
  }, timeoutMs);
  const status = await spawned.exit;
  clearTimeout(timer);
  if (timedOut) throw new Error(`${what} did not finish within ${timeoutMs} ms:\n${tail(spawned.output())}`);
  return { ...status, stdout: spawned.stdout(), stderr: spawned.stderr() };
}

/** SIGKILLs every process this module started that is still running, and waits for them. */
export async function killAllNodes(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('close', () => done());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** Kills leftover processes and removes the temporary directories created by this module. */
export async function cleanupNodes(): Promise<void> {
  await killAllNodes();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Registers cleanupNodes() to run after all tests of the calling file. */
export function cleanupNodesAfterAll(): void {
  afterAll(cleanupNodes, 30_000);
}

/** Registers cleanupNodes() to run after each test of the calling file. */
export function cleanupNodesAfterEach(): void {
  afterEach(cleanupNodes, 30_000);
}

// ---------------------------------------------------------------------------------------------
// HTTP API client

export interface ApiResponse<T = Json> {
  readonly status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly body: T;
  readonly text: string;
  readonly headers: Headers;
}

export interface PostOptions {
  /** Send `body` as application/x-www-form-urlencoded (an object of strings). */
  readonly form?: boolean;
  /** Send this exact text or these bytes (body is ignored), with `contentType` (default application/json). */
  readonly raw?: string | Uint8Array;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Anything JSON-ish in a response body; tests narrow it with expect(). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
export type Json = any;

async function toResponse<T>(res: Response): Promise<ApiResponse<T>> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body: body as T, text, headers: res.headers };
}

const closedKeptAliveSocket = (e: unknown): boolean =>
  (e as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET';

/** A small client: `api(url).get('/chain')`, `api(url).post('/transactions/new', {...})`. Never throws on 4xx/5xx. */
export function api(baseUrl: string, opts: { timeoutMs?: number } = {}) {
  const timeout = () => AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  return {
    async get<T = Json>(path: string): Promise<ApiResponse<T>> {
      try {
        return toResponse<T>(await fetch(`${baseUrl}${path}`, { signal: timeout() }));
      } catch (e) {
        // A kept-alive socket the node closed after 5 idle seconds, while this process was too busy
        // (signing, building blocks) to notice: a GET may be sent again, as browsers do.
        if (!closedKeptAliveSocket(e)) throw e;
        return toResponse<T>(await fetch(`${baseUrl}${path}`, { signal: timeout() }));
      }
    },
    async post<T = Json>(path: string, body?: unknown, o: PostOptions = {}): Promise<ApiResponse<T>> {
      let payload: string | Uint8Array<ArrayBuffer> | undefined;
      let contentType: string | undefined;
      if (o.raw !== undefined) {
        payload = o.raw as string | Uint8Array<ArrayBuffer>;
        contentType = o.contentType ?? 'application/json';
      } else if (o.form) {
        payload = new URLSearchParams(body as Record<string, string>).toString();
        contentType = 'application/x-www-form-urlencoded';
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        contentType = 'application/json';
      }
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...o.headers },
        body: payload,
        signal: timeout(),
      });
      return toResponse<T>(res);
    },
  };
}

/** GET that must answer 200; returns the JSON body. */
export async function getJson<T = Json>(baseUrl: string, path: string): Promise<T> {
  const res = await api(baseUrl).get<T>(path);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  return res.body;
}

/** Mines `n` blocks one after the other (POST /api/v1/mine); returns their hashes, lowest first. */
export async function mine(baseUrl: string, n = 1, address?: string): Promise<string[]> {
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await api(baseUrl).post<{ hash: string }>('/api/v1/mine', address ? { address } : {});
    if (res.status !== 201)
      throw new Error(`POST /api/v1/mine: HTTP ${res.status} ${res.text.slice(0, 500)}`);
    hashes.push(res.body.hash);
  }
  return hashes;
}

/** The parts of GET /api/v1/status that say whether the node's state changed. */
export interface NodeSnapshot {
  readonly height: number;
  readonly tip: string;
  readonly mempoolCount: number;
  readonly mempoolBytes: number;
  readonly walletAddress: string;
}

export async function snapshot(baseUrl: string): Promise<NodeSnapshot> {
  const s = await getJson(baseUrl, '/api/v1/status');
  return {
    height: s.height,
    tip: s.tip,
    mempoolCount: s.mempool.count,
    mempoolBytes: s.mempool.bytes,
    walletAddress: s.walletAddress,
  };
}

/**
 * Polls `check` until it returns something other than undefined/false (then returns it), or fails after
 * `timeoutMs` with `what` in the message.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(opts.intervalMs ?? 100);
  }
}

/** Waits until the node's chain is at least `height` high (e.g. after peers sync); returns its status. */
export function waitForHeight(baseUrl: string, height: number, timeoutMs = 60_000): Promise<Json> {
  return waitFor(
    async () => {
      const status = await getJson(baseUrl, '/api/v1/status');
      return status.height >= height ? status : undefined;
    },
    `${baseUrl} to reach height ${height}`,
    { timeoutMs, intervalMs: 200 },
  );
}

export interface SseEvent {
  readonly event: string;
  readonly data: Json;
}

/**
 * Subscribes to GET /api/v1/events. Events arrive in `events` (and `onEvent`) as they come; `close()` ends
 * the stream, and so does the node's death: `ended` then resolves. If `onEvent` throws, the stream stops and
 * `ended` rejects with that error. `opened` resolves once the node has answered the request.
 */
export function subscribeEvents(baseUrl: string, onEvent?: (e: SseEvent) => void) {
  const events: SseEvent[] = [];
  const controller = new AbortController();
  const { promise: opened, resolve: markOpen, reject: failOpen } = Promise.withResolvers<void>();
  // Nobody may be waiting on `opened` when the request fails; that is not an unhandled rejection.
  opened.catch(() => undefined);
  let handlerError: unknown;
  const ended = (async () => {
    try {
      const res = await fetch(`${baseUrl}/api/v1/events`, { signal: controller.signal });
      if (!res.ok || !res.body) throw new Error(`GET /api/v1/events: HTTP ${res.status}`);
      markOpen();
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          const e = { event, data: data === '' ? undefined : JSON.parse(data) };
          events.push(e);
          try {
            onEvent?.(e);
          } catch (error) {
            handlerError = error;
            controller.abort();
            return;
          }
        }
      }
    } catch (e) {
      // A killed node or close() ends the stream; what arrived until then is what counts.
      failOpen(e);
    }
  })().then(() => {
    if (handlerError !== undefined) throw handlerError;
  });
  ended.catch(() => undefined);
  return {
    events,
    opened,
    ended,
    close: () => controller.abort(),
  };
}

/**
 * Starts a one-shot `hashline <args>` without waiting for it, for a test that kills it half-way (runCli
 * runs one to completion). Tracked like the nodes: cleanup kills it if the test does not.
 */
export function spawnCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): { proc: ChildProcess; exit: Promise<ExitStatus>; stdout: () => string; stderr: () => string } {
  assertBuilt();
  const spawned = spawnTracked([HASHLINE_BIN, ...args], env);
  return { proc: spawned.child, exit: spawned.exit, stdout: spawned.stdout, stderr: spawned.stderr };
}
