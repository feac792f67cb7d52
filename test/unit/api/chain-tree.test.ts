// GET /api/v1/chain/tree on a real in-process node: the active chain, a side block, and an orphan.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlock } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';
import { coinbaseBlockOn } from '../../support/p2p-blocks.js';

const dir = tempDir('hashline-tree-');
let node: HashlineNode;
let app: FastifyInstance;
let side = '';
let orphan = '';

const submit = async (hex: string) =>
  (await app.inject({ method: 'POST', url: '/api/v1/blocks', payload: { hex } })).json();

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path));
  app = node.api!;
  for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/api/v1/mine', payload: {} });
  const one = (await app.inject({ method: 'GET', url: '/api/v1/blocks/1' })).json();
  const rival = coinbaseBlockOn({ ...one, time: one.time + 5 });
  side = (await submit(toHex(encodeBlock(rival)))).hash;
  const lost = coinbaseBlockOn({ hash: 'ab'.repeat(32), height: 9, time: one.time + 9, bits: one.bits });
  orphan = (await submit(toHex(encodeBlock(lost)))).hash;
});

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

describe('GET /api/v1/chain/tree', () => {
  it('lists the active chain, the side block beside it, and the orphan with its coinbase height', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/chain/tree?from=1' });
    expect(r.statusCode).toBe(200);
    const tree = r.json();
    expect(tree.blocks.map((b: { height: number; active: boolean }) => [b.height, b.active])).toEqual([
      [1, true],
      [2, true],
      [2, false],
      [3, true],
    ]);
    expect(tree.blocks.find((b: { hash: string }) => b.hash === side)).toMatchObject({ status: 'stored' });
    expect(tree.orphans).toEqual([{ hash: orphan, height: 10, previousHash: 'ab'.repeat(32) }]);
    expect(tree.tip).toBe(tree.blocks[3].hash);
  });

  it('defaults to the last blocks, and refuses a bad depth', async () => {
    const tree = (await app.inject({ method: 'GET', url: '/api/v1/chain/tree?depth=2' })).json();
    expect(tree.from).toBe(2);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/chain/tree?depth=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad-request' });
  });

  it('keeps at most 8 blocks per height, the active one first, and counts those left out', async () => {
    const one = (await app.inject({ method: 'GET', url: '/api/v1/blocks/1' })).json();
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      const rival = coinbaseBlockOn({ ...one, time: one.time + 100 + i });
      statuses.push((await submit(toHex(encodeBlock(rival)))).status);
    }
    expect(statuses.every((s) => s === 'side')).toBe(true);
    const tree = (await app.inject({ method: 'GET', url: '/api/v1/chain/tree?from=2&depth=1' })).json();
    const atTwo = tree.blocks.filter((b: { height: number }) => b.height === 2);
    expect(atTwo).toHaveLength(8);
    expect(atTwo[0]).toMatchObject({ active: true });
    // The first rival and these ten: eleven side blocks and the active one at height 2.
    expect(tree.omitted).toBe(4);
  });
});
