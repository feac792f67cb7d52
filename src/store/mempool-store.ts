// The mempool store: the pool's transactions ('P'), kept across restarts; written by the mempool only.
import { type Database, StoreWrites, WriteBatch } from './database.js';
import { KEYS } from './layout.js';

type Bytes = Uint8Array;

export class MempoolWrites extends StoreWrites {
  putTx(txid: Bytes, tx: Bytes): this {
    this.batch.put(KEYS.mempool.key({ txid }), tx);
    return this;
  }
  delTx(txid: Bytes): this {
    this.batch.del(KEYS.mempool.key({ txid }));
    return this;
  }
}

export class MempoolStore {
  constructor(private readonly db: Database) {}

  writes(shared?: WriteBatch): MempoolWrites {
    return new MempoolWrites(shared ?? new WriteBatch(this.db));
  }

  /** Every stored transaction, serialized, in txid order. */
  async txs(): Promise<Bytes[]> {
    const out: Bytes[] = [];
    for await (const v of this.db.values(KEYS.mempool.range())) out.push(v);
    return out;
  }
}
