// The LevelDB store (classic-level). Typed reads, and a typed batch that commits atomically.
import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import type { Block } from '../core/block.js';
import { encodeBlock } from '../core/block.js';
import type { Coin } from '../core/validation.js';
import {
  decodeCoin,
  decodeIndexRecord,
  decodeSigned64,
  decodeTxLocation,
  decodeUndo,
  encodeCoin,
  encodeIndexRecord,
  encodeSigned64,
  encodeTxLocation,
  encodeUndo,
  type IndexRecord,
  type SpentCoin,
} from './codec.js';
import { CoinsCache } from './coins-cache.js';
import { keys, PREFIX, prefixEnd, STORE_VERSION, u32be } from './layout.js';

type Bytes = Uint8Array;
type Db = ClassicLevel<Bytes, Bytes>;
type Op = { type: 'put'; key: Bytes; value: Bytes } | { type: 'del'; key: Bytes };

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** Collects writes; nothing reaches the disk until write(), which applies all of them or none. */
export class StoreBatch {
  readonly ops: Op[] = [];
  constructor(private readonly db: Db) {}

  private put(key: Bytes, value: Bytes): this {
    this.ops.push({ type: 'put', key, value });
    return this;
  }
  private del(key: Bytes): this {
    this.ops.push({ type: 'del', key });
    return this;
  }

  putBlock(hash: Bytes, block: Block | Bytes): this {
    return this.put(keys.block(hash), block instanceof Uint8Array ? block : encodeBlock(block));
  }
  delBlock(hash: Bytes): this {
    return this.del(keys.block(hash));
  }
  delIndex(hash: Bytes): this {
    return this.del(keys.index(hash));
  }
  putIndex(hash: Bytes, record: IndexRecord): this {
    return this.put(keys.index(hash), encodeIndexRecord(record));
  }
  putHeight(height: number, hash: Bytes): this {
    return this.put(keys.height(height), hash);
  }
  delHeight(height: number): this {
    return this.del(keys.height(height));
  }
  /** Writes an unspent output straight to disk (the chain goes through the coins cache instead). */
  putCoin(txid: Bytes, index: number, coin: Coin): this {
    return this.put(keys.coin(txid, index), encodeCoin(coin));
  }
  delCoin(txid: Bytes, index: number): this {
    return this.del(keys.coin(txid, index));
  }
  /** The by-address entry of an unspent output (explorer index). */
  putAddressCoin(address: Bytes, txid: Bytes, index: number): this {
    return this.put(keys.addressCoin(address, txid, index), new Uint8Array());
  }
  delAddressCoin(address: Bytes, txid: Bytes, index: number): this {
    return this.del(keys.addressCoin(address, txid, index));
  }
  /** How many history entries ('A') an address has; 0 deletes the count. */
  putAddressCount(address: Bytes, count: number): this {
    return count > 0
      ? this.put(keys.addressCount(address), u32be(count))
      : this.del(keys.addressCount(address));
  }
  putUndo(hash: Bytes, spent: readonly SpentCoin[]): this {
    return this.put(keys.undo(hash), encodeUndo(spent));
  }
  delUndo(hash: Bytes): this {
    return this.del(keys.undo(hash));
  }
  putTxLocation(txid: Bytes, blockHash: Bytes, index: number): this {
    return this.put(keys.txLocation(txid), encodeTxLocation(blockHash, index));
  }
  delTxLocation(txid: Bytes): this {
    return this.del(keys.txLocation(txid));
  }
  putAddressDelta(address: Bytes, height: number, txid: Bytes, delta: bigint): this {
    return this.put(keys.address(address, height, txid), encodeSigned64(delta));
  }
  delAddressDelta(address: Bytes, height: number, txid: Bytes): this {
    return this.del(keys.address(address, height, txid));
  }
  putMempoolTx(txid: Bytes, tx: Bytes): this {
    return this.put(keys.mempool(txid), tx);
  }
  delMempoolTx(txid: Bytes): this {
    return this.del(keys.mempool(txid));
  }
  putTip(hash: Bytes): this {
    return this.put(keys.meta('tip'), hash);
  }
  /** The block the coins on disk are valid for (normally written by the coins cache's flush). */
  putCoinsTip(hash: Bytes): this {
    return this.put(keys.meta('coins-tip'), hash);
  }
  /** The block the explorer index ('T', 'A', 'X', 'C') is at. */
  putIndexTip(hash: Bytes): this {
    return this.put(keys.meta('index-tip'), hash);
  }
  putMeta(name: string, value: Bytes): this {
    return this.put(keys.meta(name), value);
  }

  get length(): number {
    return this.ops.length;
  }

  async write(): Promise<void> {
    if (this.ops.length > 0) await this.db.batch(this.ops);
  }
}

export interface AddressDelta {
  readonly height: number;
  readonly txid: Bytes;
  readonly delta: bigint;
}

export interface StoreOptions {
  /** Memory for the coins cache, bytes (default 32 MiB). */
  readonly coinsCacheBytes?: number;
}

/** LevelDB's own memory: its block cache and write buffer (classic-level defaults are 8 and 4 MiB). */
const LEVEL_OPTIONS = { cacheSize: 4 * 1024 * 1024, writeBufferSize: 4 * 1024 * 1024 };

export class ChainStore {
  /** The UTXO set in memory; every coin read goes through it. */
  readonly coinsCache: CoinsCache;
  /** Awaited before each explorer-index read, so that a read sees every block connected before it. */
  private indexBarrier: () => Promise<void> = () => Promise.resolve();
  /** Stops the indexer before the database closes. */
  private stopIndexer: () => Promise<void> = () => Promise.resolve();

  private constructor(
    private readonly db: Db,
    readonly location: string,
    opts: StoreOptions,
  ) {
    this.coinsCache = new CoinsCache(
      { getMany: (k) => db.getMany(k), batch: (ops) => db.batch(ops) },
      opts.coinsCacheBytes ?? 32 * 1024 * 1024,
    );
  }

  /** Opens (creating if needed) the store in a directory. Fails clearly if another process holds it. */
  static async open(location: string, opts: StoreOptions = {}): Promise<ChainStore> {
    mkdirSync(location, { recursive: true });
    const db: Db = new ClassicLevel<Bytes, Bytes>(location, {
      keyEncoding: 'view',
      valueEncoding: 'view',
      ...LEVEL_OPTIONS,
    });
    try {
      await db.open();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if ((e as { code?: string }).code === 'LEVEL_LOCKED' || cause?.code === 'LEVEL_LOCKED') {
        throw new StoreError(`the data directory ${location} is in use by another Hashline process`);
      }
      throw new StoreError(`cannot open the store in ${location}: ${(e as Error).message}`);
    }
    const store = new ChainStore(db, location, opts);
    const version = await db.get(keys.meta('version'));
    if (version === undefined) {
      await db.batch([
        { type: 'put', key: keys.meta('version'), value: new Uint8Array([STORE_VERSION, 0, 0, 0]) },
        { type: 'put', key: keys.meta('address-counts'), value: new Uint8Array([1]) },
      ]);
    } else if (version[0] !== STORE_VERSION) {
      await db.close();
      throw new StoreError(`store version ${version[0]} is not supported (expected ${STORE_VERSION})`);
    } else if ((await db.get(keys.meta('address-counts'))) === undefined) {
      await store.countAddressHistories();
    }
    store.coinsCache.flushedBlock = await db.get(keys.meta('coins-tip'));
    return store;
  }

  /** Once, for a store written before history counts were kept: counts every address's 'A' entries. */
  private async countAddressHistories(): Promise<void> {
    const gte = keys.prefixOnly(PREFIX.address);
    const batch = this.batch();
    let current: Bytes | undefined;
    let count = 0;
    for await (const k of this.db.keys({ gte, lt: prefixEnd(gte) })) {
      const address = k.subarray(1, 21);
      if (current && equalAddress(current, address)) {
        count++;
        continue;
      }
      if (current) batch.putAddressCount(current, count);
      current = address.slice();
      count = 1;
    }
    if (current) batch.putAddressCount(current, count);
    await batch.putMeta('address-counts', new Uint8Array([1])).write();
  }

  batch(): StoreBatch {
    return new StoreBatch(this.db);
  }

  /**
   * The explorer indexer: its reads wait for `caughtUp` (the indexer reaching the chain's tip), and
   * close() stops it first.
   */
  attachIndexer(indexer: { caughtUp(): Promise<void>; close(): Promise<void> }): void {
    this.indexBarrier = () => indexer.caughtUp();
    this.stopIndexer = () => indexer.close();
  }

  /** Stops the indexer, writes the coins cache's changes (with their marker), then closes. */
  async close(): Promise<void> {
    if (this.db.status === 'open') {
      await this.stopIndexer();
      if (this.coinsCache.needsFlush) await this.coinsCache.flush();
    }
    return this.db.close();
  }

  /** Compacts every key range (LevelDB merges its levels now instead of on a later open or write). */
  compact(): Promise<void> {
    return this.db.compactRange(new Uint8Array([0]), new Uint8Array([0xff]));
  }

  getBlockBytes(hash: Bytes): Promise<Bytes | undefined> {
    return this.db.get(keys.block(hash));
  }

  async getTip(): Promise<Bytes | undefined> {
    return this.db.get(keys.meta('tip'));
  }

  getMeta(name: string): Promise<Bytes | undefined> {
    return this.db.get(keys.meta(name));
  }

  async putMeta(name: string, value: Bytes): Promise<void> {
    await this.db.put(keys.meta(name), value);
  }

  /** The block the coins on disk are valid for; undefined in a store written before the marker existed. */
  getCoinsTip(): Promise<Bytes | undefined> {
    return this.db.get(keys.meta('coins-tip'));
  }

  /** The block the explorer index is at; undefined in a store written before the marker existed. */
  getIndexTip(): Promise<Bytes | undefined> {
    return this.db.get(keys.meta('index-tip'));
  }

  getHashAtHeight(height: number): Promise<Bytes | undefined> {
    return this.db.get(keys.height(height));
  }

  async getUndo(hash: Bytes): Promise<SpentCoin[] | undefined> {
    const v = await this.db.get(keys.undo(hash));
    return v && decodeUndo(v);
  }

  /** Where a confirmed transaction is (explorer index: waits for it to reach the chain's tip). */
  async getTxLocation(txid: Bytes): Promise<{ blockHash: Bytes; index: number } | undefined> {
    await this.indexBarrier();
    return this.getTxLocationIndexed(txid);
  }

  /** The tx location as the explorer index has it now, without waiting (for the indexer and checks). */
  async getTxLocationIndexed(txid: Bytes): Promise<{ blockHash: Bytes; index: number } | undefined> {
    const v = await this.db.get(keys.txLocation(txid));
    return v && decodeTxLocation(v);
  }

  async getCoin(txid: Bytes, index: number): Promise<Coin | undefined> {
    return (await this.coinsCache.getMany([{ txid, index }]))[0];
  }

  /** Looks up many outpoints at once: the coins cache, then one LevelDB call for the rest. */
  async getCoins(outpoints: ReadonlyArray<{ txid: Bytes; index: number }>): Promise<Array<Coin | undefined>> {
    if (outpoints.length === 0) return [];
    return this.coinsCache.getMany(outpoints);
  }

  /** History entry counts of addresses (explorer index, as it is now). */
  async addressCounts(addresses: readonly Bytes[]): Promise<number[]> {
    if (addresses.length === 0) return [];
    const values = await this.db.getMany(addresses.map((a) => keys.addressCount(a)));
    return values.map((v) => (v ? new DataView(v.buffer, v.byteOffset, 4).getUint32(0, false) : 0));
  }

  /** How many confirmed history entries an address has (explorer index). */
  async addressTxCount(address: Bytes): Promise<number> {
    await this.indexBarrier();
    return (await this.addressCounts([address]))[0]!;
  }

  /** Every block index record, in key order (used once at start-up to rebuild the in-memory index). */
  async *indexRecords(): AsyncGenerator<[Bytes, IndexRecord]> {
    const gte = keys.prefixOnly(PREFIX.index);
    for await (const [k, v] of this.db.iterator({ gte, lt: prefixEnd(gte) })) {
      yield [k.slice(1), decodeIndexRecord(v)];
    }
  }

  /** Every block index record undecoded: [hash, record bytes] (start-up reads them all). */
  async *indexRecordsRaw(): AsyncGenerator<[Bytes, Bytes]> {
    const gte = keys.prefixOnly(PREFIX.index);
    for await (const [k, v] of this.db.iterator({ gte, lt: prefixEnd(gte) })) yield [k.subarray(1), v];
  }

  /** The unspent outputs on disk, as of the last coins flush (full scan; for tools and tests). */
  async *coins(): AsyncGenerator<{ txid: Bytes; index: number; coin: Coin }> {
    const gte = keys.prefixOnly(PREFIX.coin);
    for await (const [k, v] of this.db.iterator({ gte, lt: prefixEnd(gte) })) {
      const index = new DataView(k.buffer, k.byteOffset + 33, 4).getUint32(0, false);
      yield { txid: k.slice(1, 33), index, coin: decodeCoin(v) };
    }
  }

  /** Balance changes of an address, newest first. */
  async addressDeltas(
    address: Bytes,
    opts: { offset?: number; limit?: number } = {},
  ): Promise<AddressDelta[]> {
    await this.indexBarrier();
    const gte = keys.addressPrefix(address);
    const out: AddressDelta[] = [];
    const offset = opts.offset ?? 0;
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    let skipped = 0;
    // LevelDB reads only the entries up to the end of the page, not the whole history.
    const end = offset + limit;
    const range = { gte, lt: prefixEnd(gte), reverse: true, ...(Number.isFinite(end) ? { limit: end } : {}) };
    for await (const [k, v] of this.db.iterator(range)) {
      if (skipped++ < offset) continue;
      if (out.length >= limit) break;
      const height = new DataView(k.buffer, k.byteOffset + 21, 4).getUint32(0, false);
      out.push({ height, txid: k.slice(25, 57), delta: decodeSigned64(v) });
    }
    return out;
  }

  /** Unspent outputs paying to an address hash. */
  async addressCoins(address: Bytes): Promise<Array<{ txid: Bytes; index: number; coin: Coin }>> {
    await this.indexBarrier();
    const gte = keys.addressCoinPrefix(address);
    const outpoints: Array<{ txid: Bytes; index: number }> = [];
    for await (const k of this.db.keys({ gte, lt: prefixEnd(gte) })) {
      outpoints.push({
        txid: k.slice(21, 53),
        index: new DataView(k.buffer, k.byteOffset + 53, 4).getUint32(0, false),
      });
    }
    const coins = await this.getCoins(outpoints);
    const out: Array<{ txid: Bytes; index: number; coin: Coin }> = [];
    coins.forEach((coin, i) => {
      if (coin) out.push({ ...outpoints[i]!, coin });
    });
    return out;
  }

  async mempoolTxs(): Promise<Bytes[]> {
    const gte = keys.prefixOnly(PREFIX.mempool);
    const out: Bytes[] = [];
    for await (const v of this.db.values({ gte, lt: prefixEnd(gte) })) out.push(v);
    return out;
  }

  /** libp2p's datastore (its peer store) under its own prefix, for the adapter in src/node. */
  libp2pGet(name: string): Promise<Bytes | undefined> {
    return this.db.get(keys.libp2p(name));
  }

  /** Puts and deletes of libp2p's datastore, applied atomically. */
  async libp2pWrite(ops: ReadonlyArray<{ name: string; value?: Bytes }>): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(
      ops.map(
        (op): Op =>
          op.value === undefined
            ? { type: 'del', key: keys.libp2p(op.name) }
            : { type: 'put', key: keys.libp2p(op.name), value: op.value },
      ),
    );
  }

  /** libp2p datastore entries whose name starts with `prefix`, in key order. */
  async *libp2pEntries(prefix = '', withValues = true): AsyncGenerator<[string, Bytes | undefined]> {
    const gte = keys.libp2p(prefix);
    const decoder = new TextDecoder();
    if (!withValues) {
      for await (const k of this.db.keys({ gte, lt: prefixEnd(gte) }))
        yield [decoder.decode(k.subarray(1)), undefined];
      return;
    }
    for await (const [k, v] of this.db.iterator({ gte, lt: prefixEnd(gte) }))
      yield [decoder.decode(k.subarray(1)), v];
  }

  /** Raw put/get for tests that corrupt a store on purpose (the tamper demo, verify tests). */
  async putBlockBytesUnsafe(hash: Bytes, bytes: Bytes): Promise<void> {
    await this.db.put(keys.block(hash), bytes);
  }
}

const equalAddress = (a: Bytes, b: Bytes): boolean => {
  for (let i = 0; i < 20; i++) if (a[i] !== b[i]) return false;
  return true;
};

export const openStore = (location: string, opts?: StoreOptions): Promise<ChainStore> =>
  ChainStore.open(location, opts);
