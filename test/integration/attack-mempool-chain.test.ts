// The chained-transaction attack against a real regtest node, through the public POST /api/v1/tx: a chain
// of unconfirmed transactions, each spending its parent's output at a slightly higher fee rate. The 26th
// is refused (too-long-mempool-chain, 400) and the pool is unchanged; then parallel chains fill the pool
// to about 3,000 transactions, and mining a block from it stays quick while GET /api/v1/status keeps
// answering. (Before the limits, one chain of 4,000 made a template take 10 s and status stall 9 s.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.js';
import { encodeTx, publicKeyHash, sighash, type Tx, txid } from '../../src/core/tx.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { keyPairFromPrivate } from '../../src/crypto/ed25519.js';
import { signNode } from '../../src/crypto/ed25519-openssl.js';
import { CHAIN_LIMITS } from '../../src/mempool/limits.js';
import {
  type ApiResponse,
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  startNode,
} from '../support/node-process.js';
import { regtest, utxosOf } from './helpers.js';

cleanupNodesAfterAll();

const key = keyPairFromPrivate(new Uint8Array(32).fill(7));
const keyHash = publicKeyHash(key.publicKey);
const address = encodeAddress(regtest.addressPrefix, keyHash);

interface Coin {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
}

interface Signed {
  readonly tx: Tx;
  readonly hex: string;
  readonly txid: string;
}

/** Spends `inputs` (all ours) into `amounts`, paid back to us, signed with node:crypto (fast). */
function payBack(inputs: readonly Coin[], amounts: readonly bigint[]): Signed {
  const unsigned: Tx = {
    version: 1,
    inputs: inputs.map((c) => ({
      prevTxid: c.txid,
      prevIndex: c.index,
      publicKey: key.publicKey,
      signature: new Uint8Array(64),
    })),
    outputs: amounts.map((amount) => ({ amount, address: keyHash })),
    data: new Uint8Array(),
  };
  const id = txid(unsigned);
  const signature = signNode(
    sighash(
      id,
      inputs.map((c) => c.amount),
    ),
    key.privateKey,
  );
  const tx = { ...unsigned, inputs: unsigned.inputs.map((i) => ({ ...i, signature })) };
  return { tx, hex: toHex(encodeTx(tx)), txid: toHex(id) };
}

/** A chain of `length` transactions from `root`, each paying a slightly higher fee rate than its parent. */
function chainFrom(root: Coin, length: number): Signed[] {
  const out: Signed[] = [];
  let from = root;
  for (let i = 0; i < length; i++) {
    const size = 167; // one input, one output, no data
    const signed = payBack([from], [from.amount - BigInt(size * (i + 1))]);
    out.push(signed);
    from = { txid: txid(signed.tx), index: 0, amount: signed.tx.outputs[0]!.amount };
  }
  expect(encodeTx(out[0]!.tx).length).toBe(167);
  return out;
}

const percentile = (xs: readonly number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

describe('attack: long chains of unconfirmed transactions', () => {
  let node: NodeProcess;
  const CHAINS = 121;
  /** Confirmed outputs, one per chain. */
  let roots: Coin[];

  beforeAll(async () => {
    node = await startNode();
    await mine(node.url, 1, address);
    const [coinbase] = await utxosOf(node.url, address);
    const coin: Coin = { txid: Buffer.from(coinbase!.txid, 'hex'), index: 0, amount: coinbase!.amount };
    const each = (coin.amount - 100_000n) / BigInt(CHAINS);
    const fanOut = payBack(
      [coin],
      Array.from({ length: CHAINS }, () => each),
    );
    expect((await api(node.url).post('/api/v1/tx', { hex: fanOut.hex })).status).toBe(201);
    // Confirmed, so the chains are independent in the pool (the fan-out is no one's ancestor there).
    await mine(node.url, 1);
    roots = fanOut.tx.outputs.map((o, index) => ({ txid: txid(fanOut.tx), index, amount: o.amount }));
    expect((await getJson(node.url, '/api/v1/status')).mempool.count).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await node?.stop();
  });

  it('refuses the 26th transaction of a chain with 400 too-long-mempool-chain and changes nothing', async () => {
    const limit = CHAIN_LIMITS.ancestorCount;
    const txs = chainFrom(roots[0]!, limit + 1);
    for (const [i, t] of txs.slice(0, limit).entries()) {
      const res = await api(node.url).post('/api/v1/tx', { hex: t.hex });
      expect(res.status, `transaction ${i + 1}: ${res.text}`).toBe(201);
    }
    const before = (await getJson(node.url, '/api/v1/status')).mempool;
    expect(before.count).toBe(limit);
    const last = txs[limit]!;
    const refused = await api(node.url).post('/api/v1/tx', { hex: last.hex });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('too-long-mempool-chain');
    expect(refused.body.message).toContain('limit of 25');
    // The classic endpoint with a signed transaction answers the same.
    const classic = await api(node.url).post('/transactions/new', { hex: last.hex });
    expect(classic.status).toBe(400);
    expect(classic.body.error).toBe('too-long-mempool-chain');
    expect((await getJson(node.url, '/api/v1/status')).mempool).toEqual(before);
    expect((await api(node.url).get(`/api/v1/tx/${last.txid}`)).status).toBe(404);
  });

  it('fills the pool with parallel chains; mining from it is quick and status keeps answering', async () => {
    const limit = CHAIN_LIMITS.ancestorCount;
    // Signed before anything is timed: the test process only sends and measures from here on.
    const chains = roots.slice(1).map((root) => chainFrom(root, limit));
    const latencies: number[] = [];
    let filling = true;
    const poll = (async () => {
      // Bounded: stops when the fill and the mining are over, or after 2,000 samples.
      while (filling && latencies.length < 2_000) {
        const t0 = performance.now();
        const res = await api(node.url).get('/api/v1/status');
        latencies.push(performance.now() - t0);
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    let next = 0;
    const sender = async () => {
      for (let c = next++; c < chains.length; c = next++) {
        for (const t of chains[c]!) {
          const res = await api(node.url).post('/api/v1/tx', { hex: t.hex });
          expect(res.status, res.text).toBe(201);
        }
      }
    };
    let pool: Json;
    let res: ApiResponse;
    let mineMs: number;
    try {
      await Promise.all(Array.from({ length: 6 }, sender));
      pool = (await getJson(node.url, '/api/v1/status')).mempool;
      expect(pool.count).toBe(limit * CHAINS);
      const t0 = performance.now();
      res = await api(node.url).post('/api/v1/mine', {});
      mineMs = performance.now() - t0;
    } finally {
      filling = false;
      await poll;
    }
    expect(res.status).toBe(201);
    // Every pool transaction fits in one block (about 505 kB): all taken, parents before children
    // (the node accepted its own block).
    expect(res.body.txCount).toBe(pool.count + 1);
    expect((await getJson(node.url, '/api/v1/status')).mempool.count).toBe(0);
    // Generous bounds for a loaded 2-core machine; bench/template.ts has the real template figures. Most
    // of the mining time is connecting the 3,026-transaction block (its signatures), not the template.
    expect(mineMs).toBeLessThan(15_000);
    expect(latencies.length).toBeGreaterThan(20);
    console.log(
      `mine ${mineMs.toFixed(0)} ms, status p50 ${percentile(latencies, 50).toFixed(1)} p99 ${percentile(latencies, 99).toFixed(1)} max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length}`,
    );
    expect(percentile(latencies, 99)).toBeLessThan(1_000);
  }, 180_000);
});
