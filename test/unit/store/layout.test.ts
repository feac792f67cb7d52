// The key layout: every kind of key encodes and decodes its fields, sorts as the stores scan it, and
// ranges over exactly its own keys; every metadata entry round-trips through its value codec.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { KEYS, META, prefixEnd, STORE_VERSION } from '../../../src/store/layout.js';

const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);
const hash = filled(32, 0xab);
const address = filled(20, 0x11);

/** Byte order, as LevelDB and IndexedDB sort keys. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const inRange = (key: Uint8Array, range: { gte: Uint8Array; lt: Uint8Array }) =>
  compareBytes(key, range.gte) >= 0 && compareBytes(key, range.lt) < 0;

describe('KEYS', () => {
  const samples = [
    [KEYS.block, { hash }],
    [KEYS.index, { hash }],
    [KEYS.height, { height: 0x01020304 }],
    [KEYS.undo, { hash }],
    [KEYS.coin, { txid: hash, index: 7 }],
    [KEYS.txLocation, { txid: hash }],
    [KEYS.addressDelta, { address, height: 300, txid: hash }],
    [KEYS.addressCoin, { address, txid: hash, index: 65_536 }],
    [KEYS.addressCount, { address }],
    [KEYS.mempool, { txid: hash }],
    [KEYS.libp2p, { name: '/peers/ünïcode' }],
    [KEYS.meta, { name: 'tip' }],
  ] as const;

  it('decodes every kind of key back to its fields', () => {
    for (const [kind, fields] of samples) {
      // biome-ignore lint/suspicious/noExplicitAny: each sample matches its own kind
      const key = kind.key(fields as any);
      expect(key[0]).toBe(kind.prefix);
      expect(kind.decode(key)).toEqual(fields);
    }
  });

  it('lays fields out at fixed widths, big-endian, after the prefix', () => {
    const key = KEYS.addressCoin.key({ address, txid: hash, index: 0x01020304 });
    expect(key.length).toBe(1 + 20 + 32 + 4);
    expect(toHex(key.subarray(53))).toBe('01020304');
    expect(String.fromCharCode(KEYS.addressCoin.prefix)).toBe('X');
  });

  it('gives every kind its own prefix', () => {
    const prefixes = Object.values(KEYS).map((k) => k.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('refuses keys of another kind, of the wrong length, and fields of the wrong size', () => {
    expect(() => KEYS.block.decode(KEYS.index.key({ hash }))).toThrow(/prefix/);
    expect(() => KEYS.coin.decode(KEYS.coin.key({ txid: hash, index: 1 }).subarray(0, 30))).toThrow(/short/);
    const long = new Uint8Array([...KEYS.txLocation.key({ txid: hash }), 0]);
    expect(() => KEYS.txLocation.decode(long)).toThrow(/long/);
    expect(() => KEYS.block.key({ hash: filled(31, 1) })).toThrow(/32 bytes/);
  });

  it('sorts heights in number order, and an address history by height', () => {
    const heights = [0, 1, 255, 256, 65_535, 65_536, 16_777_216, 0xffffffff];
    const keys = [...heights].reverse().map((height) => KEYS.height.key({ height }));
    keys.sort(compareBytes);
    expect(keys.map((k) => KEYS.height.decode(k).height)).toEqual(heights);

    const history = [3, 256, 1, 70_000].map((height) =>
      KEYS.addressDelta.key({ address, height, txid: hash }),
    );
    history.sort(compareBytes);
    expect(history.map((k) => KEYS.addressDelta.decode(k).height)).toEqual([1, 3, 256, 70_000]);
  });

  it('ranges over the keys whose leading fields match, and nothing else', () => {
    const neighbour = filled(20, 0x12);
    const mine = KEYS.addressCoin.range({ address });
    expect(inRange(KEYS.addressCoin.key({ address, txid: filled(32, 0), index: 0 }), mine)).toBe(true);
    expect(inRange(KEYS.addressCoin.key({ address, txid: filled(32, 0xff), index: 0xffffffff }), mine)).toBe(
      true,
    );
    expect(inRange(KEYS.addressCoin.key({ address: neighbour, txid: hash, index: 0 }), mine)).toBe(false);
    expect(inRange(KEYS.addressDelta.key({ address, height: 1, txid: hash }), mine)).toBe(false);

    // The whole kind: every key of it, none of the kinds around it.
    const all = KEYS.addressCoin.range();
    expect(inRange(KEYS.addressCoin.key({ address: filled(20, 0xff), txid: hash, index: 1 }), all)).toBe(
      true,
    );
    for (const [kind, fields] of samples) {
      // biome-ignore lint/suspicious/noExplicitAny: each sample matches its own kind
      const key = kind.key(fields as any);
      expect(inRange(key, all)).toBe(kind === KEYS.addressCoin);
    }

    // A name range is a prefix match on the name.
    const peers = KEYS.libp2p.range({ name: '/peers/' });
    expect(inRange(KEYS.libp2p.key({ name: '/peers/abc' }), peers)).toBe(true);
    expect(inRange(KEYS.libp2p.key({ name: '/peerz' }), peers)).toBe(false);
  });

  it('ends a range after a prefix of 0xff bytes', () => {
    expect([...prefixEnd(new Uint8Array([0x41, 0xff]))]).toEqual([0x42]);
    expect([...prefixEnd(new Uint8Array([0xff, 0xff]))]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });
});

describe('META', () => {
  it('keeps every entry under the metadata prefix, by its name', () => {
    for (const def of Object.values(META)) expect(KEYS.meta.decode(def.key).name).toBe(def.name);
    expect(META.tip.name).toBe('tip');
    expect(META.coinsTip.name).toBe('coins-tip');
    expect(META.indexTip.name).toBe('index-tip');
  });

  it('round-trips each value through its codec', () => {
    expect(META.tip.value.decode(META.tip.value.encode(hash))).toEqual(hash);
    // The version as stores have always written it: one byte, then three zeros.
    expect([...META.version.value.encode(STORE_VERSION)]).toEqual([STORE_VERSION, 0, 0, 0]);
    expect(META.version.value.decode(new Uint8Array([STORE_VERSION, 0, 0, 0]))).toBe(STORE_VERSION);
    expect(META.addressCounts.value.decode(META.addressCounts.value.encode(true))).toBe(true);
    const urls = ['http://a.example:5000', 'http://b.example'];
    expect(META.httpPeers.value.decode(META.httpPeers.value.encode(urls))).toEqual(urls);
    const bans = [{ id: 'peer', until: 5 }];
    expect(META.bans.value.decode(META.bans.value.encode(bans))).toEqual(bans);
  });

  it('reads an unreadable list as empty and drops items of the wrong type', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(META.httpPeers.value.decode(text('{not json'))).toEqual([]);
    expect(META.anchors.value.decode(text('{"a":1}'))).toEqual([]);
    expect(META.anchors.value.decode(text('["/ip4/1.2.3.4/tcp/1", 7, null]'))).toEqual([
      '/ip4/1.2.3.4/tcp/1',
    ]);
    expect(META.bans.value.decode(text('[{"id":"x"}, "y", null]'))).toEqual([{ id: 'x' }]);
    expect(() => META.tip.value.decode(new Uint8Array(31))).toThrow(/corrupt/);
  });
});
