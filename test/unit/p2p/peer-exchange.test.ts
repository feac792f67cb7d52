// Peer exchange: the signed peer records a node tells a new peer of its other peers, and what it takes
// from a peer that lies (its own record, ours, a record passed off as another peer's, garbage, too many).
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameStream } from '../../../src/p2p/framing.js';
import type { Host } from '../../../src/p2p/host.js';
import { generatePeerKey, peerIdOf } from '../../../src/p2p/keys.js';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import { decodePeerRecords, encodePeerRecords, type ToldRecord } from '../../../src/p2p/peer-exchange.js';
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
async function askPeers(host: Host, target: string): Promise<ToldRecord[]> {
  const stream = await host.dialProtocol(multiaddr(target), ids.peers);
  const frames = new FrameStream(stream, LIMITS.maxPeerRecordsFrame);
  await frames.closeWrite();
  const frame = await frames.read(AbortSignal.timeout(10_000));
  if (frame === null) throw new Error('no answer');
  return decodePeerRecords(frame);
}

/** The signed record a host holds of a peer once identify ran with it. */
async function recordOf(host: Host, peer: string): Promise<Uint8Array> {
  let record: Uint8Array | undefined;
  await waitFor(async () => {
    record = (await host.peerStore.get(peerIdFromString(peer)).catch(() => undefined))?.peerRecordEnvelope;
    return record !== undefined;
  }, `the signed record of ${peer}`);
  return record!;
}

describe('peer exchange frames', () => {
  it('decodes a list of records and refuses anything else', () => {
    const records = [{ id: '12D3KooWA', record: Uint8Array.of(1, 2, 3) }];
    expect(decodePeerRecords(encodePeerRecords(records))).toEqual(records);
    const many = Array.from({ length: LIMITS.maxExchangedRecords + 1 }, (_, i) => ({
      id: `p${i}`,
      record: 'AA==',
    }));
    expect(
      decodePeerRecords(encodePeerRecords(many.map((r) => ({ id: r.id, record: Uint8Array.of(0) })))),
    ).toHaveLength(LIMITS.maxExchangedRecords);
    expect(() => decodePeerRecords(utf8.encode(JSON.stringify(many)))).toThrow(/too many/);
    expect(() => decodePeerRecords(utf8.encode('{"a":1}'))).toThrow(/not an array/);
    expect(() => decodePeerRecords(utf8.encode('[1]'))).toThrow(/entry/);
    expect(() => decodePeerRecords(utf8.encode('["/ip4/10.0.0.2/tcp/1/p2p/x"]'))).toThrow(/entry/);
    const long = 'A'.repeat(Math.ceil(LIMITS.maxSignedPeerRecordBytes / 3) * 4 + 4);
    expect(() => decodePeerRecords(utf8.encode(JSON.stringify([{ id: 'p', record: long }])))).toThrow(
      /entry/,
    );
    expect(() => decodePeerRecords(utf8.encode(JSON.stringify([{ id: 'p', record: '!!' }])))).toThrow(
      /base64/,
    );
    expect(() => decodePeerRecords(utf8.encode('not json'))).toThrow(/not JSON/);
  });
});

describe('peer exchange between hosts', () => {
  it("tells an asker its other peers' signed records, not the asker's own, and once per 10 s", async () => {
    const hub = await nodes.start(new FakeChain());
    const b = await nodes.start(new FakeChain());
    const c = await nodes.start(new FakeChain());
    await connect(b, hub);
    await connect(c, hub);
    const raw = await rawPeer(new FakeChain(), () => encodePeerRecords([]));
    await raw.dial(multiaddr(hub.addrs()[0]));
    await waitFor(() => ready(hub).length === 3, 'the raw peer ready with the hub');

    const told = await askPeers(raw, hub.addrs()[0]);
    expect(new Set(told.map((r) => r.id))).toEqual(new Set([b.peerId, c.peerId]));
    // Each is the peer's own signed record of its address: the asker's peer store takes it as such.
    for (const { id, record } of told) {
      expect(await raw.peerStore.consumePeerRecord(record, { expectedPeer: peerIdFromString(id) })).toBe(
        true,
      );
      const stored = await raw.peerStore.get(peerIdFromString(id));
      const own = id === b.peerId ? b : c;
      expect(stored.addresses.filter((a) => a.isCertified).map((a) => `${a.multiaddr}/p2p/${id}`)).toContain(
        own.addrs()[0],
      );
    }
    expect(await askPeers(raw, hub.addrs()[0])).toEqual([]);
  });

  it("a lying peer's list only passes on signed records: ours, its own and one passed off as another's are ignored", async () => {
    const chain = new FakeChain();
    const honest = await nodes.start(new FakeChain());
    const absent = peerIdOf(await generatePeerKey());
    let newcomer: P2PNetwork | undefined;
    let records: ToldRecord[] = [];
    const raw = await rawPeer(chain, () => encodePeerRecords(records));
    await raw.dial(multiaddr(honest.addrs()[0]));
    const honestRecord = await recordOf(raw, honest.peerId);
    const ownRecord = (await raw.peerStore.get(raw.peerId)).peerRecordEnvelope;
    const rawAddr = `${raw.getMultiaddrs()[0].toString()}`;
    const newcomerKey = await generatePeerKey();
    records = [
      { id: peerIdOf(newcomerKey), record: honestRecord },
      { id: raw.peerId.toString(), record: ownRecord ?? honestRecord },
      { id: absent, record: honestRecord },
      { id: honest.peerId, record: honestRecord },
    ];
    // No pubsub discovery: what the newcomer learns comes from the liar's list.
    newcomer = await nodes.start(chain, {
      minPeers: 4,
      bootstrap: [rawAddr],
      privateKey: newcomerKey,
      discoveryIntervalMs: 0,
    });
    await waitFor(
      () => ready(newcomer).some((p) => p.id === honest.peerId && p.direction === 'outbound'),
      'the newcomer dialled the honest peer from its signed record',
    );
    const known = (await newcomer.knownPeers()).map((p) => p.id);
    expect(known).not.toContain(absent);
    expect(newcomer.peers().find((p) => p.id === raw.peerId.toString())?.score).toBe(100);
  });

  it('a malformed or oversized list, or a record that does not open, costs the sender points', async () => {
    const chain = new FakeChain();
    const oversized = Array.from({ length: LIMITS.maxExchangedRecords + 1 }, (_, i) => ({
      id: `p${i}`,
      record: 'AA==',
    }));
    const stranger = peerIdOf(await generatePeerKey());
    const answers = [
      utf8.encode('not json'),
      utf8.encode(JSON.stringify(oversized)),
      encodePeerRecords([{ id: stranger, record: utf8.encode('not an envelope') }]),
    ];
    for (const answer of answers) {
      const raw = await rawPeer(chain, () => answer);
      const net = await nodes.start(chain, { minPeers: 4, bootstrap: [raw.getMultiaddrs()[0].toString()] });
      const id = raw.peerId.toString();
      await waitFor(() => (net.peers().find((p) => p.id === id)?.score ?? 100) < 100, 'the liar penalized');
      expect((await net.knownPeers()).map((p) => p.id)).toEqual([id]);
    }
  });
});
