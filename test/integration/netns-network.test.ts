// Five nodes on separate hosts: each in its own Linux network namespace with its own private address
// (10.77.S.x, see test/support/netns.ts), the namespaces joined by two bridges and a trunk link between
// them. Every node is given only the first node's address. Then, each within bounded time:
// - every node reaches at least 2 peers;
// - a block and a transaction from the last node reach every node;
// - with the first node's cable pulled the others still converge on new blocks; plugged back, it catches up;
// - the network splits into {1, 2, 3} and {4, 5}: both sides mine and pay, with transactions still pending
//   on both; after the heal every transaction (confirmed or pending on the losing side) is confirmed on the
//   winning chain, and the coins in existence (the unspent outputs, walked block by block) are exactly the
//   sum of the block subsidies;
// - a hostile host is banned by address and cannot come back under a new peer id.
// The checks under "needs peer discovery…" rely on discovery, mempool exchange and bans by address in
// src/p2p; the others hold with a node that only knows the peers it was given.
//
// Needs root (namespaces, veth pairs, bridges) and a build: `npx tsc -p tsconfig.build.json`, then
//   npx vitest run test/integration/netns-network.test.ts
// Where namespaces cannot be created the suite says why and is skipped. Everything it creates is removed
// in afterAll, and only the processes it started are killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockSubsidy } from '../../src/core/params.js';
import {
  cleanupNetns,
  fetchInNs,
  type Host,
  type Json,
  NetLab,
  type NsHostilePeer,
  type NsNode,
  netnsUnavailable,
  startNsHostilePeer,
  startNsNode,
  waitUntil,
} from '../support/netns.js';
import { BURN_ADDRESS, buildBlock, regtest } from '../support/p2p-blocks.js';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`netns-network: skipped, network namespaces are unavailable: ${unavailable}`);

const MIN_PEERS = 2;

const status = (n: NsNode): Promise<Json> => n.json('/api/v1/status');
const peersOf = async (n: NsNode): Promise<Json[]> => (await n.json('/api/v1/peers')).peers;

async function mineOn(n: NsNode): Promise<Json> {
  const r = await n.post('/api/v1/mine');
  if (r.status !== 201) throw new Error(`mine on ${n.host.ip}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

async function pay(from: NsNode, recipient: string, amount: number): Promise<string> {
  const r = await from.post('/transactions/new', { recipient, amount });
  if (r.status !== 201) throw new Error(`pay from ${from.host.ip}: HTTP ${r.status} ${r.text}`);
  return r.body.txid;
}

const mempoolIds = async (n: NsNode): Promise<string[]> =>
  (await n.json('/api/v1/mempool')).txs.map((t: Json) => t.txid);

function waitForTip(nodes: NsNode[], tip: string, what: string, timeoutMs = 20_000) {
  return waitUntil(
    async () => (await Promise.all(nodes.map(status))).every((s) => s.tip === tip),
    what,
    timeoutMs,
  );
}

async function waitForMempool(nodes: NsNode[], txids: string[], what: string, timeoutMs = 15_000) {
  const missing = async () =>
    (await Promise.all(nodes.map(mempoolIds)))
      .map((ids, i) => ({ node: nodes[i]!.host.ip, missing: txids.filter((t) => !ids.includes(t)) }))
      .filter((m) => m.missing.length > 0);
  await waitUntil(async () => (await missing()).length === 0, what, timeoutMs).catch(async (e) => {
    throw new Error(`${(e as Error).message}; missing: ${JSON.stringify(await missing())}`);
  });
}

/**
 * Keeps a cut in place until the `watchers` no longer list any of the peers on the other side (they have
 * noticed the dead connections), at most `timeoutMs`: the heal then has to reconnect, not just resume TCP.
 */
async function untilDropped(watchers: NsNode[], gone: NsNode[], timeoutMs = 30_000): Promise<void> {
  const ids = new Set(gone.map((n) => n.peerId));
  await waitUntil(
    async () => (await Promise.all(watchers.map(peersOf))).every((ps) => ps.every((p) => !ids.has(p.id))),
    'the dead connections to be dropped',
    timeoutMs,
    500,
  ).catch(() => undefined);
}

/** The confirming block of `txid` on the node's active chain, or undefined. */
async function confirmedIn(n: NsNode, txid: string): Promise<Json | undefined> {
  const r = await n.get(`/api/v1/tx/${txid}`);
  return r.status === 200 && r.body.block && r.body.confirmations > 0 ? r.body.block : undefined;
}

/** Sum of the unspent outputs of the node's active chain, walked from genesis; fails on a missing coin. */
async function coinsInExistence(n: NsNode): Promise<{ supply: bigint; height: number }> {
  const { height } = await status(n);
  const coins = new Map<string, bigint>();
  for (let h = 0; h <= height; h++) {
    const block = await n.json(`/api/v1/blocks/${h}`);
    for (const tx of block.txs) {
      if (!tx.coinbase) {
        for (const input of tx.inputs) {
          const key = `${input.prevTxid}:${input.prevIndex}`;
          if (!coins.delete(key)) throw new Error(`block ${h} spends ${key}, which is not unspent`);
        }
      }
      for (const o of tx.outputs) coins.set(`${tx.txid}:${o.index}`, BigInt(o.amount));
    }
  }
  return { supply: [...coins.values()].reduce((a, b) => a + b, 0n), height };
}

describe.skipIf(unavailable !== undefined)('five nodes on separate hosts (network namespaces)', () => {
  let lab: NetLab;
  let nodes: NsNode[];
  let hostileHost: Host;
  let hostile: NsHostilePeer | undefined;
  let genesis: string;
  const [first, , , , last] = [0, 1, 2, 3, 4].map((i) => () => nodes[i]!);

  beforeAll(async () => {
    lab = NetLab.create({ groups: 2 });
    const hosts = [0, 0, 0, 1, 1].map((g) => lab.addHost(g));
    hostileHost = lab.addHost(0);
    const n1 = await startNsNode(hosts[0]!);
    const rest = await Promise.all(hosts.slice(1).map((h) => startNsNode(h, { peers: [n1.multiaddr] })));
    nodes = [n1, ...rest];
    genesis = (await status(n1)).genesis;
  }, 120_000);

  afterAll(async () => {
    await cleanupNetns();
  }, 60_000);

  describe('holds with the peers each node was given', () => {
    it('each node listens on its own address and connects to the first node, the one it was given', async () => {
      const ips = new Set(nodes.map((n) => n.host.ip));
      expect(ips.size).toBe(5);
      for (const n of nodes) expect(n.multiaddr).toContain(`/ip4/${n.host.ip}/tcp/`);
      for (const n of nodes.slice(1)) {
        await waitUntil(
          async () => (await peersOf(n)).some((p) => p.id === first().peerId),
          `${n.host.ip} to connect to the first node`,
        );
      }
      // The first node sees each of them coming from its own address.
      const seen = (await peersOf(first())).map((p) => p.address as string);
      for (const n of nodes.slice(1)) expect(seen.some((a) => a.startsWith(`/ip4/${n.host.ip}/`))).toBe(true);
    });

    it('a block and a transaction from the last node reach all nodes', async () => {
      const funding = await mineOn(last());
      await waitForTip(nodes, funding.hash, 'every node at the last node’s first block');
      const txid = await pay(last(), (await status(first())).walletAddress, 5_000);
      await waitForMempool(nodes, [txid], 'the last node’s transaction in every mempool');
      const block = await mineOn(last());
      expect(block.txs.map((t: Json) => t.txid)).toContain(txid);
      await waitForTip(nodes, block.hash, 'every node at the block that confirms it');
      for (const n of nodes) expect((await confirmedIn(n, txid))?.hash).toBe(block.hash);
    });

    it('a hostile host that gossips invalid blocks is dropped and refused by the first node', async () => {
      hostile = await startNsHostilePeer(hostileHost, genesis);
      const connected = await hostile.command('connect', { addr: first().multiaddr });
      expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true });
      await waitUntil(
        async () => (await peersOf(first())).some((p) => p.id === hostile!.peerId),
        'the first node to list the hostile peer',
      );
      for (let i = 1n; i <= 4n; i++) {
        const bad = buildBlock({
          parentHash: genesis,
          height: 1,
          time: Math.floor(Date.now() / 1000),
          minerAddress: BURN_ADDRESS,
          extraNonce: i,
          badPow: true,
        });
        await hostile.command('gossip', { topic: 'blocks', hex: bad.hex });
      }
      await waitUntil(
        async () => !(await peersOf(first())).some((p) => p.id === hostile!.peerId),
        'the first node to drop the hostile peer',
      );
      const banLine = (l: string) => l.includes('peer banned') && l.includes(hostile!.peerId);
      await waitUntil(
        async () => first().logs().split('\n').some(banLine),
        'the ban in the first node’s log',
        5_000,
      );
      const again = await hostile.command('connect', { addr: first().multiaddr });
      expect(again.ok).toBe(false);
      // Honest nodes are unharmed: still on one chain.
      const tips = new Set((await Promise.all(nodes.map(status))).map((s) => s.tip));
      expect(tips.size).toBe(1);
    });
  });

  describe('needs peer discovery, mempool exchange and bans by address (src/p2p)', () => {
    it(`every node reaches at least ${MIN_PEERS} peers`, async () => {
      const counts = async () => Promise.all(nodes.map(async (n) => (await peersOf(n)).length));
      await waitUntil(
        async () => (await counts()).every((c) => c >= MIN_PEERS),
        `every node to have ${MIN_PEERS} peers`,
      ).catch(async (e) => {
        throw new Error(`${(e as Error).message}; peer counts: ${(await counts()).join(', ')}`);
      });
    });

    it('with the first node’s cable pulled the others converge; plugged back, it catches up', async () => {
      const others = nodes.slice(1);
      const before = (await status(first())).tip;
      lab.setLink(first().host, false);
      try {
        const a = await mineOn(nodes[2]!);
        await waitForTip(others, a.hash, 'the other four at the third node’s block');
        const b = await mineOn(last());
        await waitForTip(others, b.hash, 'the other four at the last node’s block');
        // The cut was real: the first node, asked from inside its namespace, saw neither block.
        const cut = await fetchInNs(first().host.ns, `${first().url}/api/v1/status`);
        expect(cut.body.tip).toBe(before);
        await untilDropped(others, [first()]);
        lab.setLink(first().host, true);
        await waitForTip([first()], b.hash, 'the first node to catch up', 60_000);
      } finally {
        lab.setLink(first().host, true);
      }
    });

    it('a banned host cannot come back under a new peer id', async () => {
      expect(hostile, 'the hostile host was banned above').toBeDefined();
      await hostile!.stop();
      const bannedId = hostile!.peerId;
      hostile = await startNsHostilePeer(hostileHost, genesis);
      expect(hostile.peerId).not.toBe(bannedId);
      const back = await hostile.command('connect', { addr: first().multiaddr });
      const fromHost = (await peersOf(first())).filter((p) =>
        (p.address as string).startsWith(`/ip4/${hostileHost.ip}/`),
      );
      const listing = await first().json('/api/v1/peers');
      await hostile.stop();
      expect(back.ok, `the new peer id was let in: ${JSON.stringify(back)}`).toBe(false);
      expect(fromHost).toEqual([]);
      if (listing.bans !== undefined) {
        expect(listing.bans.some((b: Json) => b.ip === hostileHost.ip)).toBe(true);
      }
    });

    it('split in two, both sides mine and pay; after the heal every transaction is confirmed', async () => {
      const [n1, n2, n3, n4, n5] = nodes as [NsNode, NsNode, NsNode, NsNode, NsNode];
      const addr = async (n: NsNode) => (await status(n)).walletAddress as string;
      // Whatever the tests before left behind (a pulled cable's dropped connections): connected again.
      await waitUntil(
        async () => (await Promise.all(nodes.slice(1).map(peersOf))).every((ps) => ps.length > 0),
        'every node connected again',
        60_000,
      );
      // Both payers hold coins of the shared chain before the split (coinbase maturity is 1 on regtest).
      await mineOn(n1);
      const shared = await mineOn(n4);
      await waitForTip(nodes, shared.hash, 'every node at the shared tip');

      lab.setTrunk(false);
      try {
        const a1 = await pay(n1, await addr(n3), 10_000);
        await waitForMempool([n2, n3], [a1], 'a1 across the first side');
        for (const miner of [n2, n3, n2]) await mineOn(miner);
        const winner = (await status(n2)).tip;
        await waitForTip([n1, n2, n3], winner, 'the first side at its 3-block tip');
        expect(await confirmedIn(n1, a1)).toBeDefined();
        const a2 = await pay(n1, await addr(n2), 20_000);
        await waitForMempool([n2, n3], [a2], 'a2 across the first side');

        const b1 = await pay(n4, await addr(n5), 30_000);
        await waitForMempool([n5], [b1], 'b1 across the second side');
        const loser = await mineOn(n5);
        expect(loser.txs.map((t: Json) => t.txid)).toContain(b1);
        await waitForTip([n4, n5], loser.hash, 'the second side at its 1-block tip');
        const b2 = await pay(n4, await addr(n5), 40_000);
        await waitForMempool([n5], [b2], 'b2 across the second side');
        expect((await status(n4)).tip).toBe(loser.hash); // nothing crossed the split
        expect((await status(n1)).tip).toBe(winner);

        await untilDropped([n4, n5], [n1, n2, n3]);
        lab.setTrunk(true);
        await waitForTip(nodes, winner, 'every node on the longer side’s chain', 60_000);
        await waitForMempool(
          [n1],
          [a2, b1, b2],
          'the pending and the abandoned transactions at the first node',
        );
        const confirming = await mineOn(n1);
        await waitForTip(nodes, confirming.hash, 'every node at the confirming block');
        for (const txid of [a1, a2, b1, b2]) {
          for (const n of [n1, n5])
            expect(await confirmedIn(n, txid), `${txid} on ${n.host.ip}`).toBeDefined();
        }
        const { supply, height } = await coinsInExistence(n1);
        let subsidies = 0n;
        for (let h = 0; h <= height; h++) subsidies += blockSubsidy(regtest, h);
        expect(supply).toBe(subsidies);
      } finally {
        lab.setTrunk(true);
      }
    }, 180_000);
  });
});
