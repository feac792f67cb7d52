// The fee market on real node processes: mining N blocks to an address, replace-by-fee through the API
// (accepted, conflicts evicted, each refusal's code), --mine-interval and --activity on regtest, and
// GET /api/v1/fees over what they made.
import { describe, expect, it } from 'vitest';
import type { HdWallet } from '../../src/wallet/keys.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  startNode,
  waitFor,
} from '../support/node-process.js';
import { payFrom, testWallet, utxosOf } from './helpers.js';

cleanupNodesAfterAll();

describe('mine count and address', () => {
  it('POST /api/v1/mine and GET /mine mine N blocks to an address, bounded to 1..100', async () => {
    const node = await startNode();
    const wallet = await testWallet();
    const to = wallet.receiveAddress(0);
    const res = await api(node.url).post('/api/v1/mine', { count: 3, address: to });
    expect(res.status).toBe(201);
    expect(res.body.hashes).toHaveLength(3);
    expect(res.body.height).toBe(3);
    expect(res.body.hash).toBe(res.body.hashes[2]);
    for (const hash of res.body.hashes)
      expect((await getJson(node.url, `/api/v1/blocks/${hash}`)).miner).toBe(to);
    const classic = await api(node.url).get(`/mine?count=2&address=${to}`);
    expect(classic.status).toBe(200);
    expect(classic.body.message).toBe('New Block Forged');
    expect(classic.body.hashes).toHaveLength(2);
    expect(classic.body.index).toBe(5);
    for (const bad of [0, 101]) {
      const refused = await api(node.url).post('/api/v1/mine', { count: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('bad-request');
    }
    for (const bad of ['0', '101', 'x', '1.5']) {
      const refused = await api(node.url).get(`/mine?count=${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('bad-request');
    }
    expect((await api(node.url).get('/mine?address=hlrt1nope')).body.error).toBe('bad-address');
    expect((await getJson(node.url, '/api/v1/status')).height).toBe(5);
    await node.stop();
  });
});

describe('replace-by-fee through the API', () => {
  it('accepts a replacement that pays for it, evicts the conflict and its child, and names each refusal', async () => {
    const node = await startNode();
    const wallet: HdWallet = await testWallet();
    const key = wallet.key(0, 0);
    const other = wallet.key(0, 1);
    await mine(node.url, 2, key.address);
    const coins = await utxosOf(node.url, key.address);
    expect(coins.length).toBe(2);
    const [first, second] = coins as [(typeof coins)[0], (typeof coins)[0]];
    const post = (hex: string) => api(node.url).post('/api/v1/tx', { hex });

    // a at 10 units/byte, and its child at 50 (spending a's change).
    const a = payFrom(key, [first], other.address, 100_000n, { feeRate: 10n });
    expect((await post(a.hex)).status).toBe(201);
    const change = { txid: a.txid, index: a.change!.index, amount: a.change!.amount, address: key.address };
    const child = payFrom(key, [change], other.address, 100_000n, { feeRate: 50n });
    expect((await post(child.hex)).status).toBe(201);
    // Another pool transaction, unrelated to a.
    const unrelated = payFrom(key, [second], other.address, 100_000n, { feeRate: 1n });
    expect((await post(unrelated.hex)).status).toBe(201);

    // Same rate as a: refused.
    const same = payFrom(key, [first], other.address, 100_000n, { feeRate: 10n, data: 'a longer one' });
    expect((await post(same.hex)).body.error).toBe('replacement-fee-rate-too-low');
    // A higher rate, but not the fees of a and its child plus its own relay fee.
    const cheap = payFrom(key, [first], other.address, 100_000n, { feeRate: 11n });
    const refused = await post(cheap.hex);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('insufficient-fee-replacement');
    // Spending an output of a pool transaction that a did not spend.
    const unrelatedOut = {
      txid: unrelated.txid,
      index: unrelated.change!.index,
      amount: unrelated.change!.amount,
      address: key.address,
    };
    // More than either coin holds, so both are spent.
    const adds = payFrom(key, [first, unrelatedOut], other.address, first.amount + 1_000_000n, {
      feeRate: 200n,
    });
    expect(adds.inputs).toHaveLength(2);
    expect((await post(adds.hex)).body.error).toBe('replacement-adds-unconfirmed');
    expect((await getJson(node.url, '/api/v1/mempool')).count).toBe(3);

    const bump = payFrom(key, [first], other.address, 100_000n, { feeRate: 100n });
    const accepted = await post(bump.hex);
    expect(accepted.status).toBe(201);
    const pool = await getJson(node.url, '/api/v1/mempool');
    expect(pool.txs.map((t: Json) => t.txid).sort()).toEqual([bump.txid, unrelated.txid].sort());
    expect((await api(node.url).get(`/api/v1/tx/${a.txid}`)).status).toBe(404);
    expect((await api(node.url).get(`/api/v1/tx/${child.txid}`)).status).toBe(404);
    // The replaced one offered again is refused, so it is not relayed again.
    expect((await post(a.hex)).body.error).toBe('replacement-fee-rate-too-low');
    // The replacement is what gets mined.
    await mine(node.url, 1);
    expect((await getJson(node.url, `/api/v1/tx/${bump.txid}`)).confirmations).toBe(1);
    await node.stop();
  });
});

describe('--mine-interval and --activity on regtest', () => {
  it('mines on schedule with no request', async () => {
    const node = await startNode({ args: ['--mine-interval', '1', '--threads', '1'] });
    const status = await waitFor(
      async () => {
        const s = await getJson(node.url, '/api/v1/status');
        return s.height >= 3 ? s : undefined;
      },
      'three scheduled blocks',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const block = await getJson(node.url, `/api/v1/blocks/${status.tip}`);
    expect(block.miner).toBe(status.walletAddress);
    await node.stop();
  }, 90_000);

  it('--activity gives a steady mix of fee rates in the blocks, and /fees describes the market', async () => {
    const node = await startNode({
      args: ['--mine-interval', '1', '--threads', '1', '--activity', '300'],
    });
    const N = 30;
    const confirmed = await waitFor(
      async () => {
        const page = await getJson(node.url, '/api/v1/txs?limit=100');
        const paid = (page.txs as Json[]).filter((t) => !t.coinbase);
        return paid.length >= N ? paid : undefined;
      },
      `${N} confirmed activity payments`,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const rates = new Set(confirmed.map((t) => Math.floor(t.feeRate)));
    expect(rates.size).toBeGreaterThanOrEqual(8);
    for (const t of confirmed) expect(t.feeRate).toBeGreaterThanOrEqual(1);
    // Spread over several blocks, not one burst.
    expect(new Set(confirmed.map((t) => t.block.height)).size).toBeGreaterThanOrEqual(3);
    // Several of the node's wallets pay and are paid.
    expect(new Set(confirmed.map((t) => t.sender)).size).toBeGreaterThanOrEqual(2);

    const fees = await getJson(node.url, '/api/v1/fees');
    expect(fees.targets.map((t: Json) => t.blocks)).toEqual([1, 3, 6]);
    expect(fees.nextBlock).toBeGreaterThanOrEqual(fees.within3Blocks);
    expect(fees.within3Blocks).toBeGreaterThanOrEqual(fees.within6Blocks);
    expect(fees.within6Blocks).toBeGreaterThanOrEqual(1);
    expect(fees.history.blocks).toBe(Math.min(12, fees.height));
    if (fees.mempool.count > 0) {
      expect(fees.projected[0].count).toBe(fees.mempool.count);
      expect(fees.projected[0].maxFeeRate).toBeGreaterThanOrEqual(fees.projected[0].minFeeRate);
    }
    await node.stop();
  }, 180_000);
});
