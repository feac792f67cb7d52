import { describe, expect, it } from 'vitest';
import {
  admitInbound,
  chooseEviction,
  INBOUND_DEFAULTS,
  type InboundPeer,
} from '../../../src/p2p/inbound-limits.js';
import { LocalNets } from '../../../src/p2p/netgroup.js';

const nets = new LocalNets();
/** The netgroup key an attacker cannot guess; here the group's name order, so tests are exact. */
const key = (g: string) => [...g].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

function peer(id: string, ip: string, connectedAt: number, extra: Partial<InboundPeer> = {}): InboundPeer {
  return { id, ...nets.placeOf(ip, id), connectedAt, ...extra };
}

describe('inbound caps', () => {
  it('refuses a fifth peer from one IP and a ninth from one /16', () => {
    const four = [1, 2, 3, 4].map((i) => peer(`s${i}`, '198.51.100.9', i));
    expect(admitInbound(nets.placeOf('198.51.100.9', 'new'), four, INBOUND_DEFAULTS, key)).toMatchObject({
      accept: false,
    });
    expect(admitInbound(nets.placeOf('198.51.7.7', 'new'), four, INBOUND_DEFAULTS, key)).toEqual({
      accept: true,
    });
    const eight = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => peer(`g${i}`, `198.51.${i}.1`, i));
    const verdict = admitInbound(nets.placeOf('198.51.200.1', 'new'), eight, INBOUND_DEFAULTS, key);
    expect(verdict).toMatchObject({ accept: false, reason: expect.stringContaining('netgroup') });
  });

  it('on loopback every peer id is its own host: 30 local peers are not capped per IP', () => {
    const local = Array.from({ length: 23 }, (_, i) => peer(`l${i}`, '127.0.0.1', i));
    expect(admitInbound(nets.placeOf('127.0.0.1', 'new'), local, INBOUND_DEFAULTS, key)).toEqual({
      accept: true,
    });
  });

  it('when the inbound slots are full a newcomer evicts one, or is refused if none is evictable', () => {
    const settings = { ...INBOUND_DEFAULTS, maxInbound: 3 };
    const full = [peer('a', '203.0.113.1', 1), peer('b', '198.51.100.1', 2), peer('c', '192.0.2.1', 3)];
    const verdict = admitInbound(nets.placeOf('100.1.1.1', 'new'), full, settings, key);
    // Two are protected by (keyed) netgroup; the third is evicted.
    expect(verdict).toMatchObject({ accept: true, evict: expect.any(String) });
    // Measured pings protect the third too: none is evictable, the newcomer is refused.
    const pinged = full.map((p) => ({ ...p, rttMs: 20 }));
    expect(admitInbound(nets.placeOf('100.1.1.1', 'new'), pinged, settings, key)).toMatchObject({
      accept: false,
      reason: expect.stringContaining('none evictable'),
    });
  });
});

describe('eviction (Core AttemptToEvictConnection)', () => {
  /** 4 peers of one /16 (the attacker's), connected last, plus 12 honest ones of distinct groups. */
  function crowd(): InboundPeer[] {
    const honest = Array.from({ length: 12 }, (_, i) =>
      peer(`h${i}`, `${20 + i}.1.1.1`, 1000 + i, { rttMs: 50 + i }),
    );
    const sybils = [0, 1, 2, 3].map((i) => peer(`s${i}`, `198.51.100.${i + 1}`, 5000 + i, { rttMs: 200 }));
    return [...honest, ...sybils];
  }

  it('evicts the youngest of the netgroup with the most peers', () => {
    expect(chooseEviction(crowd(), key)).toBe('s3');
  });

  it('protects the lowest pings, the latest useful peers and the longest connected', () => {
    const peers = crowd();
    // The attacker's group is fast now: its peers are protected by ping, so one of the others goes.
    for (const p of peers) if (p.id.startsWith('s')) p.rttMs = 1;
    const evicted = chooseEviction(peers, key)!;
    expect(evicted.startsWith('h')).toBe(true);
    // Who brought a block lately is kept.
    const again = crowd().map((p) => (p.id === 's3' ? { ...p, lastBlockAt: 9999 } : p));
    expect(chooseEviction(again, key)).toBe('s2');
    // The longest connected half of the rest is kept: the two oldest honest peers are never chosen.
    for (let round = 0; round < 16; round++) {
      const list = crowd().map((p) => ({ ...p, rttMs: undefined }));
      expect(['h0', 'h1']).not.toContain(chooseEviction(list, key));
    }
  });

  it('nobody to evict among a few protected peers', () => {
    expect(chooseEviction([peer('a', '203.0.113.1', 1)], key)).toBeUndefined();
    expect(chooseEviction([], key)).toBeUndefined();
  });
});
