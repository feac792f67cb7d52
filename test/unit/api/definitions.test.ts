// One API definition: every route a real node serves is an endpoint of src/api/definitions (with the
// same access level), every endpoint is served, and the typed client has a function for each, which
// answers what the node serves. The client's import graph holds nothing a browser lacks.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../../../src/api/access.js';
import { createApiClient } from '../../../src/api/client.js';
import { endpoints, groups } from '../../../src/api/definitions/index.js';
import { ApiError } from '../../../src/api/errors.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

/** Routes the server adds besides the definitions: the OpenAPI pages (Swagger UI) under /docs. */
const FRAMEWORK_ROUTES = /^\/docs(\/|$)/;

const dir = tempDir('hashline-definitions-');
let node: HashlineNode;
let app: FastifyInstance;

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path));
  app = node.api!;
});

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

const defined = new Map(Object.values(endpoints).map((e) => [`${e.method} ${e.url}`, e]));
const definedUrls = new Set(Object.values(endpoints).map((e) => e.url));

describe('the definitions', () => {
  it('name each endpoint once across the groups, and each method and URL once', () => {
    const names = Object.values(groups).flatMap((g) => Object.keys(g));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(endpoints).sort()).toEqual([...names].sort());
    expect(defined.size).toBe(names.length);
  });

  it('cover every route the server registers, with its access level', () => {
    const served = new Map<string, string>();
    for (const r of routesOf(app)) {
      // A HEAD runs its GET; OPTIONS is CORS; the 405 answers fill the other methods of a defined URL.
      if (r.method === 'HEAD' || r.method === 'OPTIONS' || FRAMEWORK_ROUTES.test(r.url)) continue;
      const key = `${r.method} ${r.url}`;
      if (!defined.has(key) && definedUrls.has(r.url)) continue;
      served.set(key, r.access);
    }
    const expected = Object.fromEntries([...defined].map(([key, e]) => [key, e.access]));
    expect(Object.fromEntries(served)).toEqual(expected);
  });

  it('answer 405 for a method a defined URL does not serve', async () => {
    const r = await app.inject({ method: 'PUT', url: '/api/v1/status' });
    expect(r.statusCode).toBe(405);
    expect(r.json()).toMatchObject({ error: 'method-not-allowed' });
  });
});

describe('the ports the implementations see', () => {
  it('offer no writer: no batch, no processBlock, no mempool add (checked by tsc; never run)', () => {
    const ctx = node.apiContext();
    const reaches = [
      // @ts-expect-error: the chain port reads; blocks come in through the Submitter
      () => ctx.chain.processBlock,
      // @ts-expect-error: the chain's undo data only, not the store
      () => ctx.chain.store.batch,
      // @ts-expect-error: the explorer index reads only
      () => ctx.explorer.batch,
      // @ts-expect-error: the mempool view cannot add
      () => ctx.mempool.add,
      // @ts-expect-error: the miner port mines, starts and stops; no block templates
      () => ctx.miner.template,
    ];
    expect(reaches).toHaveLength(5);
  });
});

describe('the typed client', () => {
  it('has a function for every endpoint, and nothing else', () => {
    const client = createApiClient({ baseUrl: '' });
    expect(Object.keys(client).sort()).toEqual(Object.keys(endpoints).sort());
    for (const fn of Object.values(client)) expect(typeof fn).toBe('function');
  });

  it('answers what the node serves, typed by the schemas', async () => {
    const client = createApiClient({ baseUrl: node.url() });
    const status = await client.getStatus();
    expect(status.height).toBe(node.chain.height);
    const genesis = await client.getBlock({ params: { id: '0' } });
    expect(genesis.hash).toBe(status.genesis);
    expect(await client.search({ query: { q: '0' } })).toEqual({
      kind: 'block',
      hash: genesis.hash,
      height: 0,
    });
    const page = await client.getBlocks({ query: { from: '0', limit: '1' } });
    expect(page.blocks.map((b) => b.hash)).toEqual([genesis.hash]);
    expect(await client.metrics()).toMatch(/^# HELP /m);
    const chain = await client.classicChain({ query: { limit: '1' } });
    expect(chain.chain[0]!.hash).toBe(genesis.hash);
  });

  it('covers the raw, fee and chain-export groups: JSON typed by the schemas, a chain file as bytes', async () => {
    expect(Object.keys(groups)).toEqual(expect.arrayContaining(['raw', 'fees', 'chainExport']));
    const client = createApiClient({ baseUrl: node.url() });
    const raw = await client.getBlockRaw({ params: { id: '0' } });
    const header = await client.getBlockHeader({ params: { id: '0' } });
    expect(raw.hex.startsWith(header.hex)).toBe(true);
    expect(header.hex).toHaveLength(160);
    const decoded = await client.decode({ body: { hex: header.hex } });
    expect(decoded.kind).toBe('header');
    const fees = await client.getFees();
    expect(fees.height).toBe(node.chain.height);
    const file = await client.exportChain({ query: { from: '0', to: '0' } });
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(raw.hex.length / 2);
  });

  it("throws the server's {error, message} as the one ApiError", async () => {
    const client = createApiClient({ baseUrl: node.url() });
    const missing = await client.getTx({ params: { txid: 'ab'.repeat(32) } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not-found' });
    const bad = await client.submitTx({ body: { hex: 'zz' } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'bad-encoding' });
  });

  it('imports nothing a browser lacks (no node: modules, no server code)', () => {
    const root = resolve(__dirname, '../../..');
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) walk(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        else bare.add(spec);
      }
    };
    walk(join(root, 'src/api/client.ts'));
    expect([...bare].filter((s) => /^node:|fastify|prom-client|level|pino|libp2p/.test(s))).toEqual([]);
    expect(bare).toContain('@sinclair/typebox');
    expect(
      [...seen].map((f) => f.slice(root.length + 1)).filter((f) => !/^src\/(api|core)\//.test(f)),
    ).toEqual([]);
    // Of the API, only the client, its error, the definitions and the schemas: no server code.
    const api = [...seen].map((f) => f.slice(root.length + 1)).filter((f) => f.startsWith('src/api/'));
    expect(
      api.filter((f) => !/^src\/api\/(client\.ts|api-error\.ts|definitions\/|schemas\/)/.test(f)),
    ).toEqual([]);
  });
});
