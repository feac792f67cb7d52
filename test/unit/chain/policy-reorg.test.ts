// A policy coin (32-byte address) through a reorganisation: spent, the spend disconnected, the coin
// restored exactly from undo data (amount, 32-byte address, height, not a coinbase), the explorer index
// of its policy address following, and the store consistent after a kill.
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import { COIN } from '../../../src/core/params.js';
import { encodePolicy, policyHash } from '../../../src/core/policy/index.js';
import { sighash, TX_VERSION_2, type Tx, txid } from '../../../src/core/tx.js';
import { sign } from '../../../src/crypto/ed25519.js';
import { openStore } from '../../../src/node/level-store.js';
import type { ChainStore } from '../../../src/store/store.js';
import { makeBlock, regtest, tempDir, testKey } from '../../support/chain-fixture.js';
import { checkStoreAt } from '../../support/store-check.js';

const alice = testKey(1);
const bob = testKey(2);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const policy = encodePolicy({ type: 'pk', key: alice.publicKey });
const address = policyHash(policy);
const EMPTY = new Uint8Array();

function signed(tx: Tx, amounts: bigint[], witness: boolean): Tx {
  const signature = sign(sighash(txid(tx), amounts), alice.privateKey);
  return {
    ...tx,
    inputs: tx.inputs.map((i) => (witness ? { ...i, witness: signature } : { ...i, signature })),
  };
}

describe('a policy coin through a reorganisation', () => {
  it('is restored exactly when its spend is disconnected, and the index follows', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const store = await openStore(dir.path);
    const chain = await Chain.open({ store, params: regtest, now: () => regtest.genesis.time + 1_000_000 });
    const b1 = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b1);
    const amount = b1.txs[0]!.outputs[0]!.amount;
    const fund = signed(
      {
        version: TX_VERSION_2,
        inputs: [
          {
            prevTxid: txid(b1.txs[0]!),
            prevIndex: 0,
            sequence: 0xffffffff,
            publicKey: alice.publicKey,
            signature: new Uint8Array(64),
          },
        ],
        outputs: [{ amount: 40n * COIN, address }],
        data: EMPTY,
        lockTime: 0,
      },
      [amount],
      false,
    );
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: fund, fee: amount - 40n * COIN }] }));
    const fundHeight = chain.height;
    const coinBefore = await store.coins.getCoin(txid(fund), 0);
    expect(coinBefore).toEqual({ amount: 40n * COIN, address, height: fundHeight, coinbase: false });
    const pay = signed(
      {
        version: TX_VERSION_2,
        inputs: [
          {
            prevTxid: txid(fund),
            prevIndex: 0,
            sequence: 0xffffffff,
            publicKey: EMPTY,
            signature: EMPTY,
            policy,
            witness: EMPTY,
          },
        ],
        outputs: [{ amount: 40n * COIN - 1000n, address: bob.address }],
        data: EMPTY,
        lockTime: 0,
      },
      [40n * COIN],
      true,
    );
    const r3 = await chain.processBlock(makeBlock(chain, { txs: [{ tx: pay, fee: 1000n }] }));
    expect(r3.status).toBe('connected');
    expect(await store.coins.getCoin(txid(fund), 0)).toBeUndefined();
    // The undo record of the spend holds the policy coin with its whole 32-byte address.
    const undo = await store.blocks.getUndo(chain.tip.hash);
    expect(undo?.map((u) => u.coin)).toEqual([coinBefore]);
    expect(await chain.indexer.addressTxCount(address)).toBe(2);
    expect(await chain.indexer.addressCoins(address)).toHaveLength(0);

    // A heavier branch from the funding block, without the spend.
    let parent = chain.entryAtHeight(fundHeight)!;
    for (let i = 0; i < 2; i++) {
      const r = await chain.processBlock(makeBlock(chain, { parent, miner: bob.address, extraNonce: 7n }));
      parent = chain.getEntry(r.hash)!;
    }
    expect(chain.tip).toBe(parent);
    expect(await store.coins.getCoin(txid(fund), 0)).toEqual(coinBefore);
    expect(await chain.indexer.addressTxCount(address)).toBe(1);
    const coins = await chain.indexer.addressCoins(address);
    expect(coins.map((c) => c.coin)).toEqual([coinBefore]);
    // And it is spendable again on the new branch.
    expect((await chain.processBlock(makeBlock(chain, { txs: [{ tx: pay, fee: 1000n }] }))).status).toBe(
      'connected',
    );
    await abandon(store);
    const summary = await checkStoreAt(dir.path);
    expect(summary.height).toBe(fundHeight + 3);
  });
});

/** Closes the database without writing the coins cache, as a kill would leave it. */
async function abandon(store: ChainStore): Promise<void> {
  await (store as unknown as { db: { close(): Promise<void> } }).db.close();
}
