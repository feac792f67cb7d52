// The block store: blocks ('B'), their index entries ('I'), the active chain by height ('H') and undo
// data ('R'); written by the chain only, with its marker 'tip'.
import { type Block, encodeBlock } from '../core/block.js';
import {
  decodeIndexRecord,
  decodeUndo,
  encodeIndexRecord,
  encodeUndo,
  type IndexRecord,
  type SpentCoin,
} from './codec.js';
import { type Database, StoreWrites, WriteBatch } from './database.js';
import { KEYS, META } from './layout.js';
import { putMeta } from './meta-store.js';

type Bytes = Uint8Array;

/** The chain's writes, added to a batch (see StoreWrites). */
export class BlockWrites extends StoreWrites {
  putBlock(hash: Bytes, block: Block | Bytes): this {
    this.batch.put(KEYS.block.key({ hash }), block instanceof Uint8Array ? block : encodeBlock(block));
    return this;
  }
  delBlock(hash: Bytes): this {
    this.batch.del(KEYS.block.key({ hash }));
    return this;
  }
  putIndex(hash: Bytes, record: IndexRecord): this {
    this.batch.put(KEYS.index.key({ hash }), encodeIndexRecord(record));
    return this;
  }
  delIndex(hash: Bytes): this {
    this.batch.del(KEYS.index.key({ hash }));
    return this;
  }
  putHeight(height: number, hash: Bytes): this {
    this.batch.put(KEYS.height.key({ height }), hash);
    return this;
  }
  delHeight(height: number): this {
    this.batch.del(KEYS.height.key({ height }));
    return this;
  }
  putUndo(hash: Bytes, spent: readonly SpentCoin[]): this {
    this.batch.put(KEYS.undo.key({ hash }), encodeUndo(spent));
    return this;
  }
  delUndo(hash: Bytes): this {
    this.batch.del(KEYS.undo.key({ hash }));
    return this;
  }
  /** The active chain's tip: the chain's marker, moved in the same batch as the blocks it names. */
  putTip(hash: Bytes): this {
    putMeta(this.batch, META.tip, hash);
    return this;
  }
}

export class BlockStore {
  constructor(private readonly db: Database) {}

  /** The chain's writes: into `shared` (with other stores' writes), or a batch of their own. */
  writes(shared?: WriteBatch): BlockWrites {
    return new BlockWrites(shared ?? new WriteBatch(this.db));
  }

  getBlockBytes(hash: Bytes): Promise<Bytes | undefined> {
    return this.db.get(KEYS.block.key({ hash }));
  }

  getHashAtHeight(height: number): Promise<Bytes | undefined> {
    return this.db.get(KEYS.height.key({ height }));
  }

  async getUndo(hash: Bytes): Promise<SpentCoin[] | undefined> {
    const v = await this.db.get(KEYS.undo.key({ hash }));
    return v && decodeUndo(v);
  }

  /** Every block index record, in key order. */
  async *indexRecords(): AsyncGenerator<[Bytes, IndexRecord]> {
    for await (const [hash, bytes] of this.indexRecordsRaw()) yield [hash, decodeIndexRecord(bytes)];
  }

  /** Every block index record undecoded: [hash, record bytes]. */
  async *indexRecordsRaw(): AsyncGenerator<[Bytes, Bytes]> {
    for await (const batch of this.indexRecordBatches()) yield* batch;
  }

  /**
   * The same records, `size` at a time, in key order: start-up reads them all, and one promise per
   * batch instead of one per record (two async iterators deep) was a quarter of opening 50,000 blocks.
   */
  async *indexRecordBatches(size = 1024): AsyncGenerator<Array<[Bytes, Bytes]>> {
    const iterator = this.db.iterator(KEYS.index.range());
    try {
      for (;;) {
        const entries = await iterator.nextv(size);
        if (entries.length === 0) return;
        yield entries.map(([k, v]): [Bytes, Bytes] => [KEYS.index.decode(k).hash, v]);
      }
    } finally {
      await iterator.close();
    }
  }

  /** Overwrites a stored block's bytes, for the tamper demo and the tests that corrupt a store on purpose. */
  async putBlockBytesUnsafe(hash: Bytes, bytes: Bytes): Promise<void> {
    await this.db.put(KEYS.block.key({ hash }), bytes);
  }
}
