// The coins cache (written every few blocks, replayed after a kill) and the explorer indexer (after
// connects, caught up before every read).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import type { IndexerOptions } from '../../../src/chain/indexer.js';
import { toHex } from '../../../src/core/bytes.js';
import { COIN } from '../../../src/core/params.js';
import { outpointKey, txid } from '../../../src/core/tx.js';
import { openStore } from '../../../src/node/level-store.js';
import { CoinsCache } from '../../../src/store/coins-cache.js';
import { KEYS, META } from '../../../src/store/layout.js';
import type { ChainStore } from '../../../src/store/store.js';

import { makeBlock, regtest, spend, tempDir, testKey } from '../../support/chain-fixture.js';
import { checkStoreAt } from '../../support/store-check.js';

const alice = testKey(1);
const bob = testKey(2);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Closes the database without writing the coins cache, as a kill would leave it. */
async function abandon(store: ChainStore): Promise<void> {
  await (store as unknown as { db: { close(): Promise<void> } }).db.close();
}

async function open(dir: string, coinsFlushBlocks = 1000, indexer?: IndexerOptions) {
  const store = await openStore(dir);
  const chain = await Chain.open({
    store,
    params: regtest,
    now: () => regtest.genesis.time + 1_000_000,
    coinsFlushBlocks,
    indexer,
  });
  return { store, chain };
}

/** Blocks paying alice, then each spending the previous block's coinbase to bob. */
async function payments(chain: Chain, count: number) {
  const spends = [];
  let previous = makeBlock(chain, { miner: alice.address });
  await chain.processBlock(previous);
  for (let i = 0; i < count; i++) {
    const amount = previous.txs[0]!.outputs[0]!.amount;
    const pay = spend(
      alice,
      [{ txid: txid(previous.txs[0]!), index: 0, amount }],
      [{ address: bob.address, amount: 50n * COIN - 1000n }],
    );
    spends.push(pay);
    previous = makeBlock(chain, {
      miner: alice.address,
      txs: [{ tx: pay, fee: amount - (50n * COIN - 1000n) }],
    });
    expect((await chain.processBlock(previous)).status).toBe('connected');
  }
  return spends;
}

describe('CoinsCache', () => {
  function fakeDisk() {
    const ops: Array<{ type: string; key: Uint8Array }> = [];
    return {
      ops,
      disk: {
        getMany: async (k: Uint8Array[]) => k.map(() => undefined),
        batch: async (o: typeof ops) => void ops.push(...o),
      },
    };
  }
  const coin = { amount: 5n, address: new Uint8Array(20).fill(3), height: 1, coinbase: false };
  const id = new Uint8Array(32).fill(9);
  const coinKey = toHex(KEYS.coin.key({ txid: id, index: 0 }));

  it('never writes a coin created and spent between two flushes', async () => {
    const { ops, disk } = fakeDisk();
    const cache = new CoinsCache(disk, 1 << 20);
    cache.add(outpointKey(id, 0), coin, false);
    cache.spend(outpointKey(id, 0));
    cache.bestBlock = new Uint8Array(32).fill(1);
    await cache.flush();
    expect(ops.map((o) => toHex(o.key))).toEqual([toHex(META.coinsTip.key)]);
  });

  it('writes a flushed coin and then its spend; a coin that may be on disk is deleted when spent', async () => {
    const { ops, disk } = fakeDisk();
    const cache = new CoinsCache(disk, 1 << 20);
    cache.add(outpointKey(id, 0), coin, false);
    await cache.flush();
    expect(ops.map((o) => [o.type, toHex(o.key)])).toEqual([['put', coinKey]]);
    cache.spend(outpointKey(id, 0));
    await cache.flush();
    expect(ops.slice(1).map((o) => [o.type, toHex(o.key)])).toEqual([['del', coinKey]]);
    expect(cache.size).toBe(0);
    // Restored by a disconnect (it may be on disk), then spent again: the delete must reach the disk.
    cache.add(outpointKey(id, 0), coin, true);
    cache.spend(outpointKey(id, 0));
    await cache.flush();
    expect(ops.slice(2).map((o) => [o.type, toHex(o.key)])).toEqual([['del', coinKey]]);
  });
});

describe('Chain with the coins cache', () => {
  it('reconnects the blocks after the last coins write when the process died before the next', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const first = await open(dir.path);
    const spends = await payments(first.chain, 6);
    const tip = first.chain.tip.hashHex;
    await abandon(first.store);

    const raw = await openStore(dir.path);
    // The coins on disk are still those of genesis: six blocks of coins were only in memory.
    expect(toHex((await raw.meta.coinsTip.get())!)).toBe(first.chain.genesis.hashHex);
    expect(toHex((await raw.meta.tip.get())!)).toBe(tip);
    await raw.close();

    const second = await open(dir.path);
    cleanups.push(() => second.store.close());
    expect(second.chain.tip.hashHex).toBe(tip);
    // Every block above genesis, where the coins on disk were.
    expect(second.chain.replayedOnOpen).toBe(second.chain.height);
    expect(second.chain.height).toBe(7);
    expect(await second.store.coins.getCoin(txid(spends[5]!), 0)).toMatchObject({
      amount: 50n * COIN - 1000n,
    });
    // Spent by the last payment: gone.
    expect(await second.store.coins.getCoin(txid(spends[4]!), 0)).toBeDefined();
    expect(toHex((await second.store.meta.coinsTip.get())!)).toBe(tip);
    await second.store.close();
    cleanups.pop();
    const summary = await checkStoreAt(dir.path);
    expect(summary.coinsHeight).toBe(summary.height);
    // Closed cleanly: nothing to reconnect.
    const third = await open(dir.path);
    cleanups.push(() => third.store.close());
    expect(third.chain.replayedOnOpen).toBe(0);
  });

  it('reads the block index in batches: every record once, in key order, as one at a time does', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const { store, chain } = await open(dir.path);
    cleanups.push(() => store.close());
    await payments(chain, 6);
    const one: string[] = [];
    for await (const [hash, bytes] of store.blocks.indexRecordsRaw())
      one.push(`${toHex(hash)}:${toHex(bytes)}`);
    const batches: number[] = [];
    const batched: string[] = [];
    for await (const batch of store.blocks.indexRecordBatches(3)) {
      batches.push(batch.length);
      for (const [hash, bytes] of batch) batched.push(`${toHex(hash)}:${toHex(bytes)}`);
    }
    expect(one).toHaveLength(8); // genesis and 7 blocks
    expect(batches).toEqual([3, 3, 2]);
    expect(batched).toEqual(one);
    expect([...one].sort()).toEqual(one);
  });

  it('reorganises over blocks whose coins were never written, and replays a killed reorg', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const { store, chain } = await open(dir.path);
    const [pay] = await payments(chain, 2);
    const fork = chain.entryAtHeight(1)!;
    // A heavier branch from height 1 without the payments: they are undone from undo data in memory order.
    let parent = fork;
    for (let i = 0; i < 3; i++) {
      const r = await chain.processBlock(makeBlock(chain, { parent, miner: bob.address, extraNonce: 5n }));
      parent = chain.getEntry(r.hash)!;
    }
    expect(chain.tip).toBe(parent);
    expect(await store.coins.getCoin(txid(pay!), 0)).toBeUndefined();
    expect(await chain.indexer.txLocation(txid(pay!))).toBeUndefined();
    await abandon(store);
    const summary = await checkStoreAt(dir.path);
    expect(summary.coinsHeight).toBe(0);
    expect(summary.active.at(-1)).toBe(parent.hashHex);

    const again = await open(dir.path);
    expect(again.chain.tip.hashHex).toBe(parent.hashHex);
    await again.store.close();
    const replayed = await checkStoreAt(dir.path);
    expect(replayed.coinsHeight).toBe(replayed.height);
    expect(replayed.indexHeight).toBe(replayed.height);
  });
});

describe('ExplorerIndexer', () => {
  it('answers a read right after a connect, keeps history counts, and takes reorganised blocks out', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const { store, chain } = await open(dir.path, 2);
    cleanups.push(() => store.close());
    const spends = await payments(chain, 3);
    const last = spends[2]!;
    // No wait between the connect and the read: the read catches the index up.
    const loc = await chain.indexer.txLocation(txid(last));
    expect(loc && toHex(loc.blockHash)).toBe(chain.tip.hashHex);
    expect(await chain.indexer.addressTxCount(bob.address)).toBe(3);
    expect((await chain.indexer.addressDeltas(bob.address)).length).toBe(3);
    expect((await chain.indexer.addressCoins(bob.address)).length).toBe(3);

    const fork = chain.entryAtHeight(chain.height - 1)!;
    const a = await chain.processBlock(makeBlock(chain, { parent: fork, extraNonce: 3n }));
    await chain.processBlock(makeBlock(chain, { parent: chain.getEntry(a.hash)!, extraNonce: 3n }));
    expect(await chain.indexer.txLocation(txid(last))).toBeUndefined();
    expect(await chain.indexer.addressTxCount(bob.address)).toBe(2);
    expect((await chain.indexer.addressCoins(bob.address)).length).toBe(2);
    expect(chain.indexer.tip).toBe(chain.tip);
  });

  it('waits while blocks keep coming, then catches up when lagBlocks behind or when the chain is quiet', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    // Quiet never comes during this test: only the lag starts a catch-up.
    const { store, chain } = await open(dir.path, 1000, { lagBlocks: 5, idleMs: 60_000 });
    cleanups.push(() => store.close());
    for (let i = 0; i < 4; i++) await chain.processBlock(makeBlock(chain));
    await new Promise((r) => setTimeout(r, 50));
    expect(chain.indexer.tip.height).toBe(0);
    await chain.processBlock(makeBlock(chain));
    await vi.waitFor(() => expect(chain.indexer.tip).toBe(chain.tip), { timeout: 5000 });

    const dir2 = tempDir();
    cleanups.push(dir2.cleanup);
    const quiet = await open(dir2.path, 1000, { lagBlocks: 1000, idleMs: 20 });
    cleanups.push(() => quiet.store.close());
    for (let i = 0; i < 3; i++) await quiet.chain.processBlock(makeBlock(quiet.chain));
    await vi.waitFor(() => expect(quiet.chain.indexer.tip).toBe(quiet.chain.tip), { timeout: 5000 });
  });

  it('pages an address history newest first, reading up to the end of the page', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const { store, chain } = await open(dir.path, 2);
    cleanups.push(() => store.close());
    await payments(chain, 5);
    const all = await chain.indexer.addressDeltas(bob.address);
    expect(all.map((d) => d.height)).toEqual([...all.map((d) => d.height)].sort((a, b) => b - a));
    expect(all).toHaveLength(5);
    expect(await chain.indexer.addressDeltas(bob.address, { limit: 2 })).toEqual(all.slice(0, 2));
    expect(await chain.indexer.addressDeltas(bob.address, { offset: 1, limit: 2 })).toEqual(all.slice(1, 3));
    expect(await chain.indexer.addressDeltas(bob.address, { offset: 4, limit: 10 })).toEqual(all.slice(4));
    expect(await chain.indexer.addressDeltas(bob.address, { offset: 5, limit: 10 })).toEqual([]);
  });
});
