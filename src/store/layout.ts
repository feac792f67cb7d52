// Every key of the LevelDB store, in one place. Keys are a one-byte prefix followed by fixed-width fields;
// heights are big-endian so that LevelDB's byte order is height order.
//
//  prefix  key                                   value
//  'B'     block hash (32)                       serialized block
//  'I'     block hash (32)                       index entry: header (80) | height u32 | chain work (32, BE) | status u8
//  'H'     height u32 BE                         hash (32) of the active chain's block at that height
//  'U'     txid (32) | output index u32 BE       coin: amount u64 | address (20) | height u32 | coinbase u8
//  'R'     block hash (32)                       undo data: the coins the block spent (see codec.ts)
//  'T'     txid (32)                             location of a confirmed tx: block hash (32) | index in block u32
//  'A'     address (20) | height u32 BE | txid   signed change of the address's balance in that tx (i64)
//  'X'     address (20) | txid (32) | index u32  (empty) an unspent output paying to the address
//  'P'     txid (32)                             a mempool transaction (serialized), kept across restarts
//  'L'     key (utf-8, e.g. /peers/<id>)         libp2p's datastore: its peer store (written by libp2p only)
//  'M'     name (ascii)                          metadata: 'tip', 'coins-tip', 'index-tip' → hash (32); 'version' → u32;
//                                                'http-peers' → JSON; 'p2p-bans' → JSON bans by peer id and IP;
//                                                'p2p-anchors' → JSON multiaddrs of the outbound peers at shutdown
//  'C'     address (20)                          number of 'A' entries of the address (u32), for history totals
//
// Three writers, each moving its own marker in the same batch as its data:
//   - the chain, per block: 'B' and 'I' when accepted; on connect/disconnect 'I' (status), 'R', 'H' and
//     meta 'tip', in one batch. Undo data of a block taken off the active chain is kept: the explorer
//     index may still need it to take that block out of its entries.
//   - the coins cache (src/store/coins-cache.ts): 'U' and meta 'coins-tip' (the block the coins are valid
//     for), every few blocks; on start-up the chain reconnects the blocks between 'coins-tip' and 'tip'.
//   - the explorer indexer (src/chain/indexer.ts): 'T', 'A', 'X', 'C' and meta 'index-tip', after connects.
// A store written before the markers existed has everything at 'tip'.

export const PREFIX = {
  block: 0x42, // B
  index: 0x49, // I
  height: 0x48, // H
  coin: 0x55, // U
  undo: 0x52, // R
  txLocation: 0x54, // T
  address: 0x41, // A
  addressCoin: 0x58, // X
  mempool: 0x50, // P
  libp2p: 0x4c, // L
  meta: 0x4d, // M
  // Explorer index additions (keep these apart from other prefixes).
  addressCount: 0x43, // C
} as const;

export const STORE_VERSION = 1;

function key(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 1;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  out[0] = prefix;
  let offset = 1;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export const u32be = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
};

export const keys = {
  block: (hash: Uint8Array) => key(PREFIX.block, hash),
  index: (hash: Uint8Array) => key(PREFIX.index, hash),
  height: (height: number) => key(PREFIX.height, u32be(height)),
  coin: (txid: Uint8Array, index: number) => key(PREFIX.coin, txid, u32be(index)),
  undo: (hash: Uint8Array) => key(PREFIX.undo, hash),
  txLocation: (txid: Uint8Array) => key(PREFIX.txLocation, txid),
  address: (address: Uint8Array, height: number, txid: Uint8Array) =>
    key(PREFIX.address, address, u32be(height), txid),
  addressPrefix: (address: Uint8Array) => key(PREFIX.address, address),
  addressCoin: (address: Uint8Array, txid: Uint8Array, index: number) =>
    key(PREFIX.addressCoin, address, txid, u32be(index)),
  addressCoinPrefix: (address: Uint8Array) => key(PREFIX.addressCoin, address),
  mempool: (txid: Uint8Array) => key(PREFIX.mempool, txid),
  addressCount: (address: Uint8Array) => key(PREFIX.addressCount, address),
  meta: (name: string) => key(PREFIX.meta, new TextEncoder().encode(name)),
  libp2p: (name: string) => key(PREFIX.libp2p, new TextEncoder().encode(name)),
  prefixOnly: (prefix: number) => key(prefix),
};

/** The smallest key greater than every key that starts with `prefix` (for range scans). */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.slice(0, i + 1);
    }
  }
  return new Uint8Array([0xff, 0xff, 0xff, 0xff]);
}
