// `hashline classroom` as a real process on free ports of 127.0.0.1: what it prints (the join link with
// its network id, teacher key and peer; the dashboard link with its token), and a clean stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HASHLINE_BIN, ROOT } from './node-process.js';

export interface ClassroomProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly token: string;
  readonly output: () => string;
  /** The join links printed so far, oldest first (a reset prints a new one). */
  readonly joinLinks: () => URL[];
  readonly stop: () => Promise<void>;
}

const JOIN = /join link: (\S+)/g;
const DASHBOARD = /dashboard: (\S+)/;

export async function startClassroom(
  extraArgs: readonly string[] = [],
  timeoutMs = 90_000,
): Promise<ClassroomProcess> {
  const [port, p2pPort, wsPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'hashline-classroom-'));
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      HASHLINE_BIN,
      'classroom',
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--p2p-port',
      String(p2pPort),
      '--ws-port',
      String(wsPort),
      '--host',
      '127.0.0.1',
      '--public-host',
      '127.0.0.1',
      ...extraArgs,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!DASHBOARD.test(log)) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`hashline classroom exited (code ${exitCode}) before printing its links:\n${log}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`hashline classroom printed no dashboard link within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const dashboard = new URL(DASHBOARD.exec(log)![1]!);
  const token = new URLSearchParams(dashboard.hash.split('?')[1]).get('token') ?? '';
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    token,
    output: () => log,
    joinLinks: () => [...log.matchAll(JOIN)].map((m) => new URL(m[1]!)),
    stop,
  };
}

/** The query of a join link (after `#/join?`). */
export const joinQuery = (link: URL): URLSearchParams => new URLSearchParams(link.hash.split('?')[1]);
