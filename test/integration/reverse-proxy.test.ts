// A node behind a reverse proxy on the same host (test/support/reverse-proxy.ts, a real process that
// forwards as nginx does). The node sees every request arrive from 127.0.0.1, so:
// - with --require-token, every operator route, read or write, needs the token through the proxy;
// - without it, operator routes are open to whoever reaches the proxy, and the node says so once, in its
//   log and in the operator's status, naming --require-token;
// - with --trust-proxy <proxy>, the forwarded client address counts, so a client beyond loopback needs
//   the token even without --require-token.

import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  api,
  cleanupNodesAfterAll,
  type NodeProcess,
  runCli,
  snapshot,
  spawnScript,
  startNode,
  waitFor,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const WARNING = /requests arrive through a proxy .* Start the node with --require-token/;

/** Operator routes, reads and writes, with the status each answers when let through. */
const OPERATOR_CALLS = [
  { method: 'GET', path: '/api/v1/wallet', ok: 200 },
  { method: 'GET', path: '/api/v1/peers', ok: 200 },
  { method: 'GET', path: '/api/v1/miner', ok: 200 },
  { method: 'GET', path: '/nodes/get', ok: 200 },
  { method: 'GET', path: '/metrics', ok: 200 },
  { method: 'GET', path: '/mine', ok: 200 },
  { method: 'POST', path: '/api/v1/mine', ok: 201 },
  { method: 'POST', path: '/api/v1/miner/stop', ok: 200 },
  { method: 'DELETE', path: '/api/v1/bans/10.0.0.9', ok: 404 },
] as const;

const proxies: Array<{ stop: () => Promise<unknown> }> = [];
afterAll(async () => {
  for (const p of proxies) await p.stop();
});

/** Starts the proxy process in front of `node`; resolves with its URL once it listens. */
async function proxyFor(node: NodeProcess, listenHost = '127.0.0.1'): Promise<string> {
  const proxy = spawnScript('test/support/reverse-proxy.ts', [node.url, listenHost]);
  proxies.push({
    stop: async () => {
      proxy.proc.kill('SIGTERM');
      await proxy.exit;
    },
  });
  const port = await waitFor(
    () => /listening (\d+)/.exec(proxy.stdout())?.[1],
    `the proxy to listen:\n${proxy.output()}`,
    { timeoutMs: 30_000 },
  );
  return `http://${listenHost}:${port}`;
}

async function call(base: string, c: (typeof OPERATOR_CALLS)[number], token?: string) {
  const res = await fetch(`${base}${c.path}`, {
    method: c.method,
    headers: {
      ...(c.method === 'POST' ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: c.method === 'POST' ? '{}' : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    error: res.headers.get('content-type')?.includes('json') ? JSON.parse(text).error : '',
  };
}

const tokenOf = (node: NodeProcess) => readFileSync(join(node.dataDir, '.cookie'), 'utf8').trim();

/** A non-loopback IPv4 address of this machine, for a client that is not on loopback. */
const externalIp = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('a node behind a same-host reverse proxy', () => {
  it('with --require-token, needs the token for every operator route through the proxy', async () => {
    const node = await startNode({ args: ['--require-token'] });
    const proxy = await proxyFor(node);
    const token = tokenOf(node);
    const before = await api(proxy).get('/api/v1/status');
    expect(before.status).toBe(200);
    for (const c of OPERATOR_CALLS) {
      const refused = await call(proxy, c);
      expect(refused, `${c.method} ${c.path}`).toEqual({ status: 401, error: 'unauthorized' });
    }
    expect((await api(proxy).get('/api/v1/status')).body.height).toBe(before.body.height);
    // Direct on loopback too: the flag means every caller.
    expect((await call(node.url, OPERATOR_CALLS[0])).status).toBe(401);
    for (const c of OPERATOR_CALLS) {
      expect((await call(proxy, c, token)).status, `${c.method} ${c.path}`).toBe(c.ok);
    }
    expect(node.logs()).not.toMatch(WARNING);
    await node.stop();
  });

  it('without --require-token, warns once in its log and status that the proxy opens operator routes', async () => {
    const node = await startNode();
    const proxy = await proxyFor(node);
    expect((await getStatus(node.url)).warnings).toEqual([]);
    // The hazard warned of: through the proxy the node wallet answers without a token.
    expect((await call(proxy, OPERATOR_CALLS[0])).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await api(proxy).get('/api/v1/status')).status).toBe(200);
    const warnings = (await getStatus(node.url)).warnings as string[];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(WARNING);
    await waitFor(() => WARNING.test(node.logs()), 'the warning in the log', { timeoutMs: 10_000 });
    expect(node.logs().match(new RegExp(WARNING.source, 'g'))).toHaveLength(1);
    // Other sites' pages and callers without operator access do not see it.
    const foreign = await fetch(`${proxy}/api/v1/status`, { headers: { origin: 'http://attacker.example' } });
    expect(((await foreign.json()) as { warnings: string[] }).warnings).toEqual([]);
    await node.stop();
  });

  it('refuses a --trust-proxy that is not an address or a subnet', async () => {
    for (const bad of ['proxy.example', '10.0.0.0/33', '127.0.0.1/8/1']) {
      const r = await runCli(['node', '--network', 'regtest', '--port', '0', '--trust-proxy', bad]);
      expect(r.code, bad).not.toBe(0);
      expect(r.stderr, bad).toContain(`--trust-proxy ${bad} is not an address or subnet`);
    }
  });

  it.skipIf(externalIp === undefined)(
    'with --trust-proxy, a client beyond loopback needs the token through the proxy',
    async () => {
      const node = await startNode({ args: ['--trust-proxy', '127.0.0.1'] });
      const proxy = await proxyFor(node, '0.0.0.0');
      const remote = proxy.replace('0.0.0.0', externalIp!);
      const token = tokenOf(node);
      for (const c of OPERATOR_CALLS) {
        expect(await call(remote, c), `${c.method} ${c.path}`).toEqual({
          status: 401,
          error: 'unauthorized',
        });
      }
      expect((await call(remote, OPERATOR_CALLS[0], token)).status).toBe(200);
      expect((await api(remote).get('/chain?limit=1')).status).toBe(200);
      expect((await snapshot(node.url)).walletAddress).toMatch(/^hlrt1/);
      await node.stop();
    },
  );
});

async function getStatus(base: string) {
  const r = await api(base).get('/api/v1/status');
  expect(r.status).toBe(200);
  return r.body;
}
