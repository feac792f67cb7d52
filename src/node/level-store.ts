// The one place a database is constructed: classic-level (LevelDB) in a directory, under the stores of
// src/store (which take any abstract-level database, e.g. browser-level in a browser).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import {
  type VerifiedStores,
  type VerifyOptions,
  type VerifyOutcome,
  verifyStoredChain,
} from '../chain/verify.js';
import type { NetworkParams } from '../core/params.js';
import { ChainStore, StoreError, type StoreOptions } from '../store/store.js';
import { installNodeCrypto } from './native-crypto.js';

/** LevelDB's own memory: its block cache and write buffer (classic-level defaults are 8 and 4 MiB). */
const LEVEL_OPTIONS = { cacheSize: 4 * 1024 * 1024, writeBufferSize: 4 * 1024 * 1024 };

/** Opens (creating if needed) the store in a directory. Fails clearly if another process holds it. */
export async function openStore(
  location: string,
  opts: Omit<StoreOptions, 'location'> = {},
): Promise<ChainStore> {
  // A process that opens a store opens a chain on it: native hashing and verifying from here on.
  installNodeCrypto();
  mkdirSync(location, { recursive: true });
  const db = new ClassicLevel<Uint8Array, Uint8Array>(location, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    ...LEVEL_OPTIONS,
  });
  try {
    await db.open();
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if ((e as { code?: string }).code === 'LEVEL_LOCKED' || cause?.code === 'LEVEL_LOCKED') {
      throw new StoreError(`the data directory ${location} is in use by another Hashline process`);
    }
    throw new StoreError(`cannot open the store in ${location}: ${(e as Error).message}`);
  }
  return ChainStore.open(db, { ...opts, location });
}

/** A store in a fresh temporary directory, deleted by dispose() (chain verify replays into one). */
export async function openScratchStore(): Promise<{ store: ChainStore; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hashline-verify-'));
  const store = await openStore(dir);
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Re-validates a stored chain from genesis into a scratch store on disk (see src/chain/verify.ts). */
export function verifyStoredChainOnDisk(
  store: VerifiedStores,
  params: NetworkParams,
  opts: VerifyOptions = {},
): Promise<VerifyOutcome> {
  return verifyStoredChain(store, params, { ...opts, openScratch: openScratchStore });
}
