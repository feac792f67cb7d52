// Peer exchange: hosts given only the first host's address learn of each other (pubsub peer
// discovery over gossipsub) and the dialer connects them, so the network is no star around the
// first host and survives its departure.
import { afterEach, describe, expect, it } from 'vitest';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import { FakeChain } from './fake-chain.js';
import { Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

const ready = (net: P2PNetwork) => net.peers().filter((p) => p.height >= 0);

const discovering = { minPeers: 4, discoveryIntervalMs: 300, dialIntervalMs: 200, reconnectMs: 200 };

describe('peer discovery', () => {
  it('hosts bootstrapped only from the first find each other, and stay connected without it', async () => {
    const first = await nodes.start(new FakeChain(), discovering);
    const others: P2PNetwork[] = [];
    for (let i = 0; i < 3; i++) {
      others.push(await nodes.start(new FakeChain(), { ...discovering, bootstrap: [first.addrs()[0]] }));
    }
    const all = [first, ...others];
    await waitFor(() => all.every((n) => ready(n).length === 3), 'every host connected to all three others');
    for (const n of others) {
      const ids = ready(n).map((p) => p.id);
      expect(ids).toContain(first.peerId);
      expect(ids.filter((id) => id !== first.peerId)).toHaveLength(2);
    }
    const known = await others[0].knownPeers();
    expect(known.map((p) => p.id).sort()).toEqual([first.peerId, others[1].peerId, others[2].peerId].sort());

    await first.stop();
    await waitFor(() => others.every((n) => !ready(n).some((p) => p.id === first.peerId)), 'first host gone');
    for (const n of others) expect(ready(n)).toHaveLength(2);
  });

  it('a host joining a formed network knowing one address soon reaches two peers', async () => {
    // The three want no more peers, so the newcomer must learn of them itself. Their discovery
    // records went out when they met, and gossipsub drops a record it saw in the last two minutes.
    const settled = { ...discovering, minPeers: 2 };
    const first = await nodes.start(new FakeChain(), settled);
    const others: P2PNetwork[] = [];
    for (let i = 0; i < 2; i++) {
      others.push(await nodes.start(new FakeChain(), { ...settled, bootstrap: [first.addrs()[0]] }));
    }
    const formed = [first, ...others];
    await waitFor(() => formed.every((n) => ready(n).length === 2), 'the three connected');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // several discovery rounds

    const joined = Date.now();
    // The dialer's own pace (a look every 5 s): what is learned must set it off.
    const fresh = await nodes.start(new FakeChain(), { minPeers: 4, bootstrap: [others[1].addrs()[0]] });
    await waitFor(() => ready(fresh).length >= 2, 'the newcomer with two peers', 8_000);
    expect(Date.now() - joined).toBeLessThan(8_000);
    const peers = ready(fresh);
    expect(peers.map((p) => p.id)).toContain(others[1].peerId);
    // It dialled them: they wanted no more peers.
    expect(peers.every((p) => p.direction === 'outbound')).toBe(true);
  });

  it('without discovery dialling (minPeers 0) the same start is a star', async () => {
    const first = await nodes.start(new FakeChain());
    const others: P2PNetwork[] = [];
    for (let i = 0; i < 3; i++) {
      others.push(await nodes.start(new FakeChain(), { bootstrap: [first.addrs()[0]], reconnectMs: 200 }));
    }
    await waitFor(() => ready(first).length === 3, 'the star');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const n of others) expect(ready(n)).toHaveLength(1);
  });
});
