// Accounting of what a peer sends, end to end on real nodes (the hostile-peer harness gossips): a block
// refused only for its future timestamp costs nothing (Core does not punish it: the sender's clock may
// be off); mutated copies of a valid block's header cost 10 each and, after 2, further copies are not
// even looked at, while the honest copy is still taken; a block that lands on a side branch is not
// relayed. (Keying by address cannot be shown on loopback: see test/unit/p2p/peer-key.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlock } from '../../src/core/block.js';
import type { Tx } from '../../src/core/tx.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  mine,
  type NodeProcess,
  runCli,
  startNode,
  tempDir,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';
import { BURN_ADDRESS, buildBlock } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

interface Peer {
  id: string;
  score: number;
  invalid: number;
  malleated: number;
}

async function peerEntry(node: NodeProcess, id: string): Promise<Peer | undefined> {
  return (await getJson(node.url, '/api/v1/peers')).peers.find((p: Peer) => p.id === id);
}

/** The node's JSON log lines with this message (prefix). */
function logsWith(node: NodeProcess, msg: string): Json[] {
  const out: Json[] = [];
  for (const line of node.logs().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      if (typeof entry.msg === 'string' && entry.msg.startsWith(msg)) out.push(entry);
    } catch {
      // a partial line
    }
  }
  return out;
}

/** A transaction that spends nothing real: appended to a block, its body no longer matches the header. */
const strayTx = (seed: number): Tx => ({
  version: 1,
  inputs: [
    {
      prevTxid: new Uint8Array(32).fill(seed),
      prevIndex: 0,
      publicKey: new Uint8Array(32).fill(1),
      signature: new Uint8Array(64).fill(2),
    },
  ],
  outputs: [{ amount: 1n, address: new Uint8Array(20) }],
  data: new Uint8Array(),
});

describe('accounting of what a hostile peer gossips', () => {
  let a: NodeProcess;
  let b: NodeProcess;
  let aAddr: string;
  let genesis: string;
  let hostile: HostilePeer;

  beforeAll(async () => {
    a = await startNode({ args: ['--min-peers', '0'] });
    const status = await getJson(a.url, '/api/v1/status');
    aAddr = status.p2p.addrs[0];
    genesis = status.genesis;
    b = await startNode({ args: ['--peer', aAddr, '--min-peers', '0'] });
    await mine(a.url, 3);
    await waitForHeight(b.url, 3, 15_000);
    hostile = await startHostilePeer('regtest', genesis);
    const connected = await hostile.command('connect', { addr: aAddr });
    expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await hostile?.stop();
  });

  const tipOf = (node: NodeProcess) => getJson(node.url, '/api/v1/status');
  const gossip = (bytes: Uint8Array) => hostile.command('gossip', { topic: 'blocks', hex: toHex(bytes) });
  const rejections = (hash: string) => logsWith(a, 'rejected block').filter((l) => l.hash === hash);

  it('a block from the future costs its sender nothing', async () => {
    const tip = await tipOf(a);
    const future = buildBlock({
      parentHash: tip.tip,
      height: tip.height + 1,
      time: Math.floor(Date.now() / 1000) + 3 * 3600,
      minerAddress: BURN_ADDRESS,
    });
    await gossip(future.bytes);
    await waitFor(() => rejections(future.hash).length > 0, 'A to refuse the block from the future', {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(rejections(future.hash)[0].code).toBe('time-too-new');
    expect(await peerEntry(a, hostile.peerId)).toMatchObject({ score: 100, invalid: 0 });
    expect((await tipOf(a)).tip).toBe(tip.tip);
  });

  it('mutated copies cost 10 each; after 2, copies of that header are not looked at; the header is not condemned', async () => {
    const tip = await tipOf(a);
    const real = buildBlock({
      parentHash: tip.tip,
      height: tip.height + 1,
      // Past the median time of blocks mined this very second (within the 2 h a block may be ahead).
      time: Math.floor(Date.now() / 1000) + 60,
      minerAddress: BURN_ADDRESS,
      extraNonce: 7n,
    });
    const copies = [1, 2, 3, 4].map((seed) =>
      encodeBlock({ header: real.block.header, txs: [...real.block.txs, strayTx(seed)] }),
    );
    for (const copy of copies) await gossip(copy);
    // Even the right body, by gossip, waits: within 10 minutes of 2 failed copies the header is not looked at.
    await gossip(real.bytes);
    // A marker after them that costs nothing and is logged: once A refused it, A saw all of the above.
    const marker = buildBlock({
      parentHash: tip.tip,
      height: tip.height + 1,
      time: Math.floor(Date.now() / 1000) + 3 * 3600,
      minerAddress: BURN_ADDRESS,
      extraNonce: 8n,
    });
    await gossip(marker.bytes);
    await waitFor(() => rejections(marker.hash).length > 0, 'A to refuse the marker', {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(rejections(real.hash)).toHaveLength(2);
    expect(rejections(real.hash).every((l) => l.code === 'bad-merkle-root')).toBe(true);
    expect(await peerEntry(a, hostile.peerId)).toMatchObject({ score: 80, invalid: 2, malleated: 2 });
    expect((await tipOf(a)).tip).toBe(tip.tip);

    // The header was not condemned: the real block is taken when it comes another way, and A relays it to B.
    const posted = await api(a.url).post('/api/v1/blocks', { hex: real.hex });
    expect(posted.status, JSON.stringify(posted.body)).toBeLessThan(300);
    await waitFor(async () => (await tipOf(b)).tip === real.hash, 'B to get the real block', {
      timeoutMs: 10_000,
    });
  });

  it('a block that lands on a side branch is not relayed', async () => {
    // A competing block at A's height (the same work as A's tip: a peer's side block A keeps).
    const { height } = await tipOf(a);
    const parent = await getJson(a.url, `/api/v1/blocks/${height - 1}`);
    const side = buildBlock({
      parentHash: parent.hash,
      height,
      // Past the median time of blocks mined this very second (within the 2 h a block may be ahead).
      time: Math.floor(Date.now() / 1000) + 60,
      minerAddress: BURN_ADDRESS,
      extraNonce: 99n,
    });
    await gossip(side.bytes);
    await waitFor(
      async () => (await fetch(`${a.url}/api/v1/blocks/${side.hash}`)).ok,
      'A to store the side block',
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    // A block mined after it travels A → B; had the side block been relayed, B would have it first.
    const [mined] = await mine(a.url, 1);
    await waitFor(async () => (await tipOf(b)).tip === mined, 'B to get the next block', {
      timeoutMs: 10_000,
    });
    expect((await fetch(`${b.url}/api/v1/blocks/${side.hash}`)).status).toBe(404);
    expect(await peerEntry(a, hostile.peerId)).toMatchObject({ score: 80 });
  });
});

describe('--local-subnet', () => {
  it('refuses what is not a subnet, with a clear error', async () => {
    const r = await runCli([
      'node',
      '--network',
      'regtest',
      '--data-dir',
      tempDir(),
      '--local-subnet',
      '10.0.0.0/33',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--local-subnet 10.0.0.0/33 is not a subnet such as 192.168.1.0/24');
  });

  it('a node started with one runs and takes peers as before', async () => {
    const node = await startNode({ args: ['--min-peers', '0', '--local-subnet', '192.168.0.0/16'] });
    const peer = await startNode({
      args: ['--peer', (await getJson(node.url, '/api/v1/status')).p2p.addrs[0], '--min-peers', '0'],
    });
    await waitFor(async () => (await getJson(node.url, '/api/v1/peers')).peers.length === 1, 'the peer', {
      timeoutMs: 15_000,
    });
    await peer.stop();
    await node.stop();
  });
});
