// Every key of the store, in one place: each kind of key is a one-byte prefix followed by its fields,
// declared once below with their encoding; every store builds and reads keys through these declarations
// (nothing else cuts keys at byte offsets). Fixed-width fields; heights and indexes big-endian, so that
// the database's byte order is height order.
//
//  prefix  key                                   value                                         store
//  'B'     block hash (32)                       serialized block                              blocks
//  'I'     block hash (32)                       index entry: header (80) | height u32 |       blocks
//                                                chain work (32, BE) | status u8
//  'H'     height u32 BE                         hash (32) of the active chain's block there   blocks
//  'R'     block hash (32)                       undo data: the coins the block spent          blocks
//  'U'     txid (32) | output index u32 BE       coin: amount u64 | address[0..20] | height u32 coins
//                                                | flags u8 (coinbase 1, policy 2) | a policy
//                                                coin's address[20..32]
//  'T'     txid (32)                             location of a confirmed tx: block hash (32)   explorer
//                                                | index in block u32
//  'A'     address (20) | height u32 BE | txid   signed change of the address's balance (i64)  explorer
//  'X'     address (20) | txid (32) | index u32  (empty) an unspent output paying to the address explorer
//  'C'     address (20)                          number of 'A' entries of the address (u32)    explorer
//  'a' 'x' 'c'  as 'A' 'X' 'C', for a policy address (32-byte policy hash)                   explorer
//  'P'     txid (32)                             a mempool transaction (serialized)            mempool
//  'L'     name (utf-8, e.g. /peers/<id>)        libp2p's datastore (its peer store)           libp2p
//  'M'     name (ascii)                          metadata, one value codec per name (META)     meta
//
// Three writers move a marker (a META entry) in the same batch as their data:
//   - the chain, per block: 'B' and 'I' when accepted; on connect/disconnect 'I' (status), 'R', 'H' and
//     'tip', in one batch. Undo data of a block taken off the active chain is kept: the explorer
//     index may still need it to take that block out of its entries.
//   - the coins cache (src/store/coins-cache.ts): 'U' and 'coins-tip' (the block the coins are valid
//     for), every few blocks; on start-up the chain reconnects the blocks between 'coins-tip' and 'tip'.
//   - the explorer indexer (src/chain/indexer.ts): 'T', 'A', 'X', 'C' and 'index-tip', after connects.
// A store written before the markers existed has everything at 'tip'.
type Bytes = Uint8Array;

/** One fixed-width (or, last in a key, open-ended) field of a key. */
export interface KeyField<T> {
  /** Bytes it takes; undefined: the rest of the key (last field only). */
  readonly size: number | undefined;
  encode(value: T): Bytes;
  decode(bytes: Bytes): T;
}

const bytesField = (size: number): KeyField<Bytes> => ({
  size,
  encode: (v) => {
    if (v.length !== size) throw new Error(`a key field of ${size} bytes was given ${v.length}`);
    return v;
  },
  decode: (b) => b.slice(),
});

/** Written byte by byte: touching a small array's `.buffer` moves it out of the JS heap (a malloc). */
export const u32be = (n: number): Bytes => {
  const b = new Uint8Array(4);
  b[0] = n >>> 24;
  b[1] = n >>> 16;
  b[2] = n >>> 8;
  b[3] = n;
  return b;
};

const u32Field: KeyField<number> = {
  size: 4,
  encode: u32be,
  decode: (b) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false),
};

const textField: KeyField<string> = {
  size: undefined,
  encode: (v) => new TextEncoder().encode(v),
  decode: (b) => new TextDecoder().decode(b),
};

const hash = bytesField(32);
const address = bytesField(20);
const policyAddress = bytesField(32);

type FieldValues<S> = { [K in keyof S]: S[K] extends KeyField<infer T> ? T : never };

/** A kind of key: its prefix and its fields, in order; encodes, decodes and ranges over them. */
export class KeyKind<S extends Record<string, KeyField<unknown>>> {
  private readonly fields: ReadonlyArray<[keyof S & string, KeyField<unknown>]>;

  constructor(
    readonly prefix: number,
    fields: S,
  ) {
    this.fields = Object.entries(fields) as Array<[keyof S & string, KeyField<unknown>]>;
  }

  /** The key of these field values. */
  key(values: FieldValues<S>): Bytes {
    return this.join(this.fields.map(([name, f]) => f.encode(values[name])));
  }

  /** The field values of a key of this kind. */
  decode(key: Bytes): FieldValues<S> {
    if (key[0] !== this.prefix) throw new Error(`key of prefix ${key[0]} is not of prefix ${this.prefix}`);
    const out: Record<string, unknown> = {};
    let offset = 1;
    for (const [name, f] of this.fields) {
      const end = f.size === undefined ? key.length : offset + f.size;
      if (end > key.length) throw new Error(`key of prefix ${this.prefix} is too short`);
      out[name] = f.decode(key.subarray(offset, end));
      offset = end;
    }
    if (offset !== key.length) throw new Error(`key of prefix ${this.prefix} is too long`);
    return out as FieldValues<S>;
  }

  /**
   * Every key of this kind whose leading fields have these values (the fields given must be the first
   * ones, in order; none: the whole kind). A string field matches as a prefix of the name.
   */
  range(leading: Partial<FieldValues<S>> = {}): { gte: Bytes; lt: Bytes } {
    const parts: Bytes[] = [];
    for (const [name, f] of this.fields) {
      const value = leading[name];
      if (value === undefined) break;
      parts.push(f.encode(value));
    }
    const gte = this.join(parts);
    return { gte, lt: prefixEnd(gte) };
  }

  private join(parts: readonly Bytes[]): Bytes {
    let length = 1;
    for (const p of parts) length += p.length;
    const out = new Uint8Array(length);
    out[0] = this.prefix;
    let offset = 1;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}

const kind = <S extends Record<string, KeyField<unknown>>>(prefix: number, fields: S) =>
  new KeyKind(prefix, fields);

export const KEYS = {
  block: kind(0x42, { hash }), // B
  index: kind(0x49, { hash }), // I
  height: kind(0x48, { height: u32Field }), // H
  undo: kind(0x52, { hash }), // R
  coin: kind(0x55, { txid: hash, index: u32Field }), // U
  txLocation: kind(0x54, { txid: hash }), // T
  addressDelta: kind(0x41, { address, height: u32Field, txid: hash }), // A
  addressCoin: kind(0x58, { address, txid: hash, index: u32Field }), // X
  addressCount: kind(0x43, { address }), // C
  policyDelta: kind(0x61, { address: policyAddress, height: u32Field, txid: hash }), // a
  policyCoin: kind(0x78, { address: policyAddress, txid: hash, index: u32Field }), // x
  policyCount: kind(0x63, { address: policyAddress }), // c
  mempool: kind(0x50, { txid: hash }), // P
  libp2p: kind(0x4c, { name: textField }), // L
  meta: kind(0x4d, { name: textField }), // M
} as const;

export const STORE_VERSION = 1;

/** How a metadata value is written. */
export interface ValueCodec<T> {
  encode(value: T): Bytes;
  decode(bytes: Bytes): T;
}

/** A metadata entry: its name (the key) and its value's codec. */
export interface MetaKey<T> {
  readonly name: string;
  readonly key: Bytes;
  readonly value: ValueCodec<T>;
}

const metaKey = <T>(name: string, value: ValueCodec<T>): MetaKey<T> => ({
  name,
  key: KEYS.meta.key({ name }),
  value,
});

const hashValue: ValueCodec<Bytes> = {
  encode: (v) => v,
  decode: (b) => {
    if (b.length !== 32) throw new Error('corrupt block hash in the store metadata');
    return b;
  },
};

const rawBytes: ValueCodec<Bytes> = { encode: (v) => v, decode: (b) => b };

const u32le: ValueCodec<number> = {
  encode: (n) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  },
  decode: (b) => (b.length === 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : (b[0] ?? 0)),
};

const flag: ValueCodec<boolean> = {
  encode: (v) => new Uint8Array([v ? 1 : 0]),
  decode: (b) => b[0] === 1,
};

/** A JSON list; an unreadable value, or items `keep` refuses, read as absent. */
const jsonList = <T>(keep: (item: unknown) => item is T): ValueCodec<T[]> => ({
  encode: (list) => new TextEncoder().encode(JSON.stringify(list)),
  decode: (bytes) => {
    try {
      const list = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
      return Array.isArray(list) ? list.filter(keep) : [];
    } catch {
      return [];
    }
  },
});

const isString = (x: unknown): x is string => typeof x === 'string';
const isObject = (x: unknown): x is object => typeof x === 'object' && x !== null;

/** Every metadata entry ('M' keys). */
export const META = {
  /** Layout version of the store (STORE_VERSION). */
  version: metaKey('version', u32le),
  /** Set once the 'C' counts of address histories exist (stores before them are counted once at open). */
  addressCounts: metaKey('address-counts', flag),
  /** The active chain's tip (the chain's marker). */
  tip: metaKey('tip', hashValue),
  /** The block the coins on disk ('U') are valid for (the coins cache's marker). */
  coinsTip: metaKey('coins-tip', hashValue),
  /** The block the explorer index ('T', 'A', 'X', 'C') is at (the indexer's marker). */
  indexTip: metaKey('index-tip', hashValue),
  /** http URLs registered through --peer or /nodes/register. */
  httpPeers: metaKey('http-peers', jsonList(isString)),
  /** Bans by peer id and IP (the p2p layer's BanInfo records). */
  bans: metaKey('p2p-bans', jsonList(isObject)),
  /** Multiaddrs of the outbound peers at the last shutdown. */
  anchors: metaKey('p2p-anchors', jsonList(isString)),
  /** The libp2p key (protobuf) of a node that keeps it in the store, not in a file: a browser node. */
  peerKey: metaKey('p2p-key', rawBytes),
} as const;

/** The smallest key greater than every key that starts with `prefix` (for range scans). */
export function prefixEnd(prefix: Bytes): Bytes {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.slice(0, i + 1);
    }
  }
  return new Uint8Array([0xff, 0xff, 0xff, 0xff]);
}
