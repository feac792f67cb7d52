// The block view served from its per-block JSON: the same answer as rendering it afresh, with the
// confirmations and next hash of the moment, as the tip moves.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlockJsonCache } from '../../../src/api/block-json-cache.js';
import { getBlockView } from '../../../src/api/queries.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

const dir = tempDir('hashline-block-json-');
let node: HashlineNode;
let app: FastifyInstance;

const mine = async () => (await app.inject({ method: 'POST', url: '/api/v1/mine', payload: {} })).json();
const view = async (id: string | number) => {
  const r = await app.inject({ method: 'GET', url: `/api/v1/blocks/${id}` });
  expect(r.statusCode).toBe(200);
  return r.json();
};

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path));
  app = node.api!;
  await mine();
  await app.inject({
    method: 'POST',
    url: '/transactions/new',
    // Text that looks like the values the cache replaces, and characters of several UTF-8 bytes.
    payload: {
      recipient: node.wallet.address,
      amount: 5_000,
      data: '"nextHash":null "confirmations":1 héllo ✓',
    },
  });
  await mine();
});

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

const fresh = async (id: string | number) =>
  JSON.parse(JSON.stringify(await getBlockView(node.apiContext(), String(id))));

describe('GET /api/v1/blocks/:id from its cached JSON', () => {
  it('answers what rendering the view afresh gives, twice (rendered, then cached)', async () => {
    expect(await view(2)).toEqual(await fresh(2));
    expect(await view(2)).toEqual(await fresh(2));
    expect((await view(2)).txs).toHaveLength(2);
  });

  it('follows the tip: confirmations of the block and its transactions, and the next hash', async () => {
    const before = await view(2);
    expect(before.nextHash).toBeNull();
    expect(before.confirmations).toBe(1);
    const next = await mine();
    const after = await view(before.hash);
    expect(after.confirmations).toBe(2);
    expect(after.txs.every((t: { confirmations: number }) => t.confirmations === 2)).toBe(true);
    expect(after.nextHash).toBe(next.hash);
    expect(after).toEqual(await fresh(before.hash));
  });

  it('keeps the answer as bytes while the tip stays, and renders it again once the tip moves', async () => {
    const blockJson = createBlockJsonCache(node.apiContext());
    const first = await blockJson('2');
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(await blockJson('2')).toBe(first);
    expect(JSON.parse(first.toString('utf8'))).toEqual(await fresh(2));
    await mine();
    const moved = await blockJson('2');
    expect(moved).not.toBe(first);
    expect(JSON.parse(moved.toString('utf8'))).toEqual(await fresh(2));
  });

  it('answers right from a cache that keeps one block at a time', async () => {
    const blockJson = createBlockJsonCache(node.apiContext(), 1);
    for (const id of ['2', '1', '2', '1']) {
      expect(JSON.parse((await blockJson(id)).toString('utf8'))).toEqual(await fresh(id));
    }
    const payment = JSON.parse((await blockJson('2')).toString('utf8')).txs[1];
    expect(payment.data.text).toBe('"nextHash":null "confirmations":1 héllo ✓');
  });

  it('sends the bytes with the JSON content type and their length', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/blocks/2' });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(r.headers['content-length'])).toBe(r.rawPayload.length);
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/blocks/2' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(r.headers['content-length']);
  });

  it('answers 404 in JSON for an unknown block', async () => {
    const r = await app.inject({ method: 'GET', url: `/api/v1/blocks/${'0'.repeat(64)}` });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: 'not-found' });
  });
});
