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
import { keys, PREFIX, prefixEnd, STORE_VERSION } from './layout.js';

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
  /** Adds an unspent output, and its entry in the by-address index. */
  putCoin(txid: Bytes, index: number, coin: Coin): this {
    this.put(keys.addressCoin(coin.address, txid, index), new Uint8Array());
    return this.put(keys.coin(txid, index), encodeCoin(coin));
  }
  /** Removes an unspent output; `address` is the coin's, to drop its by-address entry. */
  delCoin(txid: Bytes, index: number, address: Bytes): this {
    this.del(keys.addressCoin(address, txid, index));
    return this.del(keys.coin(txid, index));
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

export class ChainStore {
  private constructor(
    private readonly db: Db,
    readonly location: string,
  ) {}

  /** Opens (creating if needed) the store in a directory. Fails clearly if another process holds it. */
  static async open(location: string): Promise<ChainStore> {
    mkdirSync(location, { recursive: true });
    const db: Db = new ClassicLevel<Bytes, Bytes>(location, { keyEncoding: 'view', valueEncoding: 'view' });
    try {
      await db.open();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if ((e as { code?: string }).code === 'LEVEL_LOCKED' || cause?.code === 'LEVEL_LOCKED') {
        throw new StoreError(`the data directory ${location} is in use by another Hashline process`);
      }
      throw new StoreError(`cannot open the store in ${location}: ${(e as Error).message}`);
    }
    const store = new ChainStore(db, location);
    const version = await db.get(keys.meta('version'));
    if (version === undefined) {
      await db.put(keys.meta('version'), new Uint8Array([STORE_VERSION, 0, 0, 0]));
    } else if (version[0] !== STORE_VERSION) {
      await db.close();
      throw new StoreError(`store version ${version[0]} is not supported (expected ${STORE_VERSION})`);
    }
    return store;
  }

  batch(): StoreBatch {
    return new StoreBatch(this.db);
  }

  close(): Promise<void> {
    return this.db.close();
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

  getHashAtHeight(height: number): Promise<Bytes | undefined> {
    return this.db.get(keys.height(height));
  }

  async getUndo(hash: Bytes): Promise<SpentCoin[] | undefined> {
    const v = await this.db.get(keys.undo(hash));
    return v && decodeUndo(v);
  }

  async getTxLocation(txid: Bytes): Promise<{ blockHash: Bytes; index: number } | undefined> {
    const v = await this.db.get(keys.txLocation(txid));
    return v && decodeTxLocation(v);
  }

  async getCoin(txid: Bytes, index: number): Promise<Coin | undefined> {
    const v = await this.db.get(keys.coin(txid, index));
    return v && decodeCoin(v);
  }

  /** Looks up many outpoints at once (one LevelDB call). */
  async getCoins(outpoints: ReadonlyArray<{ txid: Bytes; index: number }>): Promise<Array<Coin | undefined>> {
    if (outpoints.length === 0) return [];
    const values = await this.db.getMany(outpoints.map((o) => keys.coin(o.txid, o.index)));
    return values.map((v) => (v === undefined ? undefined : decodeCoin(v)));
  }

  /** Every block index record, in key order (used once at start-up to rebuild the in-memory index). */
  async *indexRecords(): AsyncGenerator<[Bytes, IndexRecord]> {
    const gte = keys.prefixOnly(PREFIX.index);
    for await (const [k, v] of this.db.iterator({ gte, lt: prefixEnd(gte) })) {
      yield [k.slice(1), decodeIndexRecord(v)];
    }
  }

  /** Unspent outputs, optionally only those paying to an address hash (full scan; for tools and tests). */
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
    const gte = keys.addressPrefix(address);
    const out: AddressDelta[] = [];
    const offset = opts.offset ?? 0;
    const limit = opts.limit ?? Number.POSITIVE_INFINITY;
    let skipped = 0;
    for await (const [k, v] of this.db.iterator({ gte, lt: prefixEnd(gte), reverse: true })) {
      if (skipped++ < offset) continue;
      if (out.length >= limit) break;
      const height = new DataView(k.buffer, k.byteOffset + 21, 4).getUint32(0, false);
      out.push({ height, txid: k.slice(25, 57), delta: decodeSigned64(v) });
    }
    return out;
  }

  /** Unspent outputs paying to an address hash. */
  async addressCoins(address: Bytes): Promise<Array<{ txid: Bytes; index: number; coin: Coin }>> {
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

export const openStore = (location: string): Promise<ChainStore> => ChainStore.open(location);
