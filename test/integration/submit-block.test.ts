// POST /api/v1/blocks: a block mined elsewhere is accepted; bad ones get their rule code and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYTES_BODY_LIMIT } from '../../src/api/bytes-body.js';
import { createApiClient } from '../../src/api/client.js';
import { decodeBlock, encodeBlock } from '../../src/core/block.js';
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

  it('takes the block as bytes (application/octet-stream), also from the typed client', async () => {
    const block = encodeBlock(await blockOnTip());
    const r = await api(node.url).post('/api/v1/blocks', undefined, {
      raw: block,
      contentType: 'application/octet-stream',
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ hash: toHex(headerHash(decodeBlock(block).header)), status: 'connected' });
    const next = encodeBlock(await blockOnTip());
    const client = createApiClient({ baseUrl: node.url });
    expect(await client.submitBlock({ body: next })).toMatchObject({ status: 'connected' });
    expect(await client.submitBlock({ body: next })).toMatchObject({ status: 'duplicate' });
  });

  it('refuses bad bodies of either form with 4xx JSON naming the rule, leaving the chain as it was', async () => {
    const before = await snapshot(node.url);
    const bytes = (raw: Uint8Array) =>
      api(node.url).post('/api/v1/blocks', undefined, { raw, contentType: 'application/octet-stream' });
    const garbage = await bytes(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toBe('bad-encoding');
    const empty = await bytes(new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('bad-encoding');
    // The bytes limit: the largest block plus 1 KiB.
    const huge = await bytes(new Uint8Array(BYTES_BODY_LIMIT + 1));
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('body-too-large');
    // One pass over the hex as it is decoded: an odd length, a stray character at the end, too long.
    for (const hex of ['abc', `${'00'.repeat(100)}0g`]) {
      const r = await api(node.url).post('/api/v1/blocks', { hex });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('bad-encoding');
    }
    const long = await api(node.url).post('/api/v1/blocks', { hex: '00'.repeat(BYTES_BODY_LIMIT + 1) });
    expect(long.status).toBe(400);
    expect(long.body.error).toBe('block-too-large');
    // Bodies of other types (no schema checks them) are refused too, never a 5xx.
    for (const [raw, contentType] of [
      ['deadbeef', 'text/plain'],
      ['nothex=1', 'application/x-www-form-urlencoded'],
    ]) {
      const r = await api(node.url).post('/api/v1/blocks', undefined, { raw, contentType });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('bad-request');
    }
    // Other routes take JSON only.
    const tx = await api(node.url).post('/api/v1/tx', undefined, {
      raw: Uint8Array.of(1),
      contentType: 'application/octet-stream',
    });
    expect(tx.status).toBe(415);
    expect(tx.body.error).toBe('bad-request');
    expect(await snapshot(node.url)).toEqual(before);
  });

  it('refuses a block sent as bytes by a web page of another site, as it does JSON', async () => {
    const before = await snapshot(node.url);
    const block = encodeBlock(await blockOnTip());
    const r = await api(node.url).post('/api/v1/blocks', undefined, {
      raw: block,
      contentType: 'application/octet-stream',
      headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('cross-site-request');
    expect(await snapshot(node.url)).toEqual(before);
  });
});
