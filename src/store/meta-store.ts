// The metadata store: one typed accessor per entry of META (src/store/layout.ts).
import type { Database, WriteBatch } from './database.js';
import { META, type MetaKey } from './layout.js';

/** One metadata entry: read, written alone, or added to a batch that other stores share. */
export class MetaEntry<T> {
  constructor(
    private readonly db: Database,
    private readonly def: MetaKey<T>,
  ) {}

  async get(): Promise<T | undefined> {
    const bytes = await this.db.get(this.def.key);
    return bytes === undefined ? undefined : this.def.value.decode(bytes);
  }

  put(value: T): Promise<void> {
    return this.db.put(this.def.key, this.def.value.encode(value));
  }

  /** Adds the write to `batch` (it lands with the batch's other writes, or not at all). */
  putIn(batch: WriteBatch, value: T): void {
    putMeta(batch, this.def, value);
  }
}

/** Adds a metadata write to a batch (a writer moving its marker with its data). */
export function putMeta<T>(batch: WriteBatch, def: MetaKey<T>, value: T): void {
  batch.put(def.key, def.value.encode(value));
}

export class MetaStore {
  readonly version: MetaEntry<number>;
  readonly addressCounts: MetaEntry<boolean>;
  readonly tip: MetaEntry<Uint8Array>;
  readonly coinsTip: MetaEntry<Uint8Array>;
  readonly indexTip: MetaEntry<Uint8Array>;
  readonly httpPeers: MetaEntry<string[]>;
  readonly bans: MetaEntry<object[]>;
  readonly anchors: MetaEntry<string[]>;
  readonly peerKey: MetaEntry<Uint8Array>;

  constructor(db: Database) {
    this.version = new MetaEntry(db, META.version);
    this.addressCounts = new MetaEntry(db, META.addressCounts);
    this.tip = new MetaEntry(db, META.tip);
    this.coinsTip = new MetaEntry(db, META.coinsTip);
    this.indexTip = new MetaEntry(db, META.indexTip);
    this.httpPeers = new MetaEntry(db, META.httpPeers);
    this.bans = new MetaEntry(db, META.bans);
    this.anchors = new MetaEntry(db, META.anchors);
    this.peerKey = new MetaEntry(db, META.peerKey);
  }
}
