// POST /api/v1/miner/start {threads}: the running node's nonce search really changes its worker count,
// the miner view and the status report it, bad counts are refused, and an idle miner reports 0 H/s.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

const dir = tempDir('hashline-miner-threads-');
let node: HashlineNode;
let app: FastifyInstance;

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path, { threads: 1 }));
  app = node.api!;
});
afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
const getJson = async (url: string) => (await app.inject({ method: 'GET', url })).json();

/** Polls until `check` holds, at most 50 times 100 ms. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  expect(check()).toBe(true);
}

describe('miner threads', () => {
  it('starts with the node thread count', async () => {
    expect((await getJson('/api/v1/miner')).threads).toBe(1);
    expect((await getJson('/api/v1/status')).threads).toBe(1);
  });

  it('restarts the running search with the requested worker threads', async () => {
    const started = await post('/api/v1/miner/start', { threads: 1 });
    expect(started.statusCode).toBe(200);
    await eventually(() => node.searcher.liveWorkers === 1);
    const resized = await post('/api/v1/miner/start', { threads: 2 });
    expect(resized.statusCode).toBe(200);
    expect(resized.json()).toMatchObject({ mining: true, threads: 2 });
    await eventually(() => node.searcher.liveWorkers === 2);
    expect((await getJson('/api/v1/miner')).threads).toBe(2);
    expect((await getJson('/api/v1/status')).threads).toBe(2);
    const heightBefore = node.chain.height;
    await eventually(() => node.chain.height > heightBefore);
  });

  it.each([0, 257, 1.5, '2'])('refuses threads %j with a 400 naming the rule', async (threads) => {
    const res = await post('/api/v1/miner/start', { threads });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/threads/);
    expect((await getJson('/api/v1/miner')).threads).toBe(2);
  });

  it('reports 0 H/s once stopped, not the last figure', async () => {
    const stopped = await post('/api/v1/miner/stop', {});
    expect(stopped.json()).toMatchObject({ mining: false, hashRate: 0 });
    expect((await getJson('/api/v1/status')).hashRate).toBe(0);
  });
});
