// GET /api/v1/txs on a real in-process node: blocks holding 1 to 6 transactions, paged newest first.
// Pages never overlap, together are every transaction of the chain in reverse order, end with
// `next: null`, and cost only the blocks they show.
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TxListSchema } from '../../../src/api/schemas/index.js';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';
import { other } from '../wallet/helpers.js';

interface Entry {
  txid: string;
  sender: string | null;
  recipient: string | null;
  amount: string;
  fee: string | null;
  time: number;
  coinbase: boolean;
  confirmations: number;
  data: { text: string | null };
  block: { hash: string; height: number };
}
interface Page {
  txs: Entry[];
  next: number | null;
}

const dir = tempDir('hashline-txs-');
let node: HashlineNode;
let app: FastifyInstance;
const payee = other.receiveAddress(0);
/** Every transaction of the active chain, in chain order, with its block. */
const chainTxs: Array<{ txid: string; height: number; hash: string; time: number }> = [];
/** Payments sent in each block after the first two: a block of 6 transactions among them. */
const PAYMENTS = [3, 0, 1, 5, 2];

const get = (url: string) => app.inject({ method: 'GET', url });
const page = async (url: string): Promise<Page> => {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as Page;
  expect(Value.Check(TxListSchema, body), 'the TxList schema').toBe(true);
  return body;
};

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path));
  app = node.api!;
  const mine = () => app.inject({ method: 'POST', url: '/api/v1/mine', payload: {} });
  await mine();
  await mine();
  for (const [b, count] of PAYMENTS.entries()) {
    for (let i = 0; i < count; i++) {
      const record = JSON.stringify({ author: `payer ${b}`, timestamp: 1_700_000_000 + i, data: `n${i}` });
      const r = await app.inject({
        method: 'POST',
        url: '/transactions/new',
        payload: { recipient: payee, amount: 1_000 + i, data: record },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    expect((await mine()).statusCode).toBe(201);
  }
  for (let h = 0; h <= node.chain.height; h++) {
    const block = (await get(`/api/v1/blocks/${h}`)).json();
    for (const tx of block.txs)
      chainTxs.push({ txid: tx.txid, height: h, hash: block.hash, time: block.time });
  }
}, 60_000);

afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

describe('GET /api/v1/txs', () => {
  it('starts at the tip, newest first, with each transaction’s block, time, sender and fee', async () => {
    const first = await page('/api/v1/txs');
    const newest = [...chainTxs].reverse();
    // The default limit, 25, takes every block here (8 blocks, 19 transactions): one page, the end.
    expect(first.txs.map((t) => t.txid)).toEqual(newest.map((t) => t.txid));
    expect(first.next).toBeNull();
    const tip = node.chain.height;
    for (const [i, tx] of first.txs.entries()) {
      expect(tx.block).toEqual({ hash: newest[i]!.hash, height: newest[i]!.height });
      expect(tx.time).toBe(newest[i]!.time);
      expect(tx.confirmations).toBe(tip - newest[i]!.height + 1);
      if (tx.coinbase) {
        expect(tx.sender).toBe('0');
      } else {
        expect(tx.sender).toBe(node.wallet.address);
        expect(tx.recipient).toBe(payee);
        expect(BigInt(tx.fee!)).toBeGreaterThan(0n);
        expect(JSON.parse(tx.data.text!)).toMatchObject({ author: expect.stringMatching(/^payer /) });
      }
    }
    expect(first.txs.filter((t) => !t.coinbase)).toHaveLength(PAYMENTS.reduce((a, b) => a + b, 0));
  });

  for (const limit of [1, 2, 4, 5, 100]) {
    it(`pages of limit ${limit} cover every transaction once, in whole blocks, and end with next null`, async () => {
      const seen: string[] = [];
      let before: number | null = null;
      let pages = 0;
      for (; pages < 50; pages++) {
        const p = await page(`/api/v1/txs?limit=${limit}${before === null ? '' : `&before=${before}`}`);
        const heights = new Set(p.txs.map((t) => t.block.height));
        // Over the limit only when the page is a single block bigger than it.
        if (p.txs.length > limit) expect(heights.size).toBe(1);
        // Whole blocks: every block on the page with all of its transactions.
        for (const h of heights) {
          const all = chainTxs.filter((t) => t.height === h).map((t) => t.txid);
          expect(p.txs.filter((t) => t.block.height === h).map((t) => t.txid)).toEqual(all.reverse());
        }
        if (before !== null) for (const h of heights) expect(h).toBeLessThan(before);
        seen.push(...p.txs.map((t) => t.txid));
        if (p.next === null) break;
        expect(p.next).toBe(Math.min(...heights));
        before = p.next;
      }
      expect(pages).toBeLessThan(50);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...chainTxs].reverse().map((t) => t.txid));
    });
  }

  it('takes a block bigger than the limit whole, and does not start a block it cannot finish', async () => {
    const big = 2 + PAYMENTS.indexOf(5) + 1;
    const one = await page(`/api/v1/txs?limit=2&before=${big + 1}`);
    expect(one.txs).toHaveLength(6);
    expect(new Set(one.txs.map((t) => t.block.height))).toEqual(new Set([big]));
    expect(one.next).toBe(big);
    // Block big+1 has 3 transactions: with limit 4 the page stops before the 6 of block big.
    const stop = await page(`/api/v1/txs?limit=4&before=${big + 2}`);
    expect(stop.txs.map((t) => t.block.height)).toEqual([big + 1, big + 1, big + 1]);
    expect(stop.next).toBe(big + 1);
  });

  it('reads only the blocks of its page', async () => {
    const spy = vi.spyOn(node.chain, 'getBlock');
    try {
      const p = await page('/api/v1/txs?limit=1');
      expect(p.txs.map((t) => t.block.height)).toEqual(
        chainTxs.filter((t) => t.height === node.chain.height).map((t) => t.height),
      );
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockClear();
      // Blocks 5 and 4 hold 2 + 1 transactions; block 3 (4) is read to see that it does not fit.
      const two = await page('/api/v1/txs?limit=4&before=6');
      expect(two.txs.map((t) => t.block.height)).toEqual([5, 5, 4]);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('before=0 is past genesis: empty, next null; a before above the tip starts at the tip', async () => {
    expect(await page('/api/v1/txs?before=0')).toEqual({ txs: [], next: null });
    const genesis = await page('/api/v1/txs?before=1');
    expect(genesis.txs.map((t) => t.txid)).toEqual([chainTxs[0]!.txid]);
    expect(genesis.next).toBeNull();
    const above = await page('/api/v1/txs?before=999999&limit=3');
    expect(above).toEqual(await page('/api/v1/txs?limit=3'));
  });

  it('answers bad parameters with 400 {error, message} naming the rule', async () => {
    const bad: Array<[string, RegExp]> = [
      ['limit=0', /limit must be an integer from 1 to 100/],
      ['limit=101', /limit must be an integer from 1 to 100/],
      ['limit=abc', /limit/],
      ['limit=2.5', /limit/],
      ['before=-1', /before must be a non-negative integer/],
      ['before=x', /before/],
      ['before=1.5', /before/],
      [`before=${'9'.repeat(13)}`, /before/],
    ];
    for (const [query, message] of bad) {
      const res = await get(`/api/v1/txs?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({ error: 'bad-request', message: expect.stringMatching(message) });
    }
    // The node keeps answering.
    expect((await get('/api/v1/txs?limit=1')).statusCode).toBe(200);
  });
});
