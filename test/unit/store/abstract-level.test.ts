// The stores take any abstract-level database, not only classic-level: a chain over memory-level (the
// same interface browser-level gives a browser on IndexedDB) connects blocks with a payment, keeps its
// coins and explorer index, and comes back the same after the database is closed and reopened.
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import { toHex } from '../../../src/core/bytes.js';
import { txid } from '../../../src/core/tx.js';
import { ChainStore } from '../../../src/store/store.js';
import { makeBlock, regtest, spend, testKey } from '../../support/chain-fixture.js';

const alice = testKey(1);
const bob = testKey(2);

async function openChain(db: MemoryLevel<Uint8Array, Uint8Array>) {
  await db.open();
  const store = await ChainStore.open(db);
  const chain = await Chain.open({ store, params: regtest, now: () => regtest.genesis.time + 1_000_000 });
  return { store, chain };
}

describe('stores over another abstract-level database', () => {
  it('connect, index and reopen a chain held by memory-level', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
    const first = await openChain(db);
    const b1 = makeBlock(first.chain, { miner: alice.address });
    expect((await first.chain.processBlock(b1)).status).toBe('connected');
    const coinbase = b1.txs[0]!;
    const reward = coinbase.outputs[0]!.amount;
    const pay = spend(
      alice,
      [{ txid: txid(coinbase), index: 0, amount: reward }],
      [
        { address: bob.address, amount: 1_000n },
        { address: alice.address, amount: reward - 1_000n - 500n },
      ],
    );
    const b2 = makeBlock(first.chain, { miner: alice.address, txs: [{ tx: pay, fee: 500n }] });
    expect((await first.chain.processBlock(b2)).status).toBe('connected');
    await first.chain.indexer.caughtUp();
    const location = await first.chain.indexer.txLocation(txid(pay));
    expect(location && toHex(location.blockHash)).toBe(first.chain.tip.hashHex);
    const tip = first.chain.tip.hashHex;
    await first.store.close();

    // memory-level keeps its data across close and open of the same instance, as IndexedDB would.
    const again = await openChain(db);
    try {
      expect(again.chain.height).toBe(2);
      expect(again.chain.tip.hashHex).toBe(tip);
      const [bobCoin, spent] = await again.store.coins.getCoins([
        { txid: txid(pay), index: 0 },
        { txid: txid(coinbase), index: 0 },
      ]);
      expect(bobCoin?.amount).toBe(1_000n);
      expect(spent).toBeUndefined();
      const bobCoins = await again.chain.indexer.addressCoins(bob.address);
      expect(bobCoins.map((c) => c.coin.amount)).toEqual([1_000n]);
    } finally {
      await again.store.close();
    }
  });
});
