// A network with a WebSockets port: its /ws address next to the TCP one, the relay service running,
// and a taken WebSockets port named as such.
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHost } from '../../../src/p2p/host-node.js';
import { P2PNetwork, P2PPortInUseError } from '../../../src/p2p/network.js';
import { FakeChain } from './fake-chain.js';
import { Nodes } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

const portOf = (addr: string) => Number(addr.split('/tcp/')[1]!.split('/')[0]);

describe('wsPort', () => {
  it('listens on WebSockets next to TCP, with the relay service', async () => {
    const a = await nodes.start(new FakeChain(), { wsPort: 0 });
    const ws = a.addrs().filter((x) => x.includes('/ws/'));
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/${a.peerId}$`));
    expect(a.addrs().filter((x) => !x.includes('/ws/'))).toHaveLength(1);
    expect(a.relayReservations()).toBe(0);
  });

  it('has neither without it', async () => {
    const a = await nodes.start(new FakeChain());
    expect(a.addrs().some((x) => x.includes('/ws'))).toBe(false);
  });

  it('a taken WebSockets port gives a one-line error naming --ws-port', async () => {
    const a = await nodes.start(new FakeChain(), { wsPort: 0 });
    const wsPort = portOf(a.addrs().find((x) => x.includes('/ws/'))!);
    const second = new P2PNetwork({ chain: new FakeChain(), createHost: createNodeHost, wsPort });
    const err = await second.start().then(
      () => undefined,
      (e: Error) => e,
    );
    await second.stop();
    expect(err).toBeInstanceOf(P2PPortInUseError);
    expect(err?.message).toBe(`WebSockets port ${wsPort} is already in use: choose another with --ws-port`);
  });
});
