import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { COIN } from '../../../src/core/params.js';
import { txid } from '../../../src/core/tx.js';
import { FEES_MIN_INTERVAL_MS, FeeOracle, feeStatsOf } from '../../../src/mempool/fee-oracle.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const bob = testKey(2);

describe('FeeOracle', () => {
  it('shares a computation, follows the pool at once, and computes at most once per interval', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    const coinbases = [];
    for (let i = 0; i < 3; i++) {
      const b = makeBlock(chain, { miner: alice.address });
      await chain.processBlock(b);
      coinbases.push(b.txs[0]!);
    }
    let clock = 1_000_000;
    const waits: number[] = [];
    const oracle = new FeeOracle({
      chain,
      store: store.blocks,
      mempool,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    const [a, b] = [oracle.report(), oracle.report()];
    expect(await a).toBe(await b);
    expect((await a).mempool.count).toBe(0);
    expect(await oracle.report()).toBe(await a); // nothing changed: the same answer
    const pay = spend(
      alice,
      [{ txid: txid(coinbases[0]!), index: 0, amount: 50n * COIN }],
      [{ address: bob.address, amount: 50n * COIN - 1_000n }],
    );
    await mempool.add(pay);
    clock += 100;
    const after = await oracle.report();
    expect(after.mempool.count).toBe(1);
    expect(after.projected[0]).toMatchObject({ count: 1, fees: 1_000n, full: false });
    // It came 100 ms after the last computation: it waited out the rest of the interval.
    expect(waits).toEqual([FEES_MIN_INTERVAL_MS - 100]);
    expect(after.historyBlocks).toBe(3);
  });

  it('reads a block’s fee rates from its undo data and its own outputs', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const b1 = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b1);
    const parent = spend(
      alice,
      [{ txid: txid(b1.txs[0]!), index: 0, amount: 50n * COIN }],
      [{ address: alice.address, amount: 50n * COIN - 500n }],
    );
    const child = spend(
      alice,
      [{ txid: txid(parent), index: 0, amount: 50n * COIN - 500n }],
      [{ address: bob.address, amount: 50n * COIN - 2_170n }],
    );
    const b2 = makeBlock(chain, {
      txs: [
        { tx: parent, fee: 500n },
        { tx: child, fee: 1_670n },
      ],
    });
    await chain.processBlock(b2);
    const stats = feeStatsOf(2, b2, (await store.blocks.getUndo(chain.tip.hash))!);
    expect(stats.txBytes).toBe(334);
    expect(stats.feeRates).toEqual([500 / 167, 10]);
  });
});
