// The mempool takes a connected block's txids from the chain's connect event: the chain computed them to
// connect the block, and hashing 101 transactions again per block was measurable on the live path.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { COIN } from '../../../src/core/params.js';
import * as txModule from '../../../src/core/tx.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

vi.mock('../../../src/core/tx.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/core/tx.js')>();
  return { ...original, txid: vi.fn(original.txid) };
});

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const bob = testKey(2);

describe('Mempool on connect', () => {
  it('removes confirmed transactions by the txids of the connect event, hashing none', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    // Registered around the mempool's own listener (listeners run in order): counts its txid calls.
    let callsBefore = -1;
    let callsDuring = -1;
    const txidCalls = vi.mocked(txModule.txid);
    chain.on('connect', () => {
      callsBefore = txidCalls.mock.calls.length;
    });
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    chain.on('connect', () => {
      callsDuring = txidCalls.mock.calls.length - callsBefore;
    });
    const funding = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(funding);
    const coin = { txid: txModule.txid(funding.txs[0]!), index: 0, amount: 50n * COIN };
    const pay = spend(alice, [coin], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    const entry = await mempool.add(pay);
    const removed: string[] = [];
    mempool.on('removed', (e, reason) => removed.push(`${e.txidHex} ${reason}`));

    const r = await chain.processBlock(makeBlock(chain, { txs: [{ tx: pay, fee: 500n }] }));
    expect(r.status).toBe('connected');
    expect(removed).toEqual([`${entry.txidHex} confirmed`]);
    expect(mempool.size).toBe(0);
    expect(callsDuring).toBe(0);
  });
});
