// A network split in two: pairs A — B and C — D share two blocks, then each side mines on its own, taking
// its own transactions (sent to A on one side, to C on the other). The A — B side mines 3 blocks, the C — D
// side 6. When B registers C, all four settle on the heavier chain; the transactions of the abandoned
// branch go back to the mempools of A and B, are offered to C and D again, and one more block confirms
// them everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockHashHex } from '../../src/core/block.js';
import { genesisBlock } from '../../src/core/genesis.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  type NodeProcess,
  type SseEvent,
  startNode,
  subscribeEvents,
  waitFor,
} from '../support/node-process.js';
import { BURN_ADDRESS, buildBlock, regtest } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const status = (node: NodeProcess): Promise<Json> => getJson(node.url, '/api/v1/status');
const peerIds = async (node: NodeProcess): Promise<string[]> =>
  (await getJson(node.url, '/api/v1/peers')).peers.map((p: Json) => p.id);

function waitForTip(nodes: NodeProcess[], tip: string, what: string, timeoutMs = 15_000): Promise<boolean> {
  return waitFor(async () => (await Promise.all(nodes.map(status))).every((s) => s.tip === tip), what, {
    timeoutMs,
    intervalMs: 100,
  });
}

/** Pays `amount` from the node's wallet; returns the txid. */
async function pay(node: NodeProcess, amount: number): Promise<string> {
  const res = await api(node.url).post('/transactions/new', { recipient: BURN_ADDRESS, amount });
  expect(res.status, res.text).toBe(201);
  return res.body.txid;
}

/** Mines one block on `node` (coinbase to nobody's wallet) and checks it holds `txids`. */
async function mineWith(node: NodeProcess, txids: string[]): Promise<string> {
  const res = await api(node.url).post('/api/v1/mine', { address: BURN_ADDRESS });
  expect(res.status, res.text).toBe(201);
  const inBlock = res.body.txs.map((t: Json) => t.txid);
  for (const txid of txids) expect(inBlock).toContain(txid);
  return res.body.hash;
}

const inMempool = async (node: NodeProcess, txid: string): Promise<boolean> => {
  const res = await api(node.url).get(`/api/v1/tx/${txid}`);
  return res.status === 200 && res.body.confirmations === 0;
};

describe('a partition that heals', () => {
  let a: NodeProcess;
  let b: NodeProcess;
  let c: NodeProcess;
  let d: NodeProcess;
  let prefixTip: string;

  beforeAll(async () => {
    [a, c] = await Promise.all([startNode(), startNode()]);
    // The shared history: block 1 pays A's wallet, block 2 C's, built here and given to both sides.
    const wallets = [(await status(a)).walletAddress, (await status(c)).walletAddress];
    let parentHash = blockHashHex(genesisBlock(regtest));
    const time = Math.floor(Date.now() / 1000);
    for (const [i, wallet] of wallets.entries()) {
      const block = buildBlock({ parentHash, height: i + 1, time: time + i, minerAddress: wallet });
      for (const node of [a, c]) {
        const res = await api(node.url).post('/api/v1/blocks', { hex: block.hex });
        expect(res.status, res.text).toBe(201);
      }
      parentHash = block.hash;
    }
    prefixTip = parentHash;
    [b, d] = await Promise.all([
      startNode({ args: ['--peer', a.url] }),
      startNode({ args: ['--peer', c.url] }),
    ]);
    await waitForTip([a, b, c, d], prefixTip, 'B and D to sync the shared blocks');
  });

  afterAll(async () => {
    await Promise.all([a, b, c, d].map((n) => n?.stop()));
  });

  const tx = { a1: '', a2: '', c1: '', c2: '' };

  it("converges on the heavier side; the lighter side's transactions are pending again", async () => {
    expect(await peerIds(a)).toEqual([(await status(b)).p2p.peerId]);
    expect(await peerIds(c)).toEqual([(await status(d)).p2p.peerId]);

    // Light side: 3 blocks. a2 spends a1's change, so it only exists on top of a1.
    tx.a1 = await pay(a, 1_000);
    await waitFor(() => inMempool(b, tx.a1), 'a1 to reach B');
    await mineWith(b, [tx.a1]);
    await waitFor(
      async () => (await getJson(a.url, `/api/v1/tx/${tx.a1}`)).confirmations === 1,
      'A to have a1 mined',
    );
    tx.a2 = await pay(a, 2_000);
    await mineWith(a, [tx.a2]);
    const lightTip = await mineWith(a, []);
    await waitForTip([a, b], lightTip, 'B to follow A');

    // Heavy side: 6 blocks.
    tx.c1 = await pay(c, 3_000);
    await waitFor(() => inMempool(d, tx.c1), 'c1 to reach D');
    await mineWith(d, [tx.c1]);
    await waitFor(
      async () => (await getJson(c.url, `/api/v1/tx/${tx.c1}`)).confirmations === 1,
      'C to have c1 mined',
    );
    tx.c2 = await pay(c, 4_000);
    await mineWith(c, [tx.c2]);
    let heavyTip = '';
    for (let i = 0; i < 4; i++) heavyTip = await mineWith(c, []);
    await waitForTip([c, d], heavyTip, 'D to follow C');
    expect((await status(a)).height).toBe(5);
    expect((await status(c)).height).toBe(8);

    // Join the halves.
    const reorgs: SseEvent[] = [];
    const events = subscribeEvents(a.url, (e) => {
      if (e.event === 'reorg') reorgs.push(e);
    });
    await events.opened;
    const reg = await api(b.url).post('/nodes/register', { nodes: [c.url] });
    expect(reg.status).toBe(201);
    await waitForTip([a, b, c, d], heavyTip, 'all four to settle on the heavier chain');
    await waitFor(() => reorgs.length > 0, 'the reorg event from A', { timeoutMs: 5_000 });
    events.close();
    expect(reorgs).toHaveLength(1);
    expect(reorgs[0].data).toMatchObject({ oldTip: lightTip, forkHeight: 2, disconnected: 3 });

    // The light branch's transactions are pending again on the nodes that abandoned it.
    for (const node of [a, b]) {
      expect(await inMempool(node, tx.a1)).toBe(true);
      expect(await inMempool(node, tx.a2)).toBe(true);
    }
  });

  it('offers the restored transactions to the side that never saw them', async () => {
    for (const node of [c, d]) {
      await waitFor(
        async () => (await inMempool(node, tx.a1)) && (await inMempool(node, tx.a2)),
        `the restored transactions to reach ${node === c ? 'C' : 'D'}`,
        { timeoutMs: 5_000 },
      );
    }
  });

  it('one more block confirms them on all four', async () => {
    const last = await mineWith(b, [tx.a1, tx.a2]);
    await waitForTip([a, b, c, d], last, 'the last block to reach everyone');
    for (const node of [a, b, c, d]) {
      const confirmations = async (txid: string) =>
        (await getJson(node.url, `/api/v1/tx/${txid}`)).confirmations;
      expect(await confirmations(tx.a1)).toBe(1);
      expect(await confirmations(tx.a2)).toBe(1);
      expect(await confirmations(tx.c1)).toBe(7);
      expect(await confirmations(tx.c2)).toBe(6);
      expect((await getJson(node.url, '/api/v1/mempool')).count).toBe(0);
    }
  });
});
