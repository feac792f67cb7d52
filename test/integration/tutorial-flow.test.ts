// The classic tutorial flow, end to end against a real node process: mine, pay from the node's wallet (JSON
// and form bodies), see the pending transactions, mine them into the chain, watch balances move, register
// peers; then a wallet the node knows nothing about signs its own transaction and the node accepts it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { HdWallet } from '../../src/wallet/keys.js';
import {
  api,
  cleanupNodesAfterAll,
  freePort,
  getJson,
  type Json,
  type NodeProcess,
  startNode,
} from '../support/node-process.js';
import { balanceOf, payFrom, testWallet, utxosOf } from './helpers.js';

cleanupNodesAfterAll();

const HEX64 = /^[0-9a-f]{64}$/;
const SUBSIDY = 5_000_000_000n;

describe('tutorial flow against a real node', () => {
  let node: NodeProcess;
  let wallet: HdWallet;
  let nodeAddress: string;
  let alice: string;
  let genesis: string;
  const firstPayment = 1_000_000_000n;
  const secondPayment = 250_000_000n;
  let firstTxid: string;
  let secondTxid: string;

  beforeAll(async () => {
    node = await startNode();
    wallet = await testWallet();
    alice = wallet.receiveAddress(0);
    const status = await getJson(node.url, '/api/v1/status');
    nodeAddress = status.walletAddress;
    genesis = status.tip;
    expect(status.network).toBe('regtest');
    expect(status.height).toBe(0);
  });

  it('GET /mine forges a block in the tutorial shape', async () => {
    const res = await api(node.url).get('/mine');
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b.message).toBe('New Block Forged');
    expect(b.index).toBe(1);
    expect(b.previous_hash).toBe(genesis);
    expect(b.hash).toMatch(HEX64);
    expect(Number.isInteger(b.nonce)).toBe(true);
    expect(b.transactions).toHaveLength(1);
    expect(b.transactions[0].coinbase).toBe(true);
    expect(b.transactions[0].recipient).toBe(nodeAddress);
    expect(b.transactions[0].amount).toBe(SUBSIDY.toString());
    const status = await getJson(node.url, '/api/v1/status');
    expect(status.height).toBe(1);
    expect(status.tip).toBe(b.hash);
    expect(await balanceOf(node.url, nodeAddress)).toEqual({ confirmed: SUBSIDY, unconfirmed: 0n });
  });

  it('POST /transactions/new {recipient, amount} pays from the node wallet (JSON body)', async () => {
    const res = await api(node.url).post('/transactions/new', {
      recipient: alice,
      amount: Number(firstPayment),
    });
    expect(res.status).toBe(201);
    expect(res.body.message).toMatch(/^Transaction will be added to Block 2: .* coins .*, fee /);
    expect(res.body.txid).toMatch(HEX64);
    firstTxid = res.body.txid;
  });

  it('POST /transactions/new accepts a form body (application/x-www-form-urlencoded)', async () => {
    // The node's only mature coin is already spent by the first payment: this one spends its change.
    const res = await api(node.url).post(
      '/transactions/new',
      { recipient: alice, amount: secondPayment.toString() },
      { form: true },
    );
    expect(res.status).toBe(201);
    expect(res.body.message).toMatch(/^Transaction will be added to Block 2: .* coins .*, fee /);
    expect(res.body.txid).toMatch(HEX64);
    expect(res.body.txid).not.toBe(firstTxid);
    secondTxid = res.body.txid;
  });

  it('GET /transactions/get lists both pending transactions', async () => {
    const { transactions } = await getJson(node.url, '/transactions/get');
    const byId = new Map((transactions as Json[]).map((t) => [t.txid, t]));
    expect(byId.size).toBe(2);
    const first = byId.get(firstTxid);
    expect(first.sender).toBe(nodeAddress);
    expect(first.recipient).toBe(alice);
    expect(first.amount).toBe(firstPayment.toString());
    expect(first.confirmations).toBe(0);
    expect(BigInt(first.fee)).toBeGreaterThan(0n);
    expect(byId.get(secondTxid).amount).toBe(secondPayment.toString());
    // Pending: the recipient sees them as unconfirmed only.
    expect(await balanceOf(node.url, alice)).toEqual({
      confirmed: 0n,
      unconfirmed: firstPayment + secondPayment,
    });
  });

  it('mining confirms them: GET /chain shows block 2 with both transactions', async () => {
    const mined = await api(node.url).get('/mine');
    expect(mined.status).toBe(200);
    expect(mined.body.index).toBe(2);
    const txids = (mined.body.transactions as Json[]).map((t) => t.txid);
    expect(txids).toHaveLength(3);
    expect(txids.slice(1).sort()).toEqual([firstTxid, secondTxid].sort());

    const { chain, length } = await getJson(node.url, '/chain');
    expect(length).toBe(3);
    expect(chain).toHaveLength(3);
    expect(chain.map((b: Json) => b.index)).toEqual([0, 1, 2]);
    expect(chain[0].hash).toBe(genesis);
    for (let i = 1; i < chain.length; i++) expect(chain[i].previous_hash).toBe(chain[i - 1].hash);
    expect(chain[2].hash).toBe(mined.body.hash);
    const confirmed = (chain[2].transactions as Json[]).map((t) => t.txid);
    expect(confirmed).toContain(firstTxid);
    expect(confirmed).toContain(secondTxid);

    expect((await getJson(node.url, '/transactions/get')).transactions).toEqual([]);
    const tx = await getJson(node.url, `/api/v1/tx/${firstTxid}`);
    expect(tx.block).toEqual({ hash: mined.body.hash, height: 2 });
    expect(tx.confirmations).toBe(1);
  });

  it('balances moved on both sides (fees came back to the node as the miner)', async () => {
    expect(await balanceOf(node.url, alice)).toEqual({
      confirmed: firstPayment + secondPayment,
      unconfirmed: 0n,
    });
    // Two block rewards, minus what was paid; the fees went into block 2's coinbase, the node's own.
    expect(await balanceOf(node.url, nodeAddress)).toEqual({
      confirmed: 2n * SUBSIDY - firstPayment - secondPayment,
      unconfirmed: 0n,
    });
    const w = await getJson(node.url, '/api/v1/wallet');
    expect(w.address).toBe(nodeAddress);
    expect(BigInt(w.balance.confirmed)).toBe(2n * SUBSIDY - firstPayment - secondPayment);
  });

  it('a wallet the node does not know signs its own transaction: POST /api/v1/tx {hex}', async () => {
    const key = wallet.receiveKey(0);
    const utxos = await utxosOf(node.url, alice);
    expect(utxos.map((u) => u.amount).sort((a, b) => Number(a - b))).toEqual([secondPayment, firstPayment]);
    const back = 600_000_000n;
    const built = payFrom(key, utxos, nodeAddress, back, { data: 'thanks for the coins' });
    const res = await api(node.url).post('/api/v1/tx', { hex: built.hex });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ txid: built.txid });

    const pending = await getJson(node.url, `/api/v1/tx/${built.txid}`);
    expect(pending.confirmations).toBe(0);
    expect(pending.data.text).toBe('thanks for the coins');
    expect(pending.fee).toBe(built.fee.toString());

    // The same wallet can also use the classic endpoint with {hex}, spending its unconfirmed change.
    const change = await utxosOf(node.url, alice);
    const second = payFrom(key, change, wallet.receiveAddress(1), 100_000_000n);
    const classic = await api(node.url).post('/transactions/new', { hex: second.hex });
    expect(classic.status).toBe(201);
    expect(classic.body.txid).toBe(second.txid);

    const mined = await api(node.url).get('/mine');
    expect((mined.body.transactions as Json[]).map((t) => t.txid)).toEqual(
      expect.arrayContaining([built.txid, second.txid]),
    );
    expect(await balanceOf(node.url, alice)).toEqual({
      confirmed: firstPayment + secondPayment - back - built.fee - 100_000_000n - second.fee,
      unconfirmed: 0n,
    });
    expect(await balanceOf(node.url, wallet.receiveAddress(1))).toEqual({
      confirmed: 100_000_000n,
      unconfirmed: 0n,
    });
    const confirmed = await getJson(node.url, `/api/v1/tx/${built.txid}`);
    expect(confirmed.block.height).toBe(3);
    expect(confirmed.inputs.every((i: Json) => i.address === alice)).toBe(true);
  });

  it('POST /nodes/register takes a list or a comma-separated string; GET /nodes/get lists them', async () => {
    // Ports nobody listens on: registering must not wait for (or need) the peers to answer.
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    const list = await api(node.url).post('/nodes/register', {
      nodes: [`http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}/`],
    });
    expect(list.status).toBe(201);
    expect(list.body.message).toBe('New nodes have been added');
    expect(list.body.total_nodes).toEqual(
      expect.arrayContaining([`http://127.0.0.1:${p1}`, `http://127.0.0.1:${p2}`]),
    );

    const csv = await api(node.url).post('/nodes/register', {
      nodes: `http://127.0.0.1:${p3},127.0.0.1:${p1}`,
    });
    expect(csv.status).toBe(201);
    expect(csv.body.total_nodes).toContain(`http://127.0.0.1:${p3}`);
    // Registering the same node twice keeps one entry.
    expect(csv.body.total_nodes.filter((u: string) => u === `http://127.0.0.1:${p1}`)).toHaveLength(1);

    const { nodes } = await getJson(node.url, '/nodes/get');
    for (const p of [p1, p2, p3]) expect(nodes).toContain(`http://127.0.0.1:${p}`);
  });

  it.each([
    ['an empty list', { nodes: [] }],
    ['no nodes field', {}],
    ['a number', { nodes: [5001] }],
    ['an ftp URL', { nodes: ['ftp://127.0.0.1:5001'] }],
    ['a URL with spaces', { nodes: ['http://not a host:5001'] }],
    ['a javascript: URL', { nodes: 'javascript:alert(1)' }],
  ])('POST /nodes/register rejects %s with 400', async (_what, body) => {
    const before = (await getJson(node.url, '/nodes/get')).nodes;
    const res = await api(node.url).post('/nodes/register', body);
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
    expect(typeof res.body.message).toBe('string');
    expect((await getJson(node.url, '/nodes/get')).nodes).toEqual(before);
  });

  it('POST /api/v1/mine mines with no body at all, and pays another address when asked', async () => {
    const bare = await fetch(`${node.url}/api/v1/mine`, { method: 'POST' });
    expect(bare.status).toBe(201);
    const block = (await bare.json()) as Json;
    expect(block.miner).toBe(nodeAddress);
    const before = await balanceOf(node.url, alice);
    const paid = await api(node.url).post('/api/v1/mine', { address: alice });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.body.height).toBe(block.height + 1);
    expect(paid.body.txs[0].outputs[0].address).toBe(alice);
    expect((await balanceOf(node.url, alice)).confirmed).toBe(before.confirmed + SUBSIDY);
  });

  it('the node stops cleanly on SIGTERM', async () => {
    const status = await node.stop();
    expect(status.code).toBe(0);
  });
});
