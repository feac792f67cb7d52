// A network with a WebSockets port: its /ws address next to the TCP one, the relay service running,
// and a taken WebSockets port named as such.
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_LIMITS } from '../../../src/p2p/circuit-relay.js';
import { createNodeHost } from '../../../src/p2p/host-node.js';
import { P2PNetwork, P2PPortInUseError } from '../../../src/p2p/network.js';
import { relayService } from '../../../src/p2p/relay-service.js';
import { startWsClient, type WsClient } from '../../support/ws-client.js';
import { FakeChain } from './fake-chain.js';
import { Nodes, waitFor } from './helpers.js';

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

describe('relay reservations', () => {
  const clients: WsClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
  });

  it('are bounded from 1 to 256 (default RELAY_LIMITS.maxReservations)', () => {
    for (const bad of [0, 257, 1.5]) expect(() => relayService(bad)).toThrow(/from 1 to 256/);
    expect(() => relayService()).not.toThrow();
    expect(RELAY_LIMITS.maxReservations).toBe(32);
  });

  it('a node holds at most relayReservations of them', async () => {
    const chain = new FakeChain();
    const node = await nodes.start(chain, { wsPort: 0, relayReservations: 1 });
    const ws = node.addrs().find((x) => x.includes('/ws/'))!;
    const client = async () => {
      const c = await startWsClient({ network: chain.network, genesisHash: chain.genesisHash, relay: true });
      clients.push(c);
      await c.connect(ws);
      return c;
    };
    const a = await client();
    await waitFor(() => a.addrs().some((x) => x.includes('/p2p-circuit/')), 'the first reservation', 20_000);
    expect(node.relayReservations()).toBe(1);
    // libp2p takes at most 5 connections a second from one address.
    await new Promise((r) => setTimeout(r, 1_100));
    const b = await client();
    // The second asks at once and is refused; a few seconds show it holds none.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(b.addrs().some((x) => x.includes('/p2p-circuit/'))).toBe(false);
    expect(node.relayReservations()).toBe(1);
  }, 60_000);
});
