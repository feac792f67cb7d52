// `hashline devnet`: N nodes with their own data directories and consecutive ports, wired only through
// discovery from the first one; every dashboard URL printed; Ctrl-C (SIGINT) stops them all.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, HASHLINE_BIN, ROOT, tempDir, waitFor } from '../support/node-process.js';

const NODES = 3;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** A base port with NODES free HTTP ports and their libp2p ports (+10000). */
async function freeRange(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral range (32768+), where ports the OS hands other tests' nodes live, and
    // apart from the classroom devnet test's range (20000..21300).
    const base = 21_400 + Math.floor(Math.random() * 1_300);
    const ports = Array.from({ length: NODES }, (_, i) => [base + i, base + i + 10_000]).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

let child: ChildProcess | undefined;
// The devnet runs in its own process group, so a failed test can stop it and the nodes it started at once.
afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
});

describe('hashline devnet', () => {
  it('starts N nodes joined through discovery, prints their URLs, and stops them all on Ctrl-C', async () => {
    const dir = tempDir('hashline-devnet-');
    const base = await freeRange();
    let out = '';
    child = spawn(
      process.execPath,
      [
        HASHLINE_BIN,
        'devnet',
        '--nodes',
        String(NODES),
        '--network',
        'regtest',
        '--port',
        String(base),
        '--dir',
        dir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    await waitFor(() => out.includes('Press Ctrl-C'), 'the devnet to be ready', { timeoutMs: 90_000 });
    const urls = [...out.matchAll(/(http:\/\/127\.0\.0\.1:\d+)\/\s+ready/g)].map((m) => m[1]!);
    expect(urls).toEqual(Array.from({ length: NODES }, (_, i) => `http://127.0.0.1:${base + i}`));
    for (let i = 1; i <= NODES; i++) expect(existsSync(join(dir, `node${i}`, 'chain'))).toBe(true);
    // Each node was given node1's address only; discovery must give every node at least 2 peers.
    await waitFor(
      async () => {
        const counts = await Promise.all(urls.map(async (u) => (await getJson(u, '/api/v1/status')).peers));
        return counts.every((c) => c >= NODES - 1) ? counts : undefined;
      },
      'every node to find the others',
      { timeoutMs: 60_000 },
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toMatch(/devnet stopped/);
    for (const u of urls) {
      await expect(fetch(`${u}/api/v1/status`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
  }, 180_000);
});
