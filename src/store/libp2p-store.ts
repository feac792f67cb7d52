// libp2p's datastore (its peer store) under its own prefix ('L'), for the adapter in src/node; written
// by libp2p only.
import { type Database, type Op, writeOps } from './database.js';
import { KEYS } from './layout.js';

type Bytes = Uint8Array;

export class Libp2pStore {
  constructor(private readonly db: Database) {}

  get(name: string): Promise<Bytes | undefined> {
    return this.db.get(KEYS.libp2p.key({ name }));
  }

  /** Puts (with a value) and deletes (without), applied atomically. */
  async write(ops: ReadonlyArray<{ name: string; value?: Bytes }>): Promise<void> {
    await writeOps(
      this.db,
      ops.map(
        (op): Op =>
          op.value === undefined
            ? { type: 'del', key: KEYS.libp2p.key({ name: op.name }) }
            : { type: 'put', key: KEYS.libp2p.key({ name: op.name }), value: op.value },
      ),
    );
  }

  /** Entries whose name starts with `prefix`, in key order (values left out when not asked for). */
  async *entries(prefix = '', withValues = true): AsyncGenerator<[string, Bytes | undefined]> {
    const range = KEYS.libp2p.range({ name: prefix });
    if (!withValues) {
      for await (const k of this.db.keys(range)) yield [KEYS.libp2p.decode(k).name, undefined];
      return;
    }
    for await (const [k, v] of this.db.iterator(range)) yield [KEYS.libp2p.decode(k).name, v];
  }
}
