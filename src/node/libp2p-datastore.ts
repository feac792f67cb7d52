// libp2p's datastore (where its peer store lives) over the node's own LevelDB, under the 'L'
// prefix (src/store/layout.ts): a restarted node remembers the peers it knew.
import { BaseDatastore } from 'datastore-core';
import { type Batch, Key, type KeyQuery, type Pair, type Query } from 'interface-datastore';
import { NotFoundError } from 'interface-store';
import type { Libp2pStore } from '../store/libp2p-store.js';

export class LevelPeerDatastore extends BaseDatastore {
  constructor(private readonly store: Libp2pStore) {
    super();
  }

  override async put(key: Key, value: Uint8Array): Promise<Key> {
    await this.store.write([{ name: key.toString(), value }]);
    return key;
  }

  override async get(key: Key): Promise<Uint8Array> {
    const value = await this.store.get(key.toString());
    if (value === undefined) throw new NotFoundError(`${key.toString()} not found`);
    return value;
  }

  override async has(key: Key): Promise<boolean> {
    return (await this.store.get(key.toString())) !== undefined;
  }

  override async delete(key: Key): Promise<void> {
    await this.store.write([{ name: key.toString() }]);
  }

  /** One LevelDB batch: all of it is written, or none. */
  override batch(): Batch {
    const ops: { name: string; value?: Uint8Array }[] = [];
    return {
      put: (key, value) => void ops.push({ name: key.toString(), value }),
      delete: (key) => void ops.push({ name: key.toString() }),
      commit: async () => {
        await this.store.write(ops.splice(0));
      },
    };
  }

  // The range scan narrows to the query's prefix; BaseDatastore applies filters, orders, offset, limit.
  override async *_all(q: Query): AsyncGenerator<Pair> {
    for await (const [name, value] of this.store.entries(q.prefix ?? '')) {
      yield { key: new Key(name), value: value! };
    }
  }

  override async *_allKeys(q: KeyQuery): AsyncGenerator<Key> {
    for await (const [name] of this.store.entries(q.prefix ?? '', false)) yield new Key(name);
  }
}
