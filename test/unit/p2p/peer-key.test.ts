// Accounting keys: off loopback a peer's points and bans belong to its address (IPv6: its /64), so a
// new peer id from the same host gets no clean score; on loopback and the operator's local subnets, to
// the peer id. Addresses are injected: loopback cannot show a real second host.
import type { Connection } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { addressKey, BanList } from '../../../src/p2p/bans.js';
import { ManualClock } from '../../../src/p2p/clock.js';
import { silentLogger } from '../../../src/p2p/context.js';
import { LocalNets } from '../../../src/p2p/netgroup.js';
import { PeerGuard } from '../../../src/p2p/peer-guard.js';
import { PeerKeys } from '../../../src/p2p/peer-key.js';
import { MAX_SCORE, PENALTY, PeerScores } from '../../../src/p2p/scoring.js';
import type { BanInfo } from '../../../src/p2p/types.js';

const at = (ip: string) => multiaddr(`/${ip.includes(':') ? 'ip6' : 'ip4'}/${ip}/tcp/4001`);

describe('PeerKeys', () => {
  it('keys a peer by IPv4 address, by IPv6 /64, and by peer id on loopback and local subnets', () => {
    const keys = new PeerKeys(new LocalNets(['192.168.1.0/24', 'fd00::/8']));
    expect(keys.keyOf('id1', at('203.0.113.9'))).toBe('203.0.113.9');
    expect(keys.keyOf('id2', at('203.0.113.9'))).toBe('203.0.113.9');
    expect(keys.keyOf('id1', at('2001:db8:1:2:aaaa::1'))).toBe('2001:db8:1:2::/64');
    expect(keys.keyOf('id2', at('2001:0db8:0001:0002:ffff:1:2:3'))).toBe('2001:db8:1:2::/64');
    expect(keys.keyOf('id1', at('127.0.0.1'))).toBe('id1');
    expect(keys.keyOf('id1', at('::1'))).toBe('id1');
    expect(keys.keyOf('id1', at('192.168.1.20'))).toBe('id1');
    expect(keys.keyOf('id1', at('192.168.2.20'))).toBe('192.168.2.20');
    expect(keys.keyOf('id1', at('fd12::5'))).toBe('id1');
    expect(keys.keyOf('id1', undefined)).toBe('id1');
    expect(addressKey('::')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::1.2.3.4')).toBe('64:ff9b:0:0::/64');
  });

  it('whitelists loopback and local subnets for gossipsub by a membership test', () => {
    const local = new PeerKeys(new LocalNets(['10.1.0.0/16'])).localSet();
    expect(local.has('127.0.0.1')).toBe(true);
    expect(local.has('127.5.5.5')).toBe(true);
    expect(local.has('::1')).toBe(true);
    expect(local.has('10.1.200.3')).toBe(true);
    expect(local.has('10.2.0.1')).toBe(false);
    expect(local.has('203.0.113.9')).toBe(false);
  });
});

/** A guard over fake connections: peer id → the address it is connected from. */
function guardWith(addrs: Record<string, string>, localSubnets: string[] = []) {
  const clock = new ManualClock();
  const scores = new PeerScores(() => clock.now());
  const bans = new BanList(clock);
  const banned: BanInfo[] = [];
  const connections = () =>
    Object.entries(addrs).map(
      ([id, ip]) => ({ remotePeer: { toString: () => id }, remoteAddr: at(ip) }) as unknown as Connection,
    );
  const guard = new PeerGuard(scores, bans, new PeerKeys(new LocalNets(localSubnets)), 600, silentLogger, {
    connections,
    hangUp: async () => {},
    isIncompatible: () => false,
    banned: (info) => banned.push(info),
  });
  return { guard, bans, banned, addrs };
}

describe('PeerGuard keying', () => {
  it('peer ids from one remote address share one score, and a ban of the address keeps new ids out', () => {
    const { guard, bans, banned, addrs } = guardWith({
      a: '203.0.113.9',
      b: '203.0.113.9',
      c: '198.51.100.1',
    });
    guard.judge('a', { kind: 'block', result: { status: 'invalid', code: 'bad-pow' } });
    expect(guard.score('b')).toBe(MAX_SCORE - PENALTY.invalidBlock); // same host, other id
    expect(guard.score('c')).toBe(MAX_SCORE);
    for (let i = 0; i < 3; i++) guard.judge('b', { kind: 'block', result: { status: 'invalid' } });
    expect(banned.map((b) => [b.id, b.kind])).toEqual([
      ['b', 'peer'],
      ['203.0.113.9', 'ip'],
    ]);
    // A fresh id from that host is refused by the gater before it says who it is.
    addrs.d = '203.0.113.9';
    expect(bans.isAddrBanned(at('203.0.113.9'))).toBe(true);
    expect(bans.isAddrBanned(at('198.51.100.1'))).toBe(false);
  });

  it('on loopback and local subnets each peer id has its own score, and the address is never banned', () => {
    const { guard, bans, banned } = guardWith(
      { a: '127.0.0.1', b: '127.0.0.1', c: '10.0.0.5', d: '10.0.0.5' },
      ['10.0.0.0/24'],
    );
    for (let i = 0; i < 4; i++) guard.judge('a', { kind: 'block', result: { status: 'invalid' } });
    guard.judge('c', { kind: 'malformed', detail: 'x' });
    expect(guard.score('b')).toBe(MAX_SCORE);
    expect(guard.score('d')).toBe(MAX_SCORE);
    expect(guard.score('c')).toBe(MAX_SCORE - PENALTY.malformedFrame);
    expect(banned.map((b) => b.id)).toEqual(['a']);
    expect(bans.isAddrBanned(at('127.0.0.1'))).toBe(false);
  });

  it('an IPv6 peer is banned by its /64: another address in it is refused too', () => {
    const { guard, bans } = guardWith({ a: '2001:db8:1:2::10' });
    for (let i = 0; i < 4; i++) guard.judge('a', { kind: 'block', result: { status: 'invalid' } });
    expect(bans.list().map((b) => b.id)).toEqual(['a', '2001:db8:1:2::/64']);
    expect(bans.isAddrBanned(at('2001:db8:1:2:ffff::99'))).toBe(true);
    expect(bans.isAddrBanned(at('2001:db8:1:3::10'))).toBe(false);
    expect(bans.unban('2001:db8:1:2::/64')).toBe(true);
    expect(bans.isAddrBanned(at('2001:db8:1:2:ffff::99'))).toBe(false);
  });

  it('time-too-new costs nothing; mutated and low-work blocks cost 10', () => {
    const { guard } = guardWith({ a: '203.0.113.9' });
    guard.judge('a', { kind: 'block', result: { status: 'invalid', code: 'time-too-new' } });
    expect(guard.score('a')).toBe(MAX_SCORE);
    guard.judge('a', { kind: 'block', result: { status: 'invalid', code: 'bad-merkle', malleated: true } });
    guard.judge('a', { kind: 'block', result: { status: 'low-work' } });
    expect(guard.score('a')).toBe(MAX_SCORE - PENALTY.mutatedBlock - PENALTY.lowWork);
    expect(guard.counts('a')).toEqual({ invalid: 1, malleated: 1 });
  });
});
