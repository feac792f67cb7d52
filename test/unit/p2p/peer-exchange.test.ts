// Peer exchange: what a node tells a new peer of its other peers, and what it takes from a peer
// that lies (its own address, ours, garbage, too many).
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameStream } from '../../../src/p2p/framing.js';
import type { Host } from '../../../src/p2p/host.js';
import { generatePeerKey, peerIdOf } from '../../../src/p2p/keys.js';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import { decodePeerAddrs, encodePeerAddrs, parseToldAddr } from '../../../src/p2p/peer-exchange.js';
import { LIMITS, protocolIds } from '../../../src/p2p/protocol.js';
import { FakeChain } from './fake-chain.js';
import { connect, Nodes, statusOnlyHost, waitFor } from './helpers.js';

const nodes = new Nodes();
const raws: Host[] = [];
afterEach(async () => {
  await Promise.allSettled(raws.splice(0).map((h) => h.stop()));
  await nodes.stopAll();
});

const ids = protocolIds('regtest');
const utf8 = new TextEncoder();
const ready = (net: P2PNetwork) => net.peers().filter((p) => p.height >= 0);

/** A bare host that passes the status handshake and answers peer exchange with `answer`. */
async function rawPeer(chain: FakeChain, answer: () => Uint8Array): Promise<Host> {
  const host = await statusOnlyHost(chain);
  raws.push(host);
  await host.handle(ids.peers, async (stream) => {
    const frames = new FrameStream(stream, 0);
    await frames.write(answer());
    await frames.closeWrite();
  });
  return host;
}

/** Asks `target` for its peers the way a node does. */
async function askPeers(host: Host, target: string): Promise<string[]> {
  const stream = await host.dialProtocol(multiaddr(target), ids.peers);
  const frames = new FrameStream(stream, LIMITS.maxPeerAddrsFrame);
  await frames.closeWrite();
  const frame = await frames.read(AbortSignal.timeout(10_000));
  if (frame === null) throw new Error('no answer');
  return decodePeerAddrs(frame);
}

describe('peer exchange frames', () => {
  it('decodes a list of addresses and refuses anything else', () => {
    const addrs = ['/ip4/10.0.0.2/tcp/4001/p2p/12D3KooWA'];
    expect(decodePeerAddrs(encodePeerAddrs(addrs))).toEqual(addrs);
    const many = Array.from({ length: LIMITS.maxExchangedAddrs + 1 }, (_, i) => `/ip4/10.0.0.${i}/tcp/1`);
    expect(decodePeerAddrs(encodePeerAddrs(many))).toHaveLength(LIMITS.maxExchangedAddrs);
    expect(() => decodePeerAddrs(utf8.encode(JSON.stringify(many)))).toThrow(/too many/);
    expect(() => decodePeerAddrs(utf8.encode('{"a":1}'))).toThrow(/not an array/);
    expect(() => decodePeerAddrs(utf8.encode('[1]'))).toThrow(/address/);
    expect(() => decodePeerAddrs(utf8.encode(JSON.stringify(['x'.repeat(300)])))).toThrow(/address/);
    expect(() => decodePeerAddrs(utf8.encode('not json'))).toThrow(/not JSON/);
  });

  it('keeps only dialable addresses with one valid peer id', async () => {
    const id = peerIdOf(await generatePeerKey());
    const good = parseToldAddr(`/ip4/10.0.0.2/tcp/4001/p2p/${id}`);
    expect(good?.id.toString()).toBe(id);
    expect(good?.addr.toString()).toBe('/ip4/10.0.0.2/tcp/4001');
    expect(parseToldAddr('/ip4/10.0.0.2/tcp/4001')).toBeUndefined();
    expect(parseToldAddr(`/ip4/0.0.0.0/tcp/4001/p2p/${id}`)).toBeUndefined();
    expect(parseToldAddr('/ip4/10.0.0.2/tcp/4001/p2p/notAPeerId')).toBeUndefined();
    expect(parseToldAddr(`/ip4/10.0.0.2/tcp/1/p2p/${id}/p2p-circuit/p2p/${id}`)).toBeUndefined();
    expect(parseToldAddr(`/garbage/p2p/${id}`)).toBeUndefined();
  });
});

describe('peer exchange between hosts', () => {
  it("tells an asker its other peers' addresses, not the asker's own, and once per 10 s", async () => {
    const hub = await nodes.start(new FakeChain());
    const b = await nodes.start(new FakeChain());
    const c = await nodes.start(new FakeChain());
    await connect(b, hub);
    await connect(c, hub);
    const raw = await rawPeer(new FakeChain(), () => encodePeerAddrs([]));
    await raw.dial(multiaddr(hub.addrs()[0]));
    await waitFor(() => ready(hub).length === 3, 'the raw peer ready with the hub');

    const told = await askPeers(raw, hub.addrs()[0]);
    const peerIds = told.map((a) => a.split('/p2p/')[1]);
    expect(new Set(peerIds)).toEqual(new Set([b.peerId, c.peerId]));
    expect(told).toContain(b.addrs()[0]);
    expect(told).toContain(c.addrs()[0]);
    expect(await askPeers(raw, hub.addrs()[0])).toEqual([]);
  });

  it("a lying peer's list only teaches addresses: ours and its own are ignored, the rest dialled", async () => {
    const chain = new FakeChain();
    const honest = await nodes.start(new FakeChain());
    let newcomer: P2PNetwork | undefined;
    const raw = await rawPeer(chain, () =>
      encodePeerAddrs([
        ...(newcomer?.addrs() ?? []),
        `/ip4/127.0.0.1/tcp/1/p2p/${raw.peerId}`,
        '/ip4/127.0.0.1/tcp/1',
        '/dns4/nowhere/p2p/junk',
        honest.addrs()[0],
      ]),
    );
    const rawAddr = `${raw.getMultiaddrs()[0].toString()}`;
    newcomer = await nodes.start(chain, { minPeers: 4, bootstrap: [rawAddr] });
    await waitFor(() => ready(newcomer).length === 2, 'the newcomer connected to the honest peer');
    const known = await newcomer.knownPeers();
    expect(known.map((p) => p.id).sort()).toEqual([honest.peerId, raw.peerId.toString()].sort());
    expect(known.find((p) => p.id === raw.peerId.toString())?.addrs.some((a) => a.includes('/tcp/1/'))).toBe(
      false,
    );
    expect(newcomer.peers().find((p) => p.id === raw.peerId.toString())?.score).toBe(100);
  });

  it('a malformed or oversized list costs the sender points', async () => {
    const chain = new FakeChain();
    const oversized = Array.from(
      { length: LIMITS.maxExchangedAddrs + 1 },
      (_, i) => `/ip4/10.0.0.${i}/tcp/1`,
    );
    for (const answer of [utf8.encode('not json'), utf8.encode(JSON.stringify(oversized))]) {
      const raw = await rawPeer(chain, () => answer);
      const net = await nodes.start(chain, { minPeers: 4, bootstrap: [raw.getMultiaddrs()[0].toString()] });
      const id = raw.peerId.toString();
      await waitFor(() => (net.peers().find((p) => p.id === id)?.score ?? 100) < 100, 'the liar penalized');
      expect((await net.knownPeers()).map((p) => p.id)).toEqual([id]);
    }
  });
});
