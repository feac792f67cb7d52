// The inbound caps as the connection gater applies them: open inbound connections and admitted ones not
// open yet hold slots; an evicted peer is hung up and frees its slot at once; --peer ids pass and do not
// count; loopback and local subnets are many hosts.
import type { Connection } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import { silentLogger } from '../../../src/p2p/context.js';
import { INBOUND_DEFAULTS } from '../../../src/p2p/inbound-limits.js';
import { InboundSlots, noticingUseful } from '../../../src/p2p/inbound-slots.js';
import { generatePeerKey, peerIdOf } from '../../../src/p2p/keys.js';
import { LocalNets } from '../../../src/p2p/netgroup.js';
import { FakeChain } from './fake-chain.js';

const newId = async () => peerIdOf(await generatePeerKey());
const addr = (ip: string) => multiaddr(`/ip4/${ip}/tcp/4001`);

function fakeConnection(id: string, ip: string, opened: number, rtt?: number): Connection {
  return {
    remotePeer: peerIdFromString(id),
    remoteAddr: addr(ip),
    direction: 'inbound',
    status: 'open',
    timeline: { open: opened },
    rtt,
  } as unknown as Connection;
}

function slots(opts: { maxInbound?: number; local?: string[]; bootstrap?: string[] } = {}) {
  const clock = new ManualClock();
  const connections: Connection[] = [];
  const hungUp: string[] = [];
  const inbound = new InboundSlots(
    { ...INBOUND_DEFAULTS, maxInbound: opts.maxInbound ?? INBOUND_DEFAULTS.maxInbound },
    new LocalNets(opts.local ?? []),
    clock,
    silentLogger,
    {
      connections: () => connections,
      hangUp: async (id) => {
        hungUp.push(id);
      },
      isBootstrap: (id) => opts.bootstrap?.includes(id) ?? false,
    },
    () => new Uint8Array(32),
  );
  return { clock, connections, hungUp, inbound };
}

describe('inbound slots at the gater', () => {
  it('admitted peers hold their slot until their connection opens or 15 s pass', async () => {
    const { clock, inbound } = slots();
    const ids = await Promise.all([1, 2, 3, 4, 5].map(newId));
    // Five at once from one IP, none open yet: the fifth is refused all the same.
    expect(ids.map((id) => inbound.deny(id, addr('198.51.100.7')))).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    clock.advance(15_000);
    expect(inbound.deny(ids[4]!, addr('198.51.100.7'))).toBe(false);
  });

  it('evicts one to make room when full and hangs it up; its slot is free at once', async () => {
    const { connections, hungUp, inbound } = slots({ maxInbound: 4 });
    const ips = ['203.0.113.1', '198.51.100.1', '192.0.2.1', '100.1.1.1'];
    const ids = await Promise.all(ips.map(newId));
    for (const [i, ip] of ips.entries()) connections.push(fakeConnection(ids[i]!, ip, 1000 + i));
    const newcomer = await newId();
    expect(inbound.deny(newcomer, addr('100.2.2.2'))).toBe(false);
    expect(hungUp).toHaveLength(1);
    expect(ids).toContain(hungUp[0]);
    // The evicted peer's connection is still open (closing): it is not counted, the newcomer is.
    expect(
      inbound
        .inboundPeers()
        .map((p) => p.id)
        .sort(),
    ).toEqual([...ids.filter((id) => id !== hungUp[0]), newcomer].sort());
  });

  it('refuses when every inbound peer is protected', async () => {
    const { connections, hungUp, inbound } = slots({ maxInbound: 2 });
    const [a, b] = await Promise.all([newId(), newId()]);
    connections.push(fakeConnection(a, '203.0.113.1', 1000, 10), fakeConnection(b, '198.51.100.1', 1001, 10));
    expect(inbound.deny(await newId(), addr('100.2.2.2'))).toBe(true);
    expect(hungUp).toEqual([]);
  });

  it('--peer ids always pass; loopback and local subnets count each peer id apart', async () => {
    const boot = await newId();
    const { inbound } = slots({ bootstrap: [boot], local: ['10.0.0.0/8'] });
    for (let i = 0; i < 4; i++) inbound.deny(await newId(), addr('198.51.100.7'));
    expect(inbound.deny(await newId(), addr('198.51.100.7'))).toBe(true);
    expect(inbound.deny(boot, addr('198.51.100.7'))).toBe(false);
    for (let i = 0; i < 10; i++) expect(inbound.deny(await newId(), addr('127.0.0.1'))).toBe(false);
    for (let i = 0; i < 9; i++) expect(inbound.deny(await newId(), addr('10.1.1.1'))).toBe(false);
    expect(inbound.inboundPeers()).toHaveLength(4 + 10 + 9);
  });
});

describe('noticingUseful', () => {
  it('credits each sender of a block the chain took in a run handed over from several peers', async () => {
    const server = new FakeChain();
    const [first, second, third] = server.extend(3) as [Uint8Array, Uint8Array, Uint8Array];
    const client = new FakeChain();
    client.connectUnchecked(first);
    const noted: string[] = [];
    const chain = noticingUseful(client, (id, kind) => noted.push(`${id}:${kind}`));
    // a's block is a duplicate, b's and c's are new.
    const results = await chain.submitBlocks([first, second, third], ['a', 'b', 'c']);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'accepted']);
    expect(noted.sort()).toEqual(['b:block', 'c:block']);
    await chain.submitBlocks([server.nextBlock()], 'd');
    expect(noted).toContain('d:block');
  });
});
