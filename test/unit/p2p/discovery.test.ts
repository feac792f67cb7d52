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
