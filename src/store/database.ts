// The one database handle every store shares, and the one atomic batch they add their writes to.
// The handle is any abstract-level database with binary keys and values: classic-level (LevelDB) in
// Node, browser-level (IndexedDB) in a browser. Only the composition root (src/node) constructs one.
import type { AbstractLevel } from 'abstract-level';

type Bytes = Uint8Array;

/** An abstract-level database opened with `keyEncoding: 'view'` and `valueEncoding: 'view'`. */
// biome-ignore lint/suspicious/noExplicitAny: the storage format differs by implementation (Buffer, Uint8Array…)
export type Database = AbstractLevel<any, Bytes, Bytes>;

export type Op = { type: 'put'; key: Bytes; value: Bytes } | { type: 'del'; key: Bytes };

/** A key range for a scan: every key from `gte` up to (not including) `lt`. */
export interface KeyRange {
  readonly gte: Bytes;
  readonly lt: Bytes;
}

/** Collects writes of any store; nothing reaches the disk until write(), which applies all of them or none. */
export class WriteBatch {
  readonly ops: Op[] = [];
  constructor(private readonly db: Database) {}

  put(key: Bytes, value: Bytes): void {
    this.ops.push({ type: 'put', key, value });
  }

  del(key: Bytes): void {
    this.ops.push({ type: 'del', key });
  }

  get length(): number {
    return this.ops.length;
  }

  async write(): Promise<void> {
    await writeOps(this.db, this.ops);
  }
}

/**
 * Writes `ops` in one atomic batch, added one by one to a chained batch. LevelDB's binding reads an
 * array batch's operations field by field (type, key, value: several calls into JS each), and a long
 * import's main thread spent up to a fifth of its time there; put() and del() of a chained batch hand
 * the key and value over directly, at about half the main thread's time per operation.
 */
export async function writeOps(db: Database, ops: readonly Op[]): Promise<void> {
  if (ops.length === 0) return;
  const batch = db.batch();
  try {
    for (const op of ops) {
      if (op.type === 'put') batch.put(op.key, op.value);
      else batch.del(op.key);
    }
  } catch (e) {
    await batch.close();
    throw e;
  }
  await batch.write();
}

/** A store's typed view of a batch: its own put/del methods add to a batch that other stores may share. */
export abstract class StoreWrites {
  constructor(readonly batch: WriteBatch) {}

  get length(): number {
    return this.batch.length;
  }

  /** Writes the whole batch, this store's writes and those other stores added to it. */
  write(): Promise<void> {
    return this.batch.write();
  }
}
