// The access model of docs/api.md ("Security"), on a real in-process node driven by inject(): every route's
// level against a table, the Host check, cross-site refusals for operator routes, the token, CORS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../../../src/api/access.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

/**
 * Who may call what, reads included: method + URL → level. A new route must be added here, with its
 * level, or this test fails. Operator reads reveal the operator rather than the chain (the node wallet,
 * peers and bans, the miner, the node's metrics).
 */
const EXPECTED_ACCESS: Record<string, 'public' | 'operator' | 'by-body'> = {
  'GET /mine': 'operator',
  'POST /transactions/new': 'by-body',
  'GET /transactions/get': 'public',
  'GET /chain': 'public',
  'POST /nodes/register': 'operator',
  'GET /nodes/resolve': 'operator',
  'GET /nodes/get': 'operator',
  'GET /api/v1/status': 'public',
  'GET /api/v1/blocks': 'public',
  'POST /api/v1/blocks': 'operator',
  'GET /api/v1/blocks/:id': 'public',
  'GET /api/v1/tx/:txid': 'public',
  'GET /api/v1/tx/:txid/raw': 'public',
  'GET /api/v1/blocks/:id/raw': 'public',
  'GET /api/v1/blocks/:id/header': 'public',
  'POST /api/v1/decode': 'public',
  'POST /api/v1/tx': 'public',
  'GET /api/v1/address/:address': 'public',
  'GET /api/v1/search': 'public',
  'GET /api/v1/chain/tree': 'public',
  'GET /api/v1/chain/export': 'operator',
  'GET /api/v1/txs': 'public',
  'GET /api/v1/mempool': 'public',
  'GET /api/v1/wallet': 'operator',
  'POST /api/v1/mine': 'operator',
  'GET /api/v1/miner': 'operator',
  'POST /api/v1/miner/start': 'operator',
  'POST /api/v1/miner/stop': 'operator',
  'GET /api/v1/peers': 'operator',
  'POST /api/v1/peers': 'operator',
  'DELETE /api/v1/peers/:id': 'operator',
  'DELETE /api/v1/http-peers': 'operator',
  'DELETE /api/v1/bans/:target': 'operator',
  'GET /api/v1/events': 'public',
  'GET /metrics': 'operator',
  'GET /api/v1/fees': 'public',
  'GET /api/v1/policy/decode': 'public',
  'POST /api/v1/policy/decode': 'public',
  'GET /api/v1/class': 'operator',
  'POST /api/v1/class/control': 'operator',
};

/** Operator routes with a body that would succeed if the request were let through. */
const OPERATOR_CALLS: Array<{
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  body?: Record<string, unknown>;
}> = [
  { method: 'GET', url: '/mine' },
  { method: 'POST', url: '/transactions/new', body: { recipient: 'WALLET', amount: 1000 } },
  { method: 'POST', url: '/nodes/register', body: { nodes: ['http://127.0.0.1:9'] } },
  { method: 'GET', url: '/nodes/resolve' },
  { method: 'POST', url: '/api/v1/blocks', body: { hex: '00' } },
  { method: 'POST', url: '/api/v1/mine', body: {} },
  { method: 'POST', url: '/api/v1/miner/start', body: { address: 'WALLET' } },
  { method: 'POST', url: '/api/v1/miner/stop' },
  { method: 'POST', url: '/api/v1/peers', body: { address: 'http://127.0.0.1:9' } },
  { method: 'DELETE', url: '/api/v1/peers/:id' },
  { method: 'DELETE', url: '/api/v1/http-peers' },
  { method: 'DELETE', url: '/api/v1/bans/:target' },
  { method: 'GET', url: '/nodes/get' },
  { method: 'GET', url: '/api/v1/wallet' },
  { method: 'GET', url: '/api/v1/miner' },
  { method: 'GET', url: '/api/v1/peers' },
  { method: 'GET', url: '/metrics' },
  { method: 'GET', url: '/api/v1/chain/export' },
  { method: 'GET', url: '/api/v1/class' },
  { method: 'POST', url: '/api/v1/class/control', body: { mining: true } },
];

/** The operator reads, whose answers must reach no other site (this node teaches no class: /class is 404). */
const OPERATOR_READS = OPERATOR_CALLS.filter(
  (c) => c.method === 'GET' && !['/mine', '/nodes/resolve', '/api/v1/class'].includes(c.url),
);

/** The URL to send for a call: the route's parameters filled in. */
const PATHS: Record<string, string> = {
  '/api/v1/peers/:id': '/api/v1/peers/12D3KooWAbc',
  '/api/v1/http-peers': '/api/v1/http-peers?url=http://127.0.0.1:9',
  '/api/v1/bans/:target': '/api/v1/bans/10.0.0.9',
};

let node: HashlineNode;
let app: FastifyInstance;
let token: string;
let wallet: string;
const dir = tempDir('hashline-access-');

beforeAll(async () => {
  node = await HashlineNode.start(
    inProcessNodeConfig(dir.path, {
      allowHosts: ['hashline.lan'],
      corsOrigins: ['http://teacher.example'],
    }),
  );
  app = node.api!;
  token = readFileSync(join(dir.path, '.cookie'), 'utf8');
  wallet = node.wallet.address;
  // Coins for the node wallet, so that a spend let through would really succeed.
  await app.inject({ method: 'POST', url: '/api/v1/mine', payload: {} });
});

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

const call = (c: (typeof OPERATOR_CALLS)[number], headers: Record<string, string>) =>
  app.inject({
    method: c.method,
    url: PATHS[c.url] ?? c.url,
    headers: { host: '127.0.0.1:5000', ...headers },
    ...(c.body
      ? {
          payload: JSON.parse(JSON.stringify(c.body).replaceAll('WALLET', wallet)) as Record<string, unknown>,
        }
      : {}),
  });

const state = async () => {
  const s = (await app.inject({ method: 'GET', url: '/api/v1/status' })).json();
  return { height: s.height, tip: s.tip, mempool: s.mempool.count, miner: s.minerAddress, mining: s.mining };
};

describe('the route table', () => {
  it('gives every registered route the access level of the table, and nothing is left out', async () => {
    const seen = new Map<string, string>();
    const others: Array<{ method: string; url: string }> = [];
    for (const r of routesOf(app)) {
      if (r.method === 'HEAD' || r.method === 'OPTIONS') continue;
      if (`${r.method} ${r.url}` in EXPECTED_ACCESS) seen.set(`${r.method} ${r.url}`, r.access);
      else if (!r.url.startsWith('/docs')) others.push(r); // the documentation plugin's pages only read
    }
    expect(Object.fromEntries(seen)).toEqual(EXPECTED_ACCESS);
    // Every other route is a 405 answer for a method a URL does not serve; a new route is not, and must
    // be added to the table above.
    for (const r of others) {
      const url = (PATHS[r.url] ?? r.url).replace(/:\w+/g, 'x');
      const res = await app.inject({ method: r.method as 'GET', url });
      expect(res.statusCode, `${r.method} ${r.url} is not in the table`).toBe(405);
    }
    // No operator route escapes the table; a HEAD runs its GET's handler, so it shares the GET's level.
    for (const r of routesOf(app)) {
      const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      if (r.access !== 'public') expect(EXPECTED_ACCESS[key], key).toBe(r.access);
    }
  });

  it('lists the operator calls this test makes, one per operator route', () => {
    const operator = Object.entries(EXPECTED_ACCESS)
      .filter(([, a]) => a !== 'public')
      .map(([k]) => k)
      .sort();
    expect(OPERATOR_CALLS.map((c) => `${c.method} ${c.url}`).sort()).toEqual(operator);
  });
});

describe('operator routes refuse other sites', () => {
  for (const c of OPERATOR_CALLS) {
    it(`${c.method} ${c.url}: a foreign Origin or Sec-Fetch-Site gets 403 and changes nothing`, async () => {
      const before = await state();
      const refused: Array<Record<string, string>> = [
        { origin: 'http://attacker.example' },
        { origin: 'null' },
        { origin: 'http://127.0.0.1:6666' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of refused) {
        const r = await call(c, headers);
        expect(r.statusCode, JSON.stringify(headers)).toBe(403);
        expect(r.json()).toMatchObject({ error: 'cross-site-request' });
      }
      expect(await state()).toEqual(before);
    });
  }

  it('asks a caller that is not on loopback for the token, even on a loopback bind (a proxy in front)', async () => {
    for (const c of OPERATOR_READS) {
      const r = await app.inject({ method: 'GET', url: c.url, remoteAddress: '10.1.2.3' });
      expect(r.statusCode, c.url).toBe(401);
      const ok = await app.inject({
        method: 'GET',
        url: c.url,
        remoteAddress: '10.1.2.3',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.statusCode, c.url).toBe(200);
    }
  });

  it("lets the node's own pages, and requests with the token, through", async () => {
    const own = await call(OPERATOR_CALLS[0]!, {
      origin: 'http://127.0.0.1:5000',
      'sec-fetch-site': 'same-origin',
    });
    expect(own.statusCode).toBe(200);
    const withToken = await call(OPERATOR_CALLS[0]!, {
      origin: 'http://attacker.example',
      authorization: `bearer ${token}`,
    });
    expect(withToken.statusCode).toBe(200);
    const wrongToken = await call(OPERATOR_CALLS[0]!, { authorization: `Bearer ${'0'.repeat(64)}` });
    expect(wrongToken.statusCode).toBe(401);
  });

  it('lets any site post a signed transaction to /transactions/new, but not a node-wallet spend', async () => {
    const signed = await app.inject({
      method: 'POST',
      url: '/transactions/new',
      headers: { origin: 'http://attacker.example' },
      payload: { hex: 'zz' },
    });
    expect(signed.statusCode).toBe(400);
    expect(signed.json()).toMatchObject({ error: 'bad-encoding' });
    const form = await app.inject({
      method: 'POST',
      url: '/transactions/new',
      headers: { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `recipient=${wallet}&amount=1000`,
    });
    expect(form.statusCode).toBe(403);
  });
});

describe('the Host header', () => {
  it('refuses names that are not loopback, the bound address or --allow-host', async () => {
    for (const host of ['attacker.example', 'attacker.example:5000', '10.0.0.8:5000', '127.0.0.1.nip.io']) {
      const r = await app.inject({ method: 'GET', url: '/api/v1/status', headers: { host } });
      expect(r.statusCode, host).toBe(421);
      expect(r.json()).toMatchObject({ error: 'host-not-allowed' });
    }
    const mine = await app.inject({ method: 'GET', url: '/mine', headers: { host: 'attacker.example' } });
    expect(mine.statusCode).toBe(421);
  });

  it('answers loopback names and addresses, and the names given with --allow-host', async () => {
    for (const host of ['127.0.0.1:5000', 'localhost:5000', '[::1]:5000', 'LOCALHOST', 'hashline.lan:5000']) {
      const r = await app.inject({ method: 'GET', url: '/api/v1/status', headers: { host } });
      expect(r.statusCode, host).toBe(200);
    }
  });
});

describe('CORS', () => {
  it('lets any page read public routes, without credentials', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/chain',
      headers: { origin: 'http://student.example' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('grants operator preflights with the token header only to --cors-origin origins', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/mine',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const teacher = await preflight('http://teacher.example');
    expect(teacher.headers['access-control-allow-origin']).toBe('http://teacher.example');
    expect(String(teacher.headers['access-control-allow-headers'])).toMatch(/authorization/);
    const other = await preflight('http://attacker.example');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: 'cross-site-request' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(String(other.headers['access-control-allow-headers'] ?? '')).not.toMatch(/authorization/);
  });

  it('grants no foreign preflight of any operator route, read or write', async () => {
    // /transactions/new is public for a signed body, so its preflight is granted (the body is judged later).
    for (const c of OPERATOR_CALLS.filter((c) => EXPECTED_ACCESS[`${c.method} ${c.url}`] === 'operator')) {
      const r = await app.inject({
        method: 'OPTIONS',
        url: PATHS[c.url] ?? c.url,
        headers: { origin: 'http://attacker.example', 'access-control-request-method': c.method },
      });
      expect(r.statusCode, `${c.method} ${c.url}`).toBe(403);
      expect(r.headers['access-control-allow-origin'], `${c.method} ${c.url}`).toBeUndefined();
      expect(r.headers['access-control-allow-methods'], `${c.method} ${c.url}`).toBeUndefined();
    }
  });

  it("grants public routes' preflights the headers tutorial clients send, and no credential header", async () => {
    for (const [method, url] of [
      ['POST', '/transactions/new'],
      ['POST', '/api/v1/tx'],
      ['GET', '/chain'],
      ['GET', '/api/v1/blocks/1'],
    ] as const) {
      const r = await app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'http://127.0.0.1:8080',
          'access-control-request-method': method,
          'access-control-request-headers': 'access-control-allow-origin,content-type,x-requested-with',
        },
      });
      expect(r.statusCode, url).toBe(204);
      expect(r.headers['access-control-allow-origin'], url).toBe('*');
      const allowed = String(r.headers['access-control-allow-headers'])
        .split(',')
        .map((h) => h.trim());
      expect(allowed, url).toEqual(
        expect.arrayContaining(['content-type', 'access-control-allow-origin', 'x-requested-with']),
      );
      expect(allowed, url).not.toContain('authorization');
    }
  });

  it('keeps every operator read from other sites: 403, no CORS grant, nothing of the answer', async () => {
    for (const c of OPERATOR_READS) {
      const r = await call(c, { origin: 'http://attacker.example' });
      expect(r.statusCode, c.url).toBe(403);
      expect(r.headers['access-control-allow-origin'], c.url).toBeUndefined();
      expect(r.json(), c.url).toMatchObject({ error: 'cross-site-request' });
      // With the token a --cors-origin app reads it; another origin still gets no CORS grant.
      const teacher = await call(c, { origin: 'http://teacher.example', authorization: `Bearer ${token}` });
      expect(teacher.statusCode, c.url).toBe(200);
      expect(teacher.headers['access-control-allow-origin'], c.url).toBe('http://teacher.example');
      expect(teacher.headers['cache-control'], c.url).toBe('no-store');
      const other = await call(c, { origin: 'http://attacker.example', authorization: `Bearer ${token}` });
      expect(other.headers['access-control-allow-origin'], c.url).toBeUndefined();
    }
  });

  it('answers HEAD of an operator read with a bodiless 405', async () => {
    for (const c of OPERATOR_READS) {
      const r = await app.inject({
        method: 'HEAD',
        url: c.url,
        headers: { origin: 'http://attacker.example' },
      });
      expect(r.statusCode, c.url).toBe(405);
      expect(r.body, c.url).toBe('');
    }
  });

  it("shows the operator's part of the status only to callers that may read operator routes", async () => {
    const status = (headers: Record<string, string>, remoteAddress?: string) =>
      app.inject({
        method: 'GET',
        url: '/api/v1/status',
        headers,
        ...(remoteAddress ? { remoteAddress } : {}),
      });
    const own = (await status({})).json();
    expect(own).toMatchObject({ walletAddress: wallet, mining: false });
    expect(typeof own.minerAddress).toBe('string');
    const foreign = await status({ origin: 'http://attacker.example' });
    expect(foreign.headers['access-control-allow-origin']).toBe('*');
    expect(foreign.json()).toMatchObject({
      height: own.height,
      tip: own.tip,
      walletAddress: null,
      minerAddress: null,
      mining: null,
      hashRate: null,
      threads: null,
      kernel: null,
      warnings: [],
    });
    expect((await status({ 'sec-fetch-site': 'cross-site' })).json().walletAddress).toBeNull();
    expect((await status({}, '10.1.2.3')).json().walletAddress).toBeNull();
    const withToken = await status({ origin: 'http://attacker.example', authorization: `Bearer ${token}` });
    expect(withToken.json().walletAddress).toBe(wallet);
  });

  it('gives operator answers CORS headers only for --cors-origin origins', async () => {
    const teacher = await app.inject({
      method: 'POST',
      url: '/api/v1/miner/stop',
      headers: { origin: 'http://teacher.example', authorization: `Bearer ${token}` },
    });
    expect(teacher.statusCode).toBe(200);
    expect(teacher.headers['access-control-allow-origin']).toBe('http://teacher.example');
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/miner/stop',
      headers: { origin: 'http://attacker.example', authorization: `Bearer ${token}` },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('methods and errors', () => {
  it('answers a wrong method with 405 and Allow', async () => {
    const r = await app.inject({ method: 'DELETE', url: '/api/v1/status' });
    expect(r.statusCode).toBe(405);
    expect(r.headers.allow).toMatch(/GET/);
    expect(r.json()).toMatchObject({ error: 'method-not-allowed' });
    const put = await app.inject({ method: 'PUT', url: '/transactions/new' });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toMatch(/POST/);
  });

  it('refuses deep nesting and non-integer amounts in JSON with 400', async () => {
    const deep = await app.inject({
      method: 'POST',
      url: '/transactions/new',
      headers: { 'content-type': 'application/json' },
      payload: `{"recipient":"${wallet}","amount":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
    expect(deep.statusCode).toBe(400);
    expect(deep.json()).toMatchObject({ error: 'too-deep' });
    for (const amount of ['1.0', '1e3', '" 1000 "', '"+1000"', '"1000.0"']) {
      const r = await app.inject({
        method: 'POST',
        url: '/transactions/new',
        headers: { 'content-type': 'application/json' },
        payload: `{"recipient":"${wallet}","amount":${amount}}`,
      });
      expect(r.statusCode, amount).toBe(400);
      expect(r.json(), amount).toMatchObject({ error: 'bad-amount' });
    }
  });

  it('gives operator GETs no HEAD (a HEAD runs the GET handler), and reads one', async () => {
    const before = await state();
    const head = await app.inject({ method: 'HEAD', url: '/mine' });
    expect(head.statusCode).toBe(405);
    expect(head.headers.allow).toBe('GET, OPTIONS');
    expect(await state()).toEqual(before);
    expect((await app.inject({ method: 'HEAD', url: '/api/v1/status' })).statusCode).toBe(200);
  });

  it('answers a malformed URL in JSON', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/blocks/%zz' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'bad-url' });
  });
});
