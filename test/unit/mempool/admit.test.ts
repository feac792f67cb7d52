// Admission answers "already confirmed" from the coin set (as Bitcoin Core's PreChecks does), never
// from the explorer index: the index here never catches up on its own, and is never asked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { RuleError } from '../../../src/core/errors.js';
import { COIN } from '../../../src/core/params.js';
import { type Tx, txid } from '../../../src/core/tx.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const bob = testKey(2);

async function setup() {
  // No lag or quiet moment ever starts a catch-up: only a reader could move the index.
  fx = await openTestChain(undefined, { indexer: { lagBlocks: 1_000_000, idleMs: 3_600_000 } });
  const { chain, store } = fx;
  const caughtUp = vi.spyOn(chain.indexer, 'caughtUp');
  const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
  const coinbases: Tx[] = [];
  for (let i = 0; i < 2; i++) {
    const b = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b);
    coinbases.push(b.txs[0]!);
  }
  const coin = (i: number) => ({ txid: txid(coinbases[i]!), index: 0, amount: 50n * COIN });
  return { chain, mempool, coin, caughtUp };
}

async function rejection(p: Promise<unknown>): Promise<RuleError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a rule error');
}

describe('admission of a confirmed transaction', () => {
  it('is refused as already-known from the coins, without the explorer index', async () => {
    const { chain, mempool, coin, caughtUp } = await setup();
    const a = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));

    const err = await rejection(mempool.add(a));
    expect(err.code).toBe('already-known');
    expect(err.message).toContain('already confirmed');
    // The index is still at genesis and nobody asked it to move.
    expect(chain.indexer.tip.height).toBe(0);
    expect(caughtUp).not.toHaveBeenCalled();
    expect(mempool.size).toBe(0);
  });

  it('tells a confirmed transaction apart from one whose inputs are missing or spent', async () => {
    const { chain, mempool, coin, caughtUp } = await setup();
    const a = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    // Spends a coin that never existed.
    const stray = spend(
      alice,
      [{ txid: new Uint8Array(32).fill(9), index: 0, amount: COIN }],
      [{ address: bob.address, amount: COIN / 2n }],
    );
    expect((await rejection(mempool.add(stray))).code).toBe('missing-inputs');
    // Spends the coin a spent: a conflict with the chain, not the same transaction.
    const rival = spend(alice, [coin(0)], [{ address: alice.address, amount: 50n * COIN - 900n }]);
    expect((await rejection(mempool.add(rival))).code).toBe('missing-inputs');

    // Once every output of a is spent too, nothing of it is left in the coins: Core answers
    // missing-inputs then as well (peers are not penalised for either, see node/chain-access.ts).
    const b = spend(
      bob,
      [{ txid: txid(a), index: 0, amount: 50n * COIN - 500n }],
      [{ address: alice.address, amount: 50n * COIN - 1000n }],
    );
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: b, fee: 500n }] }));
    expect((await rejection(mempool.add(a))).code).toBe('missing-inputs');
    expect((await rejection(mempool.add(b))).code).toBe('already-known');
    expect(caughtUp).not.toHaveBeenCalled();
  });
});
