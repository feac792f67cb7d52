// A classroom devnet: `hashline devnet --nodes 10`, every node on 127.0.0.1 and given node1's address only.
// Limits keyed on the IP (inbound caps per IP and netgroup, eviction) count each loopback peer id as its own
// host, so the ten still form one network: each node reaches several peers, and with node1 left out the
// others are still all connected (no star around the node everybody was given).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanupNodesAfterAll,
  getJson,
  HASHLINE_BIN,
  ROOT,
  runCli,
  startNode,
  tempDir,
  waitFor,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const NODES = 10;

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

async function freeRange(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // HTTP ports base.., libp2p ports base+10000..: both below Linux's ephemeral range (32768+), where
    // the ports other tests' nodes get from the OS (port 0) live, so none can take one meanwhile.
    const base = 20_000 + Math.floor(Math.random() * 1_300);
    const ports = Array.from({ length: NODES }, (_, i) => [base + i, base + i + 10_000]).flat();
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

/** Whether every node but node1 reaches every other through links that avoid node1. */
function connectedWithoutFirst(ids: string[], links: Map<string, string[]>): boolean {
  const [first, start, ...rest] = ids;
  const seen = new Set([start!]);
  const queue = [start!];
  for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
    for (const next of links.get(queue.shift()!) ?? []) {
      if (next !== first && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return rest.every((id) => seen.has(id));
}

let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
});

describe('a classroom devnet of ten nodes on one host', () => {
  it('forms one network, not a star, with every node at several peers', async () => {
    const dir = tempDir('hashline-classroom-');
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
    await waitFor(() => out.includes('Press Ctrl-C'), 'the devnet to be ready', { timeoutMs: 150_000 });
    const urls = Array.from({ length: NODES }, (_, i) => `http://127.0.0.1:${base + i}`);
    const ids: string[] = await Promise.all(
      urls.map(async (u) => (await getJson(u, '/api/v1/status')).p2p.peerId),
    );
    const snapshot = async () => {
      const links = new Map<string, string[]>();
      await Promise.all(
        urls.map(async (u, i) => {
          const { peers } = await getJson(u, '/api/v1/peers');
          links.set(
            ids[i]!,
            (peers as { id: string; height: number }[]).filter((p) => p.height >= 0).map((p) => p.id),
          );
        }),
      );
      return links;
    };
    const formed = await waitFor(
      async () => {
        const links = await snapshot();
        const enough = [...links.values()].every((l) => l.length >= 3);
        return enough && connectedWithoutFirst(ids, links) ? links : undefined;
      },
      'every node at 3 peers or more, connected without node1',
      { timeoutMs: 150_000, intervalMs: 1_000 },
    ).catch(async (e) => {
      const counts = [...(await snapshot()).values()].map((l) => l.length);
      throw new Error(`${(e as Error).message}; peer counts ${counts.join(', ')}`);
    });
    expect(formed.size).toBe(NODES);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 400_000);
});

describe('--local-subnet', () => {
  it('refuses a malformed subnet before starting, and takes a good one', async () => {
    const dir = tempDir('hashline-subnet-');
    const bad = await runCli([
      'node',
      '--network',
      'regtest',
      '--data-dir',
      dir,
      '--port',
      '0',
      '--local-subnet',
      '10.0.0.0',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--local-subnet 10.0.0.0 is not a subnet');
    const node = await startNode({ args: ['--local-subnet', '10.0.0.0/8', '--local-subnet', 'fd00::/8'] });
    expect((await getJson(node.url, '/api/v1/status')).network).toBe('regtest');
    expect((await node.stop()).code).toBe(0);
  });
});
