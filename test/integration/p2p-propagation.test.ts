// Three real nodes in a line, A — B — C: B dials A (--peer with A's http URL), C registers B through the
// tutorials' POST /nodes/register. A transaction sent to A reaches C by gossip, C mines it, and every node
// follows C's block on its own (no /nodes/resolve). Also: the /nodes/* endpoints' shapes, and B finding its
// peers again after a restart without any --peer flag (the peers it saved in its store on stop).

import { join } from 'node:path';
import { peerIdFromString } from '@libp2p/peer-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/node/level-store.js';

import {
  api,
  cleanupNodesAfterAll,
  freePort,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  startNode,
  waitFor,
} from '../support/node-process.js';

cleanupNodesAfterAll();

interface Ids {
  peerId: string;
  wallet: string;
}

async function idsOf(node: NodeProcess): Promise<Ids> {
  const s = await getJson(node.url, '/api/v1/status');
  return { peerId: s.p2p.peerId, wallet: s.walletAddress };
}

const peerIds = async (node: NodeProcess): Promise<string[]> =>
  (await getJson(node.url, '/api/v1/peers')).peers.map((p: Json) => p.id);

const tipOf = async (node: NodeProcess): Promise<string> => (await getJson(node.url, '/api/v1/status')).tip;

/** Waits until every node has `tip`; "a few seconds" on a loaded 2-core machine. */
function waitForTip(nodes: NodeProcess[], tip: string, what: string, timeoutMs = 10_000): Promise<boolean> {
  return waitFor(async () => (await Promise.all(nodes.map(tipOf))).every((t) => t === tip), what, {
    timeoutMs,
    intervalMs: 100,
  });
}

describe('three nodes A — B — C', () => {
  let a: NodeProcess;
  let b: NodeProcess;
  let c: NodeProcess;
  let ids: { a: Ids; b: Ids; c: Ids };

  beforeAll(async () => {
    // A line, not the mesh discovery would make: every node dials only the peers it is told of.
    const only = ['--min-peers', '0'];
    a = await startNode({ args: only });
    [b, c] = await Promise.all([startNode({ args: ['--peer', a.url, ...only] }), startNode({ args: only })]);
    ids = { a: await idsOf(a), b: await idsOf(b), c: await idsOf(c) };
  });

  afterAll(async () => {
    await Promise.all([a, b, c].map((n) => n?.stop()));
  });

  it('POST /nodes/register with an http URL makes a libp2p connection, listed by /nodes/get', async () => {
    // B dialled A at start from the http URL given with --peer.
    await waitFor(async () => (await peerIds(b)).includes(ids.a.peerId), 'B to connect to A');

    const reg = await api(c.url).post('/nodes/register', { nodes: [b.url] });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({ message: 'New nodes have been added', total_nodes: [b.url] });
    // register answers once the dial and handshake are done.
    const cPeers = (await getJson(c.url, '/api/v1/peers')).peers as Json[];
    expect(cPeers.map((p) => p.id)).toEqual([ids.b.peerId]);
    expect(cPeers[0]).toMatchObject({ direction: 'outbound', score: 100, height: 0 });
    await waitFor(async () => (await peerIds(b)).includes(ids.c.peerId), 'B to list C');

    const known = await getJson(c.url, '/nodes/get');
    expect(known.nodes).toContain(b.url);
    expect(known.peers.map((p: Json) => p.id)).toEqual([ids.b.peerId]);
    // A and C are not connected to each other: whatever reaches C goes through B.
    expect(await peerIds(a)).toEqual([ids.b.peerId]);
  });

  it('a transaction sent to A is mined by C, and all three follow without a resolve', async () => {
    const [first] = await mine(a.url, 1); // the node wallet's coins are spendable after one block
    await waitForTip([a, b, c], first, 'the first block to reach B and C');

    const sent = await api(a.url).post('/transactions/new', { recipient: ids.c.wallet, amount: 123_456 });
    expect(sent.status, sent.text).toBe(201);
    const { txid } = sent.body;
    await waitFor(
      async () => (await api(c.url).get(`/api/v1/tx/${txid}`)).status === 200,
      'the tx to reach C',
      {
        timeoutMs: 10_000,
      },
    );

    const minedByC = await api(c.url).post('/api/v1/mine', {});
    expect(minedByC.status).toBe(201);
    expect(minedByC.body.txs.map((t: Json) => t.txid)).toContain(txid);
    const started = Date.now();
    await waitForTip([a, b, c], minedByC.body.hash, "C's block to reach B and A");
    expect(Date.now() - started).toBeLessThan(10_000);

    for (const node of [a, b, c]) {
      const tx = await getJson(node.url, `/api/v1/tx/${txid}`);
      expect(tx.confirmations).toBe(1);
      expect(tx.block.hash).toBe(minedByC.body.hash);
      expect((await getJson(node.url, '/api/v1/mempool')).count).toBe(0);
    }
    const receiver = await getJson(a.url, `/api/v1/address/${ids.c.wallet}`);
    const coinbase = BigInt(minedByC.body.txs[0].outputs[0].amount);
    expect(BigInt(receiver.balance.confirmed)).toBe(coinbase + 123_456n);
  });

  it('GET /nodes/resolve: "Our chain is authoritative" when up to date', async () => {
    const height = (await getJson(a.url, '/api/v1/status')).height;
    const res = await api(a.url).get('/nodes/resolve');
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Our chain is authoritative');
    expect(res.body.new_chain).toBeUndefined();
    expect(res.body.chain).toHaveLength(height + 1);
    expect(res.body.chain.at(-1).hash).toBe(await tipOf(a));
  });

  it('GET /nodes/resolve: "Our chain was replaced" when a registered peer has more work', async () => {
    // D knows E's http URL from the start but E is not up yet, so D stays alone until resolve looks
    // again (D's periodic retry runs every 15 s: this test is done well before).
    const ePort = await freePort();
    const eUrl = `http://127.0.0.1:${ePort}`;
    const d = await startNode({ args: ['--peer', eUrl] });
    const dStarted = Date.now();
    const e = await startNode({ port: ePort });
    const hashes = await mine(e.url, 3);
    expect((await getJson(d.url, '/api/v1/status')).height).toBe(0);

    const res = await api(d.url).get('/nodes/resolve');
    expect(Date.now() - dStarted).toBeLessThan(14_000);
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Our chain was replaced');
    expect(res.body.chain).toBeUndefined();
    const chain = res.body.new_chain as Json[];
    expect(chain.map((blk) => blk.index)).toEqual([0, 1, 2, 3]);
    expect(chain.slice(1).map((blk) => blk.hash)).toEqual(hashes);
    expect(chain[3].previous_hash).toBe(hashes[1]);
    expect(await tipOf(d)).toBe(hashes[2]);

    // Asked again with nothing new, D's chain is the authoritative one.
    const again = await api(d.url).get('/nodes/resolve');
    expect(again.body.message).toBe('Our chain is authoritative');
    expect(again.body.chain).toHaveLength(4);
    await Promise.all([d.stop(), e.stop()]);
  });

  it('B restarted without --peer reconnects to its saved peers and catches up', async () => {
    const exit = await b.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    await waitFor(async () => !(await peerIds(a)).includes(ids.b.peerId), 'A to notice B left');
    // B's peer store lives in its LevelDB: A and C are in it.
    const store = await openStore(join(b.dataDir, 'chain'));
    const saved: string[] = [];
    for await (const [name] of store.libp2p.entries('/peers/', false)) saved.push(name);
    await store.close();
    const key = (id: string) => `/peers/${peerIdFromString(id).toCID().toString()}`;
    expect(saved).toEqual(expect.arrayContaining([key(ids.a.peerId), key(ids.c.peerId)]));
    const whileDown = await mine(a.url, 2);

    b = await startNode({ dataDir: b.dataDir, port: b.port, p2pPort: b.p2pPort });
    expect((await idsOf(b)).peerId).toBe(ids.b.peerId); // same identity from the data dir
    await waitFor(async () => (await peerIds(b)).includes(ids.a.peerId), 'B to reconnect to A', {
      timeoutMs: 10_000,
    });
    await waitForTip([a, b], whileDown[1], 'B to catch up with A');
    // C lost B too; it is back in the line and has the blocks as well.
    await waitForTip([c], whileDown[1], 'C to catch up through B', 20_000);
    expect((await peerIds(b)).sort()).toEqual([ids.a.peerId, ids.c.peerId].sort());
  });
});
