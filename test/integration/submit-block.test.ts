// POST /api/v1/blocks: a block mined elsewhere is accepted; bad ones get their rule code and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlock } from '../../src/core/block.js';
import { fromHex, toHex } from '../../src/core/bytes.js';
import { headerHash } from '../../src/core/header.js';
import { NETWORKS } from '../../src/core/params.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/pow.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
import { testKey } from '../support/chain-fixture.js';
import { api, cleanupNodesAfterAll, type NodeProcess, snapshot, startNode } from '../support/node-process.js';

cleanupNodesAfterAll();

let node: NodeProcess;
beforeAll(async () => {
  node = await startNode({ network: 'regtest' });
});
afterAll(async () => {
  await node?.stop();
});

/** A block on the node's tip, built and mined here. */
async function blockOnTip(opts: { breakPow?: boolean } = {}) {
  const status = (await api(node.url).get('/api/v1/status')).body;
  const tip = (await api(node.url).get(`/api/v1/blocks/${status.tip}`)).body;
  const block = assembleBlock({
    params: NETWORKS.regtest,
    height: status.height + 1,
    prevHash: fromHex(status.tip),
    bits: Number.parseInt(status.bits, 16),
    time: tip.time + 1,
    minerAddress: testKey(9).address,
    txs: [],
  });
  const solved = solveBlock(block)!;
  if (!opts.breakPow) return solved;
  // Regtest accepts half of all hashes: find a nonce whose hash is above the target. (solveBlock
  // starts from nonce 0 whatever the header holds, so it cannot tell one nonce from another.)
  const target = bitsToTarget(solved.header.bits)!;
  for (let nonce = 0; nonce < 1000; nonce++) {
    const candidate = { header: { ...solved.header, nonce }, txs: solved.txs };
    if (!hashMeetsTarget(headerHash(candidate.header), target)) return candidate;
  }
  throw new Error('no nonce fails the regtest target');
}

describe('POST /api/v1/blocks', () => {
  it('connects a valid block mined outside the node', async () => {
    const before = await snapshot(node.url);
    const block = await blockOnTip();
    const r = await api(node.url).post('/api/v1/blocks', { hex: toHex(encodeBlock(block)) });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('connected');
    const after = await snapshot(node.url);
    expect(after.height).toBe(before.height + 1);
    // The same block again is a duplicate.
    const again = await api(node.url).post('/api/v1/blocks', { hex: toHex(encodeBlock(block)) });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
  });

  it('rejects garbage and a block without proof of work, leaving the chain as it was', async () => {
    const before = await snapshot(node.url);
    const garbage = await api(node.url).post('/api/v1/blocks', { hex: 'deadbeef' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toBe('bad-encoding');
    const notHex = await api(node.url).post('/api/v1/blocks', { hex: 'zz' });
    expect(notHex.status).toBe(400);
    expect(notHex.body.error).toBe('bad-encoding');
    const bad = await blockOnTip({ breakPow: true });
    const r = await api(node.url).post('/api/v1/blocks', { hex: toHex(encodeBlock(bad)) });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad-pow' });
    expect(await snapshot(node.url)).toEqual(before);
  });
});
