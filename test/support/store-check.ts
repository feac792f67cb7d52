// Consistency check of a chain store on disk, independent of the Chain class: walks the active chain by the
// height index, replays blocks from genesis into UTXO sets and compares them with what the store holds.
// Used after a process was killed mid-write (test/integration/crash.test.ts).
//
// The store has three writers, each with its own marker (see src/store/layout.ts): the chain (blocks,
// index, undo, heights, 'tip'), the coins cache ('U' and 'coins-tip'), the explorer indexer ('T', 'A',
// 'X', 'C' and 'index-tip'). What must hold, whatever moment a writer died at:
//   - the store is empty (nothing written yet), or
//   - the tip (meta 'tip') is the block at the highest height entry, with no height entry above it;
//   - every active block is stored, decodes, hashes to its key, links to the one below, and its index record
//     says 'valid' at that height; it has undo data equal to the coins it spent;
//   - 'coins-tip' names a valid block, and the coins (prefix U) are exactly the outputs created and not spent
//     by its chain, with the right amount, address, height and coinbase flag;
//   - 'index-tip' names a valid block, and for its chain: every tx has its location and there are no
//     others; the by-address index (prefix X) lists exactly its coins; the address history (prefix A) has
//     one entry per address and transaction that changed the balance, and each count (prefix C) is right.
// A store written before the markers existed has both at 'tip'.

import { ClassicLevel } from 'classic-level';
import { addressDeltas } from '../../src/chain/address-deltas.js';
import { type Block, blockHash, decodeBlock } from '../../src/core/block.js';
import { equalBytes, fromHex, toHex } from '../../src/core/bytes.js';
import { outpointKey, txid } from '../../src/core/tx.js';
import type { Coin } from '../../src/core/validation.js';
import { openStore } from '../../src/node/level-store.js';
import type { IndexRecord } from '../../src/store/codec.js';
import { KEYS } from '../../src/store/layout.js';
import type { ChainStore } from '../../src/store/store.js';

export interface StoreSummary {
  readonly height: number;
  readonly tip: string;
  readonly chainWork: bigint;
  readonly coins: number;
  readonly txs: number;
  /** Hashes of the active chain by height. */
  readonly active: readonly string[];
  /** Every index record, by hash. */
  readonly index: ReadonlyMap<string, IndexRecord>;
  /** Heights the coins on disk and the explorer index are at (both the tip's when up to date). */
  readonly coinsHeight: number;
  readonly indexHeight: number;
}

/** What the explorer index holds on disk, read raw. */
interface RawIndex {
  /** 'T' keys. */
  txLocations: number;
  /** 'X' entries as "address-hex txid:index". */
  addressCoins: Set<string>;
  /** 'A' entries per address hex. */
  history: Map<string, number>;
  /** 'C' values per address hex. */
  counts: Map<string, number>;
}

export class StoreInconsistency extends Error {
  override readonly name = 'StoreInconsistency';
}

const sameCoin = (a: Coin, b: Coin) =>
  a.amount === b.amount &&
  equalBytes(a.address, b.address) &&
  a.height === b.height &&
  a.coinbase === b.coinbase;

const describeCoin = (c: Coin | undefined) =>
  c
    ? `{amount ${c.amount}, address ${toHex(c.address)}, height ${c.height}, coinbase ${c.coinbase}}`
    : 'none';

/** Opens the store at `location` (no other process may hold it), checks it, closes it. */
export async function checkStoreAt(location: string): Promise<StoreSummary> {
  // The store API hides what is on disk behind its caches and filters: read the explorer index raw.
  const db = new ClassicLevel<Uint8Array, Uint8Array>(location, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  let raw: RawIndex;
  try {
    raw = await readRawIndex(db);
  } finally {
    await db.close();
  }
  const store = await openStore(location);
  try {
    return await checkStoreConsistency(store, raw);
  } finally {
    await store.close();
  }
}

async function readRawIndex(db: ClassicLevel<Uint8Array, Uint8Array>): Promise<RawIndex> {
  const raw: RawIndex = { txLocations: 0, addressCoins: new Set(), history: new Map(), counts: new Map() };
  for await (const _ of db.keys(KEYS.txLocation.range())) raw.txLocations++;
  // Key addresses (20 bytes) and policy addresses (32 bytes) have kinds of their own.
  for (const kind of [KEYS.addressCoin, KEYS.policyCoin]) {
    for await (const k of db.keys(kind.range())) {
      const { address, txid: id, index } = kind.decode(k);
      raw.addressCoins.add(`${toHex(address)} ${outpointKey(id, index)}`);
    }
  }
  for (const kind of [KEYS.addressDelta, KEYS.policyDelta]) {
    for await (const k of db.keys(kind.range())) {
      const address = toHex(kind.decode(k).address);
      raw.history.set(address, (raw.history.get(address) ?? 0) + 1);
    }
  }
  for (const kind of [KEYS.addressCount, KEYS.policyCount]) {
    for await (const [k, v] of db.iterator(kind.range())) {
      const { address } = kind.decode(k);
      raw.counts.set(toHex(address), new DataView(v.buffer, v.byteOffset, 4).getUint32(0, false));
    }
  }
  return raw;
}

/** The coins of an address, by the explorer's 'X' entries as they are now (no chain, no waiting). */
export async function coinsOf(
  store: ChainStore,
  address: Uint8Array,
): Promise<Array<{ txid: Uint8Array; index: number; coin: Coin }>> {
  const outpoints = await store.explorer.addressOutpoints(address);
  const coins = await store.coins.getCoins(outpoints);
  return outpoints.flatMap((o, i) => (coins[i] ? [{ ...o, coin: coins[i] }] : []));
}

interface Replayed {
  coins: Map<string, Coin>;
  /** Every transaction of the chain: txid hex → block hash and index. */
  txs: Map<string, { block: string; index: number }>;
  /** History entries per address hex. */
  history: Map<string, number>;
}

/** Replays the chain ending at `tip` (hash hex) from genesis, with the blocks' undo checked on the way. */
async function replay(
  store: ChainStore,
  index: ReadonlyMap<string, IndexRecord>,
  tip: string,
  fail: (message: string) => never,
  blocks: Map<string, Block>,
): Promise<Replayed> {
  const hashes: string[] = [];
  for (let h: string | undefined = tip; h; ) {
    const record: IndexRecord = index.get(h) ?? fail(`block ${h} has no index record`);
    hashes.push(h);
    h = record.height === 0 ? undefined : toHex(record.header.prevHash);
  }
  hashes.reverse();
  const out: Replayed = { coins: new Map(), txs: new Map(), history: new Map() };
  for (const [h, hash] of hashes.entries()) {
    let block = blocks.get(hash);
    if (!block) {
      const bytes =
        (await store.blocks.getBlockBytes(fromHex(hash))) ??
        fail(`block ${hash} (height ${h}) is not stored`);
      try {
        block = decodeBlock(bytes);
      } catch (e) {
        return fail(`block ${hash} (height ${h}) does not decode: ${(e as Error).message}`);
      }
      if (toHex(blockHash(block)) !== hash)
        fail(`the block stored as ${hash} hashes to ${toHex(blockHash(block))}`);
      blocks.set(hash, block);
    }
    const record = index.get(hash)!;
    if (record.height !== h) fail(`block ${hash} is indexed at height ${record.height}, found at ${h}`);
    if (record.status !== 'valid') fail(`block ${hash} at height ${h} has status ${record.status}`);
    // Undo data lists the coins that existed before the block, not those created and spent inside it.
    const spent: Array<{ key: string; txid: Uint8Array; index: number; coin: Coin }> = [];
    const createdHere = new Set<string>();
    const ids: Uint8Array[] = [];
    for (const [i, tx] of block.txs.entries()) {
      const id = txid(tx);
      ids.push(id);
      out.txs.set(toHex(id), { block: hash, index: i });
      for (const input of tx.inputs) {
        const key = outpointKey(input.prevTxid, input.prevIndex);
        const coin =
          out.coins.get(key) ?? fail(`block ${h} spends ${key}, which is not unspent at that point`);
        if (!createdHere.has(key)) spent.push({ key, txid: input.prevTxid, index: input.prevIndex, coin });
        out.coins.delete(key);
      }
      tx.outputs.forEach((o, index) => {
        const key = outpointKey(id, index);
        createdHere.add(key);
        out.coins.set(key, { amount: o.amount, address: o.address, height: h, coinbase: i === 0 });
      });
    }
    const undo = (await store.blocks.getUndo(fromHex(hash))) ?? fail(`block ${h} has no undo data`);
    if (undo.length !== spent.length)
      fail(`block ${h}: undo lists ${undo.length} coins, the block spent ${spent.length}`);
    undo.forEach((u, i) => {
      const expected = spent[i]!;
      if (outpointKey(u.txid, u.index) !== expected.key || !sameCoin(u.coin, expected.coin)) {
        fail(
          `block ${h}: undo entry ${i} is ${outpointKey(u.txid, u.index)} ${describeCoin(u.coin)}, expected ${expected.key} ${describeCoin(expected.coin)}`,
        );
      }
    });
    if (h > 0) {
      for (const d of addressDeltas(block, ids, spent)) {
        const a = toHex(d.address);
        out.history.set(a, (out.history.get(a) ?? 0) + 1);
      }
    }
  }
  return out;
}

/**
 * Throws StoreInconsistency naming the first thing that is wrong; returns a summary otherwise.
 * `raw`, when known, is the explorer index as read raw from disk.
 */
export async function checkStoreConsistency(store: ChainStore, raw?: RawIndex): Promise<StoreSummary> {
  const fail = (message: string): never => {
    throw new StoreInconsistency(message);
  };
  const index = new Map<string, IndexRecord>();
  for await (const [hash, record] of store.blocks.indexRecords()) index.set(toHex(hash), record);

  const tipBytes = await store.meta.tip.get();
  if (!tipBytes) {
    // Killed before the genesis block was written (one batch with the tip): an empty store is consistent.
    if (index.size > 0) fail(`the store has ${index.size} index records but no tip`);
    for await (const _ of store.coins.coins()) fail('the store has coins but no tip');
    return {
      height: -1,
      tip: '',
      chainWork: 0n,
      coins: 0,
      txs: 0,
      active: [],
      index,
      coinsHeight: -1,
      indexHeight: -1,
    };
  }
  const tip = toHex(tipBytes);
  // Pruning deletes children before parents: no record may name a parent the index lost.
  for (const [hash, record] of index) {
    const parent = toHex(record.header.prevHash);
    if (record.height > 0 && !index.has(parent))
      fail(`index record ${hash} names a missing parent ${parent}`);
  }
  const tipRecord = index.get(tip) ?? fail(`the tip ${tip} has no index record`);
  if (tipRecord.status !== 'valid') fail(`the tip ${tip} has status ${tipRecord.status}, not valid`);
  const height = tipRecord.height;
  const atTip = await store.blocks.getHashAtHeight(height);
  if (!atTip || toHex(atTip) !== tip)
    fail(`height ${height} holds ${atTip && toHex(atTip)}, not the tip ${tip}`);
  if (await store.blocks.getHashAtHeight(height + 1))
    fail(`a height entry ${height + 1} exists above the tip`);

  const active: string[] = [];
  let previous: Block | undefined;
  const blocks = new Map<string, Block>();
  for (let h = 0; h <= height; h++) {
    const hashBytes =
      (await store.blocks.getHashAtHeight(h)) ?? fail(`no block at height ${h} below the tip ${height}`);
    const hash = toHex(hashBytes);
    const bytes =
      (await store.blocks.getBlockBytes(hashBytes)) ??
      fail(`active block ${hash} (height ${h}) is not stored`);
    let block: Block;
    try {
      block = decodeBlock(bytes);
    } catch (e) {
      return fail(`active block ${hash} (height ${h}) does not decode: ${(e as Error).message}`);
    }
    if (previous && !equalBytes(block.header.prevHash, blockHash(previous))) {
      fail(`block ${h} does not link to block ${h - 1}`);
    }
    active.push(hash);
    previous = block;
  }
  const chain = await replay(store, index, tip, fail, blocks);
  for (const [h, hash] of active.entries()) {
    if (index.get(hash)!.height !== h)
      fail(`block ${hash} is indexed at height ${index.get(hash)!.height}, stored at ${h}`);
  }

  const coinsTip = toHex((await store.meta.coinsTip.get()) ?? tipBytes);
  const indexTip = toHex((await store.meta.indexTip.get()) ?? tipBytes);
  const atCoins = coinsTip === tip ? chain : await replay(store, index, coinsTip, fail, blocks);
  const atIndex = indexTip === tip ? chain : await replay(store, index, indexTip, fail, blocks);

  let stored = 0;
  for await (const { txid: id, index: i, coin } of store.coins.coins()) {
    stored++;
    const key = outpointKey(id, i);
    const expected = atCoins.coins.get(key);
    if (!expected || !sameCoin(coin, expected)) {
      fail(
        `coin ${key} in the store is ${describeCoin(coin)}; replaying the chain to ${coinsTip} gives ${describeCoin(expected)}`,
      );
    }
  }
  if (stored !== atCoins.coins.size) {
    const missing = [...atCoins.coins.keys()].slice(0, 3).join(', ');
    fail(
      `the store holds ${stored} coins, replaying the chain to ${coinsTip} gives ${atCoins.coins.size} (e.g. ${missing})`,
    );
  }

  for (const [id, where] of atIndex.txs) {
    const location = await store.explorer.txLocation(fromHex(id));
    if (!location || toHex(location.blockHash) !== where.block || location.index !== where.index) {
      fail(
        `tx ${id} of block ${where.block} has location ${location ? `${toHex(location.blockHash)}#${location.index}` : 'none'}`,
      );
    }
  }
  if (raw) {
    if (raw.txLocations !== atIndex.txs.size)
      fail(
        `the store holds ${raw.txLocations} tx locations, the chain to ${indexTip} has ${atIndex.txs.size} txs`,
      );
    for (const entry of raw.addressCoins) {
      const [address, key] = entry.split(' ');
      const coin = atIndex.coins.get(key!);
      if (!coin || toHex(coin.address) !== address)
        fail(`the address index lists ${key}, which is not a coin of ${address}`);
    }
    if (raw.addressCoins.size !== atIndex.coins.size)
      fail(`the address index has ${raw.addressCoins.size} keys for ${atIndex.coins.size} coins`);
    for (const [address, n] of atIndex.history) {
      if ((raw.history.get(address) ?? 0) !== n)
        fail(`address ${address} has ${raw.history.get(address) ?? 0} history entries, expected ${n}`);
      if ((raw.counts.get(address) ?? 0) !== n)
        fail(`address ${address} has the count ${raw.counts.get(address) ?? 0}, expected ${n}`);
    }
    for (const address of new Set([...raw.history.keys(), ...raw.counts.keys()]))
      if (!atIndex.history.has(address))
        fail(`address ${address} has history entries or a count, but no history`);
  }

  return {
    height,
    tip,
    chainWork: tipRecord.chainWork,
    coins: chain.coins.size,
    txs: chain.txs.size,
    active,
    index,
    coinsHeight: index.get(coinsTip)!.height,
    indexHeight: index.get(indexTip)!.height,
  };
}
