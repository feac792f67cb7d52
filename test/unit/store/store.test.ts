// The stores over one database: writes of several stores in one batch land together; a store of
// another layout version is refused; a store without history counts gets them counted at open.
import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { openStore } from '../../../src/node/level-store.js';
import { META } from '../../../src/store/layout.js';
import { putMeta } from '../../../src/store/meta-store.js';
import type { ChainStore } from '../../../src/store/store.js';
import { tempDir } from '../../support/chain-fixture.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(dir = tempDir()): Promise<{ store: ChainStore; path: string }> {
  cleanups.push(dir.cleanup);
  const store = await openStore(dir.path);
  cleanups.push(() => store.close());
  return { store, path: dir.path };
}

const hash = (byte: number) => new Uint8Array(32).fill(byte);
const address = new Uint8Array(20).fill(3);

describe('ChainStore', () => {
  it('commits the writes several stores add to one batch together, and none before', async () => {
    const { store } = await open();
    const batch = store.batch();
    store.blocks.writes(batch).putHeight(1, hash(1)).putTip(hash(1));
    store.coins.writes(batch).putCoinsTip(hash(1));
    store.explorer.writes(batch).putTxLocation(hash(2), hash(1), 0).putIndexTip(hash(1));
    store.mempool.writes(batch).putTx(hash(3), new Uint8Array([1, 2, 3]));
    expect(batch.length).toBe(6);
    expect(await store.meta.tip.get()).toBeUndefined();
    expect(await store.mempool.txs()).toHaveLength(0);

    await batch.write();
    expect(toHex((await store.meta.tip.get())!)).toBe(toHex(hash(1)));
    expect(toHex((await store.meta.coinsTip.get())!)).toBe(toHex(hash(1)));
    expect(toHex((await store.meta.indexTip.get())!)).toBe(toHex(hash(1)));
    expect(toHex((await store.blocks.getHashAtHeight(1))!)).toBe(toHex(hash(1)));
    const location = await store.explorer.txLocation(hash(2));
    expect(location && [toHex(location.blockHash), location.index]).toEqual([toHex(hash(1)), 0]);
    expect((await store.mempool.txs()).map(toHex)).toEqual(['010203']);
  });

  it('refuses a store of another layout version', async () => {
    const dir = tempDir();
    const { store } = await open(dir);
    await store.meta.version.put(99);
    await store.close();
    await expect(openStore(dir.path)).rejects.toThrow(/store version 99 is not supported/);
  });

  it('counts the address histories of a store written before the counts existed', async () => {
    const dir = tempDir();
    const { store } = await open(dir);
    const writes = store.explorer.writes();
    for (let height = 1; height <= 3; height++) writes.putAddressDelta(address, height, hash(height), 5n);
    putMeta(writes.batch, META.addressCounts, false);
    await writes.write();
    expect(await store.explorer.addressCounts([address])).toEqual([0]);
    await store.close();

    const reopened = await openStore(dir.path);
    cleanups.push(() => reopened.close());
    expect(await reopened.explorer.addressCounts([address])).toEqual([3]);
    expect(await reopened.meta.addressCounts.get()).toBe(true);
  });
});
