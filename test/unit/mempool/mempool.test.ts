import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import type { IndexerOptions } from '../../../src/chain/indexer.js';
import { blockHashHex } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { RuleError } from '../../../src/core/errors.js';
import { COIN } from '../../../src/core/params.js';
import { type Tx, txid } from '../../../src/core/tx.js';
import { ENTRY_BASE_BYTES, INPUT_BYTES, OUTPUT_BYTES } from '../../../src/mempool/entry-memory.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

const ONE_IN_ONE_OUT = ENTRY_BASE_BYTES + 167 + INPUT_BYTES + OUTPUT_BYTES;

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const bob = testKey(2);

async function setup(opts: { maxMemory?: number; indexer?: IndexerOptions } = {}) {
  fx = await openTestChain(undefined, { indexer: opts.indexer });
  const { chain, store } = fx;
  const mempool = new Mempool({
    chain,
    store,
    verifySignatures: verifyOnMainThread,
    maxMemory: opts.maxMemory,
  });
  const coinbases: Tx[] = [];
  for (let i = 0; i < 3; i++) {
    const b = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b);
    coinbases.push(b.txs[0]!);
  }
  const coin = (i: number) => ({ txid: txid(coinbases[i]!), index: 0, amount: 50n * COIN });
  return { chain, store, mempool, coin };
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

describe('Mempool', () => {
  it('accepts a valid spend and rejects a conflicting one, naming the first', async () => {
    const { mempool, coin } = await setup();
    const a = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    const entry = await mempool.add(a);
    expect(entry.fee).toBe(500n);
    // Paying less than a, b cannot replace it (replacement.test.ts has the rules).
    const b = spend(alice, [coin(0)], [{ address: alice.address, amount: 50n * COIN - 400n }]);
    const err = await rejection(mempool.add(b));
    expect(err.code).toBe('replacement-fee-rate-too-low');
    expect(err.message).toContain(entry.txidHex);
    expect(mempool.size).toBe(1);
    expect((await rejection(mempool.add(a))).code).toBe('already-known');
  });

  it('accepts chains of unconfirmed transactions and rejects low fees and bad signatures', async () => {
    const { mempool, coin } = await setup();
    const parent = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    await mempool.add(parent);
    const child = spend(
      bob,
      [{ txid: txid(parent), index: 0, amount: 50n * COIN - 500n }],
      [{ address: alice.address, amount: 50n * COIN - 1000n }],
    );
    await mempool.add(child);
    expect(mempool.size).toBe(2);
    const cheap = spend(alice, [coin(1)], [{ address: bob.address, amount: 50n * COIN - 10n }]);
    expect((await rejection(mempool.add(cheap))).code).toBe('fee-too-low');
    const forged = spend(bob, [coin(1)], [{ address: bob.address, amount: COIN }]);
    expect((await rejection(mempool.add(forged))).code).toBe('bad-pubkey');
    const good = spend(alice, [coin(1)], [{ address: bob.address, amount: COIN }]);
    const sig = good.inputs[0]!.signature.slice();
    sig[0]! ^= 1;
    const badSig = { ...good, inputs: [{ ...good.inputs[0]!, signature: sig }] };
    expect((await rejection(mempool.add(badSig))).code).toBe('bad-signature');
    const over = spend(alice, [coin(1)], [{ address: bob.address, amount: 51n * COIN }]);
    expect((await rejection(mempool.add(over))).code).toBe('overspend');
    expect(mempool.size).toBe(2);
  });

  it('selects parents before children and by fee rate', async () => {
    const { mempool, coin } = await setup();
    const parent = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 200n }]);
    await mempool.add(parent);
    const child = spend(
      bob,
      [{ txid: txid(parent), index: 0, amount: 50n * COIN - 200n }],
      [{ address: alice.address, amount: 50n * COIN - 200n - 5000n }],
    );
    await mempool.add(child);
    const rich = spend(alice, [coin(1)], [{ address: bob.address, amount: 50n * COIN - 3000n }]);
    await mempool.add(rich);
    const order = mempool.selectForBlock(1_000_000).map((e) => e.txidHex);
    const ip = order.indexOf(toHex(txid(parent)));
    const ic = order.indexOf(toHex(txid(child)));
    expect(ip).toBeLessThan(ic);
    expect(order[0]).toBe(toHex(txid(rich)));
    // A budget that fits one transaction takes the richest.
    expect(mempool.selectForBlock(200)).toHaveLength(1);
  });

  it('drops confirmed and conflicting transactions when a block connects', async () => {
    const { chain, mempool, coin } = await setup();
    const a = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    const b = spend(alice, [coin(1)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    await mempool.add(a);
    await mempool.add(b);
    const rival = spend(alice, [coin(1)], [{ address: alice.address, amount: 50n * COIN - 700n }]);
    await chain.processBlock(
      makeBlock(chain, {
        txs: [
          { tx: a, fee: 500n },
          { tx: rival, fee: 700n },
        ],
      }),
    );
    expect(mempool.size).toBe(0);
  });

  it('finds the entries spending from or paying to an address, by fee rate, until they leave', async () => {
    const { chain, mempool, coin } = await setup();
    const carol = testKey(3);
    const hex = (key: { address: Uint8Array }) => toHex(key.address);
    const ids = (entries: ReadonlyArray<{ txidHex: string }>) => entries.map((e) => e.txidHex);
    const toBob = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    const toCarol = spend(alice, [coin(1)], [{ address: carol.address, amount: 50n * COIN - 9000n }]);
    await mempool.add(toBob);
    await mempool.add(toCarol);
    // Bob passes his pending coin on to Carol: it spends from Bob and pays Carol.
    const onward = spend(
      bob,
      [{ txid: txid(toBob), index: 0, amount: 50n * COIN - 500n }],
      [{ address: carol.address, amount: 50n * COIN - 1500n }],
    );
    await mempool.add(onward);
    const [a, c, o] = [toBob, toCarol, onward].map((t) => toHex(txid(t)));
    expect(ids(mempool.touching(hex(alice)))).toEqual([c, a]);
    expect(ids(mempool.touching(hex(bob)))).toEqual([o, a]);
    expect(ids(mempool.touching(hex(carol)))).toEqual([c, o]);
    expect(mempool.touching(toHex(testKey(4).address))).toEqual([]);
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: toBob, fee: 500n }] }));
    expect(ids(mempool.touching(hex(alice)))).toEqual([c]);
    expect(ids(mempool.touching(hex(bob)))).toEqual([o]);
    expect(ids(mempool.touching(hex(carol)))).toEqual([c, o]);
  });

  it('takes back the transactions of a disconnected branch after a reorg', async () => {
    const { chain, mempool, coin } = await setup();
    const a = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    await mempool.add(a);
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    expect(mempool.size).toBe(0);
    const restored: string[] = [];
    mempool.on('restored', (entries) => restored.push(...entries.map((e) => e.txidHex)));
    let parent = fork;
    for (let i = 0; i < 2; i++) {
      const blk = makeBlock(chain, { parent, extraNonce: 99n });
      await chain.processBlock(blk);
      parent = chain.getEntry(blockHashHex(blk))!;
    }
    expect(chain.tip).toBe(parent);
    await mempool.settled();
    expect(mempool.has(toHex(txid(a)))).toBe(true);
    expect(restored).toEqual([toHex(txid(a))]);
  });

  it('evicts the lowest fee rate when full, and refuses a cheaper newcomer', async () => {
    // 1-in-1-out transactions (167 bytes) count ONE_IN_ONE_OUT in memory: two fit, a third needs an eviction.
    const { mempool, coin } = await setup({ maxMemory: 2 * ONE_IN_ONE_OUT + 500 });
    const low = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 200n }]);
    const mid = spend(alice, [coin(1)], [{ address: bob.address, amount: 50n * COIN - 400n }]);
    await mempool.add(low);
    await mempool.add(mid);
    const high = spend(alice, [coin(2)], [{ address: bob.address, amount: 50n * COIN - 1000n }]);
    await mempool.add(high);
    expect(mempool.has(toHex(txid(low)))).toBe(false);
    expect(mempool.size).toBe(2);
    const cheaper = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 196n }]);
    expect((await rejection(mempool.add(cheaper))).code).toBe('mempool-full');
  });

  it('persists across a restart', async () => {
    const { chain, store, mempool, coin } = await setup();
    const a = spend(alice, [coin(0)], [{ address: bob.address, amount: 50n * COIN - 500n }]);
    await mempool.add(a);
    const again = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    expect(await again.load()).toBe(1);
    expect(again.has(toHex(txid(a)))).toBe(true);
  });
});

// Admission answers "already confirmed" from the coin set (as Bitcoin Core's PreChecks does), never
// from the explorer index: here the index never catches up on its own, and it is never asked.
async function setupUnindexed() {
  const fixture = await setup({ indexer: { lagBlocks: 1_000_000, idleMs: 3_600_000 } });
  return { ...fixture, caughtUp: vi.spyOn(fixture.chain.indexer, 'caughtUp') };
}

describe('admission of a confirmed transaction', () => {
  it('is refused as already-known from the coins, without the explorer index', async () => {
    const { chain, mempool, coin, caughtUp } = await setupUnindexed();
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
    const { chain, mempool, coin, caughtUp } = await setupUnindexed();
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
