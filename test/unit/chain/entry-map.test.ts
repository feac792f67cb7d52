import { describe, expect, it } from 'vitest';
import { type ChainEntry, makeEntry } from '../../../src/chain/entry.js';
import { EntryMap } from '../../../src/chain/entry-map.js';
import { toHex } from '../../../src/core/bytes.js';
import { genesisBlock } from '../../../src/core/genesis.js';
import { NETWORKS } from '../../../src/core/params.js';

const header = genesisBlock(NETWORKS.regtest).header;

/** An entry whose hash is `fill` everywhere except the bytes given. */
function entryWith(fill: number, bytes: Record<number, number> = {}): ChainEntry {
  const hash = new Uint8Array(32).fill(fill);
  for (const [at, value] of Object.entries(bytes)) hash[Number(at)] = value;
  return makeEntry(hash, header, 1, 1n, 'valid', undefined, 0);
}

describe('EntryMap', () => {
  it('finds entries by their exact lowercase hex hash only', () => {
    const map = new EntryMap();
    const a = entryWith(0xab);
    map.set(a);
    expect(map.get(a.hashHex)).toBe(a);
    expect(map.has(a.hashHex)).toBe(true);
    expect(map.get(a.hashHex.toUpperCase())).toBeUndefined();
    expect(map.get(a.hashHex.slice(0, 63))).toBeUndefined();
    expect(map.get(`${a.hashHex}0`)).toBeUndefined();
    expect(map.get('zz'.repeat(32))).toBeUndefined();
    expect(map.size).toBe(1);
  });

  it('keeps entries whose hashes share the keyed bits apart, and deletes each alone', () => {
    const map = new EntryMap();
    // Same bytes 12..15 (the keyed bits), different elsewhere.
    const a = entryWith(0x11);
    const b = entryWith(0x11, { 0: 0x22 });
    const c = entryWith(0x11, { 31: 0x33 });
    // Differs only in the two low bits of byte 15, which the key drops.
    const d = entryWith(0x11, { 15: 0x12 });
    for (const e of [a, b, c, d]) map.set(e);
    expect(map.size).toBe(4);
    for (const e of [a, b, c, d]) expect(map.get(e.hashHex)).toBe(e);
    expect(new Set(map.values())).toEqual(new Set([a, b, c, d]));
    expect(map.delete(b.hashHex)).toBe(true);
    expect(map.delete(b.hashHex)).toBe(false);
    expect(map.get(b.hashHex)).toBeUndefined();
    expect(map.get(a.hashHex)).toBe(a);
    expect(map.get(c.hashHex)).toBe(c);
    expect(map.size).toBe(3);
    for (const e of [a, c, d]) map.delete(e.hashHex);
    expect(map.size).toBe(0);
    expect([...map.values()]).toEqual([]);
  });

  it('finds the same entries by the hash bytes, among entries sharing the keyed bits too', () => {
    const map = new EntryMap();
    const a = entryWith(0x11);
    const b = entryWith(0x11, { 0: 0x22 });
    const alone = entryWith(0x55);
    for (const e of [a, b, alone]) map.set(e);
    for (const e of [a, b, alone]) expect(map.getByBytes(Uint8Array.from(e.hash))).toBe(e);
    // Same keyed bits as a and b, held by neither.
    expect(map.getByBytes(entryWith(0x11, { 31: 0x33 }).hash)).toBeUndefined();
    expect(map.getByBytes(entryWith(0x55, { 0: 0 }).hash)).toBeUndefined();
    expect(map.getByBytes(new Uint8Array(31).fill(0x55))).toBeUndefined();
    expect(map.getByBytes(entryWith(0x77).hash)).toBeUndefined();
  });

  it('replaces the entry of a hash it already holds', () => {
    const map = new EntryMap();
    const first = entryWith(0x44);
    const again = entryWith(0x44);
    const neighbour = entryWith(0x44, { 0: 1 });
    map.set(first);
    map.set(neighbour);
    map.set(again);
    expect(map.size).toBe(2);
    expect(map.get(first.hashHex)).toBe(again);
    expect(map.get(neighbour.hashHex)).toBe(neighbour);
  });

  it('hashes the hex and the bytes alike for every value of the keyed bytes', () => {
    const map = new EntryMap();
    for (let v = 0; v < 256; v++) map.set(entryWith(0x55, { 12: v, 13: 255 - v, 14: v, 15: v }));
    expect(map.size).toBe(256);
    for (let v = 0; v < 256; v++) {
      const hex = toHex(entryWith(0x55, { 12: v, 13: 255 - v, 14: v, 15: v }).hash);
      expect(map.get(hex)?.hashHex).toBe(hex);
    }
  });
});
