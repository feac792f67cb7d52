// The coin store: the UTXO set ('U'), read through the coins cache in memory; written by the coins
// cache's flush (with its marker 'coins-tip'), and directly only for the genesis block.
import type { Coin } from '../core/validation.js';
import { decodeCoin, encodeCoin } from './codec.js';
import { CoinsCache } from './coins-cache.js';
import { type Database, StoreWrites, WriteBatch, writeOps } from './database.js';
import { KEYS, META } from './layout.js';
import { putMeta } from './meta-store.js';

type Bytes = Uint8Array;

export interface Outpoint {
  readonly txid: Bytes;
  readonly index: number;
}

/** Coin writes straight to disk, around the cache (the genesis block's; the chain goes through the cache). */
export class CoinWrites extends StoreWrites {
  putCoin(txid: Bytes, index: number, coin: Coin): this {
    this.batch.put(KEYS.coin.key({ txid, index }), encodeCoin(coin));
    return this;
  }
  delCoin(txid: Bytes, index: number): this {
    this.batch.del(KEYS.coin.key({ txid, index }));
    return this;
  }
  /** The block the coins on disk are valid for (normally written by the cache's flush). */
  putCoinsTip(hash: Bytes): this {
    putMeta(this.batch, META.coinsTip, hash);
    return this;
  }
}

export class CoinStore {
  /** The UTXO set in memory; every coin read goes through it. */
  readonly cache: CoinsCache;

  constructor(
    private readonly db: Database,
    /** Memory for the coins cache, bytes. */
    cacheBytes: number,
  ) {
    this.cache = new CoinsCache(
      { getMany: (k) => db.getMany(k), batch: (ops) => writeOps(db, ops) },
      cacheBytes,
    );
  }

  /** Reads the marker of the coins on disk (once, when the store opens). */
  async open(): Promise<void> {
    this.cache.flushedBlock = await this.db.get(META.coinsTip.key);
  }

  writes(shared?: WriteBatch): CoinWrites {
    return new CoinWrites(shared ?? new WriteBatch(this.db));
  }

  async getCoin(txid: Bytes, index: number): Promise<Coin | undefined> {
    return (await this.cache.getMany([{ txid, index }]))[0];
  }

  /** Looks up many outpoints at once: the coins cache, then one database call for the rest. */
  async getCoins(outpoints: ReadonlyArray<Outpoint>): Promise<Array<Coin | undefined>> {
    if (outpoints.length === 0) return [];
    return this.cache.getMany(outpoints);
  }

  /** The unspent outputs on disk, as of the last flush (full scan; for tools and tests). */
  async *coins(): AsyncGenerator<{ txid: Bytes; index: number; coin: Coin }> {
    for await (const [k, v] of this.db.iterator(KEYS.coin.range())) {
      yield { ...KEYS.coin.decode(k), coin: decodeCoin(v) };
    }
  }

  /** Writes what the cache holds that the disk does not (before the database closes). */
  async flushIfNeeded(): Promise<void> {
    if (this.cache.needsFlush) await this.cache.flush();
  }
}
