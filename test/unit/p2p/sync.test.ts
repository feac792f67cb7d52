import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import { blockHashOf } from '../../../src/p2p/header.js';
import type { Host } from '../../../src/p2p/host.js';
import { IncompatiblePeerError } from '../../../src/p2p/network.js';
import { TIP_ANNOUNCE_MS } from '../../../src/p2p/peer-status.js';
import type { SyncProgress } from '../../../src/p2p/types.js';
import { FakeChain, makeBlock, makeGenesis } from './fake-chain.js';
import { connect, Nodes, statusOnlyHost, waitFor } from './helpers.js';

const nodes = new Nodes();
const hosts: Host[] = [];
afterEach(async () => {
  await Promise.allSettled(hosts.splice(0).map((h) => h.stop()));
  await nodes.stopAll();
});

/** A chain with `count` blocks, identical across calls (same payloads, same hashes). */
function chainOf(count: number): FakeChain {
  const chain = new FakeChain();
  chain.extend(count);
  return chain;
}

describe('headers-first sync', () => {
  it('syncs 3,000 blocks from genesis when a peer with more work connects', async () => {
    const chainA = chainOf(3000);
    const chainB = new FakeChain();
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    const progress: SyncProgress[] = [];
    b.on('sync:progress', (p) => progress.push(p));

    await b.dial(a.addrs()[0]);
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to reach A’s tip', 60_000);

    expect(chainB.tip().height).toBe(3000);
    const fromA = chainB.submissions.filter((s) => s.from === a.peerId);
    expect(fromA).toHaveLength(3000); // every block fetched once, none twice
    expect(fromA.every((s) => s.status === 'accepted')).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ peer: a.peerId, ourHeight: 3000 });
    await waitFor(() => !b.syncStatus().syncing, 'sync to end');
    expect(b.syncStatus()).toEqual({ syncing: false, peerHeight: 3000, ourHeight: 3000, progress: 1 });
  });

  it('asks for the headers after the download’s target before its blocks are all in, and extends it', async () => {
    const chainA = chainOf(7000);
    const chainB = new FakeChain();
    // B's height when A answered each request for headers, and how many A sent.
    const answers: { height: number; headers: number }[] = [];
    const headersAfter = chainA.headersAfter.bind(chainA);
    chainA.headersAfter = async (locator, max) => {
      const headers = await headersAfter(locator, max);
      answers.push({ height: chainB.tip().height, headers: headers.length });
      return headers;
    };
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await b.dial(a.addrs()[0]);
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to reach A’s tip', 60_000);
    await waitFor(() => !b.syncStatus().syncing, 'sync to end');
    // The last answer was not full: nothing more to ask (another round, if any, finds nothing new).
    expect(answers.slice(0, 4).map((x) => x.headers)).toEqual([2000, 2000, 2000, 1000]);
    expect(answers.slice(4).every((x) => x.headers === 0)).toBe(true);
    // Each next answer was asked for while blocks of those before it were still to come.
    let sent = 0;
    for (const { height, headers } of answers.slice(0, 4)) {
      if (sent > 0) expect(height).toBeLessThan(sent);
      sent += headers;
    }
    expect(chainB.submissions).toHaveLength(7000); // every block fetched once, none twice
  });

  it('downloads from several peers at once, each block once', async () => {
    const servers = [chainOf(2500), chainOf(2500), chainOf(2500)];
    const chainB = new FakeChain();
    const peers = await Promise.all(servers.map((chain) => nodes.start(chain)));
    const b = await nodes.start(chainB, { syncBatchSize: 32 });
    await Promise.all(peers.map((p) => b.dial(p.addrs()[0])));
    await waitFor(() => chainB.tip().hash === servers[0].tip().hash, 'B to reach the tip', 60_000);

    const from = new Map<string, number>();
    for (const s of chainB.submissions) from.set(s.from ?? '', (from.get(s.from ?? '') ?? 0) + 1);
    expect(chainB.submissions).toHaveLength(2500); // none twice
    expect(chainB.submissions.every((s) => s.status === 'accepted')).toBe(true);
    // More than one peer served blocks.
    expect([...from.keys()].filter((id) => peers.some((p) => p.peerId === id)).length).toBeGreaterThan(1);
  });

  it('downloads only what is missing when B has a prefix and a lighter fork', async () => {
    const chainA = chainOf(2500);
    const chainB = chainOf(1000);
    chainB.extend(3, 'fork'); // B's own blocks 1001..1003, unknown to A
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB, { syncBatchSize: 50 });
    await connect(b, a);
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to reach A’s tip', 60_000);

    const fromA = chainB.submissions.filter((s) => s.from === a.peerId);
    expect(fromA).toHaveLength(1500);
    expect(chainB.activeHashes()).toEqual(chainA.activeHashes());
  });

  it('a peer claiming more work than its headers show loses points, and nothing is downloaded', async () => {
    const liar = chainOf(10);
    liar.extend(3, 'theirs');
    const tip = liar.tip.bind(liar);
    liar.tip = () => ({ ...tip(), chainWork: 1_000_000n }); // its status claims far more work
    const chainB = chainOf(10);
    chainB.extend(8, 'ours');
    const a = await nodes.start(liar);
    const b = await nodes.start(chainB);
    await connect(b, a);
    await waitFor(() => b.peers()[0]?.score === 80, 'the claim to cost A 20 points');
    expect(chainB.submissions).toEqual([]);
    expect(chainB.tip().height).toBe(18);
  });

  it('syncs large blocks whose batch exceeds the per-response byte cap', async () => {
    const chainA = new FakeChain();
    // The first request asks for 16 blocks (sizes unknown yet): 9.6 MB, over the 8 MB cap.
    const filler = 'x'.repeat(600_000);
    for (let h = 1; h <= 40; h++) chainA.connectUnchecked(makeBlock(chainA.tip().hash, `${h}:${filler}`, h));
    const chainB = new FakeChain();
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to reach A’s tip', 60_000);
    expect(chainB.submissions.filter((s) => s.from === a.peerId)).toHaveLength(40);
    expect(b.peers()[0].score).toBe(100);
  });

  it('syncs when a connected peer announces a better tip', async () => {
    const chainA = chainOf(10);
    const chainB = chainOf(10);
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    chainA.extend(30); // mined without gossip: only the status refresh tells B
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to follow A', 30_000);
    await waitFor(() => a.peers()[0]?.height === 40, 'A to learn B’s new height');
  });

  it('announces the tip on the chain’s tip event, with no polling', async () => {
    const chainA = chainOf(10);
    const chainB = chainOf(10);
    chainA.quiet = true; // tip changes are not reported
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    chainA.extend(5);
    // The old one-second poll would have announced this by now.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(b.peers()[0].height).toBe(10);
    expect(chainB.tip().height).toBe(10);
    chainA.quiet = false;
    chainA.extend(1); // the event fires: A announces, B syncs all six
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to follow A after the event');
    expect(b.peers()[0].height).toBe(16);
  });

  it('announces a burst of tip changes at once, then once more with the last tip a second later', async () => {
    const clock = new ManualClock(Date.now());
    const chainA = chainOf(10);
    const a = await nodes.start(chainA, { clock });
    const heard: number[] = [];
    // It answers the number of statuses it heard before: A's view of it says which exchange A finished.
    const peer = await statusOnlyHost(chainA, {
      heard: (status) => heard.push(status.height),
      height: () => heard.length,
    });
    hosts.push(peer);
    const answered = (n: number) => a.peers().some((p) => p.id === peer.peerId.toString() && p.height === n);
    await peer.dial(multiaddr(a.addrs()[0]!));
    await waitFor(() => answered(0), 'the handshake');
    chainA.extend(1); // the first change is told at once
    await waitFor(() => answered(1), 'the first announcement');
    chainA.extend(5); // within the second: each would be told alone, they are merged
    clock.advance(TIP_ANNOUNCE_MS - 1);
    chainA.extend(1);
    clock.advance(1);
    await waitFor(() => heard.length === 3, 'the merged announcement');
    expect(heard).toEqual([10, 11, 17]);
  });

  it('remembers the addresses of good peers for the next start', async () => {
    const a = await nodes.start(chainOf(1));
    const b = await nodes.start(chainOf(1));
    await connect(b, a);
    expect(await b.knownAddrs()).toEqual(a.addrs());
    // A learns B's listening address (not the ephemeral source port) from identify.
    await waitFor(async () => (await a.knownAddrs()).length > 0, 'identify');
    expect(await a.knownAddrs()).toEqual(b.addrs());
  });

  it('syncWith() runs one round on demand and reports the blocks accepted', async () => {
    const chainA = chainOf(300);
    const chainB = chainOf(300);
    chainA.quiet = true; // A does not announce its new tip
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    chainA.extend(40);
    expect(await b.syncWith(a.peerId)).toEqual({ blocks: 40 });
    expect(chainB.tip().hash).toBe(chainA.tip().hash);
    expect(await b.syncWith()).toEqual({ blocks: 0 });
  });

  it('an orphan block from gossip makes B sync its ancestors from the sender', async () => {
    const chainA = chainOf(20);
    const chainB = chainOf(20);
    chainA.quiet = true;
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    await waitFor(() => a.meshPeers('blocks').includes(b.peerId), 'mesh');

    chainA.extend(5); // mined, not announced
    const block = chainA.nextBlock();
    await chainA.submitBlock(block);
    await a.publishBlock(block);
    const hash = blockHashOf(block);
    await waitFor(() => chainB.tip().hash === hash, 'B to connect the gossiped block', 30_000);
    expect(chainB.submissions.find((s) => s.hash === hash)?.status).toBe('orphan');
    expect(chainB.tip().height).toBe(26);
  });

  it('does not connect peers with another genesis or another network', async () => {
    const chainA = new FakeChain('regtest');
    const other = new FakeChain('regtest', makeGenesis('another'));
    const dev = new FakeChain('dev');
    const a = await nodes.start(chainA);
    const b = await nodes.start(other);
    const c = await nodes.start(dev);

    await expect(b.dial(a.addrs()[0])).rejects.toThrow(IncompatiblePeerError);
    // Every network shares the status handshake, so the refusal names the other network.
    await expect(c.dial(a.addrs()[0])).rejects.toThrow(
      /peer is on another network: regtest \(genesis [0-9a-f]{8}…\), this node is on dev/,
    );
    await waitFor(
      () => a.peers().length === 0 && b.peers().length === 0 && c.peers().length === 0,
      'everyone to hang up',
    );
    expect(await a.knownAddrs()).toEqual([]);
  });
});
