// The browser node's store: the full node's ChainStore over IndexedDB (browser-level).
import { BrowserLevel } from 'browser-level';
import type { Database } from '../../../src/store/database.js';
import { ChainStore } from '../../../src/store/store.js';

/** Opens the IndexedDB store (created if new). */
export async function openBrowserStore(dbName: string): Promise<ChainStore> {
  const db = new BrowserLevel<Uint8Array, Uint8Array>(dbName, { keyEncoding: 'view', valueEncoding: 'view' });
  // IndexedDB stores a view's whole ArrayBuffer, not the bytes it shows: a block hash is a view into the
  // block index's 112 kB slab (chain/entry.ts), so every write of one would store the slab. Copy views.
  db.hooks.prewrite.add((op) => {
    op.key = ownBytes(op.key);
    if (op.type === 'put') op.value = ownBytes(op.value);
  });
  await db.open();
  return ChainStore.open(db as unknown as Database, { location: `indexeddb:${dbName}` });
}

function ownBytes(view: Uint8Array): Uint8Array {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : view.slice();
}
