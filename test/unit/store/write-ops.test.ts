// writeOps: a store's writes reach the database as one atomic batch, put and del alike, on classic-level
// (LevelDB, the node's database) and on memory-level (the interface browser-level gives a browser); an
// operation the database refuses leaves nothing written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, type Op, WriteBatch, writeOps } from '../../../src/store/database.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const databases: Array<[string, () => Database]> = [
  [
    'classic-level',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'hashline-write-ops-'));
      dirs.push(dir);
      return new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    },
  ],
  [
    'memory-level',
    () => new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }),
  ],
];

describe.each(databases)('writeOps on %s', (_name, open) => {
  it('applies puts and deletes in order, empty values included', async () => {
    const db = open();
    await db.open();
    await db.put(bytes(9), bytes(9, 9));
    const ops: Op[] = [
      { type: 'put', key: bytes(1), value: bytes(10) },
      { type: 'put', key: bytes(2), value: new Uint8Array() },
      { type: 'del', key: bytes(9) },
      { type: 'put', key: bytes(3), value: bytes(30) },
      { type: 'del', key: bytes(3) },
    ];
    await writeOps(db, ops);
    const values = await db.getMany([bytes(1), bytes(2), bytes(3), bytes(9)]);
    expect(values.map((v) => (v === undefined ? undefined : [...v]))).toEqual([
      [10],
      [],
      undefined,
      undefined,
    ]);
    await db.close();
  });

  it('writes nothing when one operation is refused', async () => {
    const db = open();
    await db.open();
    const batch = new WriteBatch(db);
    batch.put(bytes(1), bytes(1));
    batch.put(null as unknown as Uint8Array, bytes(2));
    await expect(batch.write()).rejects.toThrow();
    expect(await db.get(bytes(1))).toBeUndefined();
    // The database is still usable: the refused batch was closed, not left open.
    await writeOps(db, [{ type: 'put', key: bytes(4), value: bytes(4) }]);
    expect([...((await db.get(bytes(4))) ?? [])]).toEqual([4]);
    await db.close();
  });
});
