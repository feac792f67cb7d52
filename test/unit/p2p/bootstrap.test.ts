import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHost } from '../../../src/p2p/host-node.js';
import { generatePeerKey } from '../../../src/p2p/keys.js';
import { P2PNetwork, P2PPortInUseError } from '../../../src/p2p/network.js';
import type { PeerInfo } from '../../../src/p2p/types.js';
import { FakeChain } from './fake-chain.js';
import { isPeerOf, Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

describe('bootstrap peers', () => {
  it('dials bootstrap peers at start and redials them after they come back', async () => {
    const key = await generatePeerKey();
    const chainA = new FakeChain();
    chainA.extend(3);
    let a = await nodes.start(chainA, { privateKey: key });
    const addr = a.addrs()[0];
    const port = Number(addr.split('/tcp/')[1].split('/')[0]);

    const chainB = new FakeChain();
    const connects: PeerInfo[] = [];
    const disconnects: string[] = [];
    const b = await nodes.start(chainB, { bootstrap: [addr], reconnectMs: 100 });
    b.on('peer:connect', (info) => connects.push(info));
    b.on('peer:disconnect', (id) => disconnects.push(id));
    await waitFor(() => isPeerOf(b, a) && chainB.tip().height === 3, 'B to connect and sync');

    await a.stop();
    await waitFor(() => disconnects.length === 1, 'B to notice');
    expect(disconnects).toEqual([a.peerId]);
    chainA.extend(2);
    a = await nodes.start(chainA, { privateKey: key, port });
    await waitFor(() => isPeerOf(b, a) && chainB.tip().height === 5, 'B to reconnect and sync', 20_000);
    expect(connects.map((c) => [c.id, c.direction])).toEqual([
      [a.peerId, 'outbound'],
      [a.peerId, 'outbound'],
    ]);
  });

  it('a used port gives a one-line error naming the flag', async () => {
    const a = await nodes.start(new FakeChain());
    const port = Number(a.addrs()[0].split('/tcp/')[1].split('/')[0]);
    const second = new P2PNetwork({ chain: new FakeChain(), createHost: createNodeHost, port });
    const err = await second.start().then(
      () => undefined,
      (e: Error) => e,
    );
    await second.stop();
    expect(err).toBeInstanceOf(P2PPortInUseError);
    expect(err?.message).toBe(`P2P port ${port} is already in use: choose another with --p2p-port`);
  });
});
