// Replace-by-fee at each rule's boundary (docs/protocol.md, "Replacement"): one unit short is refused
// with the rule's code and leaves the pool as it was; exactly enough is accepted and evicts in one step.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { toHex } from '../../../src/core/bytes.js';
import { RuleError } from '../../../src/core/errors.js';
import { COIN } from '../../../src/core/params.js';
import { encodeTx, type Tx, txid } from '../../../src/core/tx.js';
import { Mempool, type MempoolEntry } from '../../../src/mempool/mempool.js';
import { MAX_REPLACED } from '../../../src/mempool/replacement.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const bob = testKey(2);
const COINBASE = 50n * COIN;
/** 1 input, 1 output, no data. */
const SIZE_1_1 = 167;
const PIECE = COIN / 4n;

interface Coin {
  txid: Uint8Array;
  index: number;
  amount: bigint;
}

async function setup(fanOut = 0) {
  fx = await openTestChain();
  const { chain, store } = fx;
  const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
  const coinbases: Tx[] = [];
  for (let i = 0; i < 4; i++) {
    const b = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b);
    coinbases.push(b.txs[0]!);
  }
  const coin = (i: number): Coin => ({ txid: txid(coinbases[i]!), index: 0, amount: COINBASE });
  // A confirmed transaction with `fanOut` outputs of 1 coin each, for many independent spends.
  const outs: Coin[] = [];
  if (fanOut > 0) {
    const fan = spend(
      alice,
      [coin(3)],
      Array.from({ length: fanOut }, () => ({ address: alice.address, amount: PIECE })),
    );
    const fee = COINBASE - BigInt(fanOut) * PIECE;
    await chain.processBlock(makeBlock(chain, { miner: bob.address, txs: [{ tx: fan, fee }] }));
    for (let i = 0; i < fanOut; i++) outs.push({ txid: txid(fan), index: i, amount: PIECE });
  }
  const removed: Array<[string, string]> = [];
  mempool.on('removed', (e, reason) => removed.push([e.txidHex, reason]));
  return { chain, store, mempool, coin, outs, removed };
}

/** Pays all of `inputs` less `fee` to `to`, with `data` bytes of padding. */
const pay = (inputs: Coin[], fee: bigint, to = bob.address, data = 0): Tx =>
  spend(
    alice,
    inputs,
    [{ address: to, amount: inputs.reduce((t, c) => t + c.amount, 0n) - fee }],
    new Uint8Array(data),
  );

const out = (tx: Tx, index: number, amount: bigint): Coin => ({ txid: txid(tx), index, amount });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RuleError) return e.code;
    throw e;
  }
  throw new Error('expected a rule error');
}

const ids = (m: Mempool) =>
  m
    .sorted()
    .map((e: MempoolEntry) => e.txidHex)
    .sort();

describe('replace-by-fee', () => {
  it('fee rate: equal to the conflict’s is refused, one unit above is accepted', async () => {
    const { mempool, coin } = await setup();
    const a = pay([coin(0)], 1670n); // 10 units/byte
    await mempool.add(a);
    expect(encodeTx(a).length).toBe(SIZE_1_1);
    // 100 bytes of data: 267 bytes; rate 10 is 2670, well above 1670 + 267 (the absolute rule).
    const equal = pay([coin(0)], 2670n, bob.address, 100);
    expect(encodeTx(equal).length).toBe(267);
    expect(await refusal(mempool.add(equal))).toBe('replacement-fee-rate-too-low');
    expect(ids(mempool)).toEqual([toHex(txid(a))]);
    const above = pay([coin(0)], 2671n, bob.address, 100);
    await mempool.add(above);
    expect(ids(mempool)).toEqual([toHex(txid(above))]);
  });

  it('absolute fee: the replaced fees plus the relay fee for its size, to the unit', async () => {
    const { mempool, coin, removed } = await setup();
    const a = pay([coin(0)], 500n, alice.address);
    const child = pay([out(a, 0, COINBASE - 500n)], 1000n);
    await mempool.add(a);
    await mempool.add(child);
    // Replacing a evicts its child too: 500 + 1000 + 167 × 1 unit/byte = 1667.
    const short = pay([coin(0)], 1666n);
    expect(await refusal(mempool.add(short))).toBe('insufficient-fee-replacement');
    expect(mempool.size).toBe(2);
    const enough = pay([coin(0)], 1667n);
    await mempool.add(enough);
    expect(ids(mempool)).toEqual([toHex(txid(enough))]);
    expect(removed.sort()).toEqual(
      [
        [toHex(txid(a)), 'replaced'],
        [toHex(txid(child)), 'replaced'],
      ].sort(),
    );
    // A replaced transaction offered again is refused (so never relayed again).
    expect(await refusal(mempool.add(a))).toBe('replacement-fee-rate-too-low');
  });

  it('the relay part follows --min-fee-rate', async () => {
    fx = await openTestChain();
    const { chain, store } = fx;
    const mempool = new Mempool({ chain, store, verifySignatures: verifyOnMainThread, minFeeRate: 3 });
    const b = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b);
    const c = { txid: txid(b.txs[0]!), index: 0, amount: COINBASE };
    await mempool.add(pay([c], 1000n));
    expect(await refusal(mempool.add(pay([c], 1000n + 3n * 167n - 1n)))).toBe('insufficient-fee-replacement');
    await mempool.add(pay([c], 1000n + 3n * 167n));
  });

  it(`evicts at most ${MAX_REPLACED} transactions: ${MAX_REPLACED} accepted, ${MAX_REPLACED + 1} refused`, async () => {
    const { mempool, outs } = await setup(MAX_REPLACED + 1);
    for (const o of outs) await mempool.add(pay([o], 200n));
    const all = pay(outs, 200n * 101n + 20_000n);
    expect(await refusal(mempool.add(all))).toBe('too-many-replacements');
    expect(mempool.size).toBe(MAX_REPLACED + 1);
    const hundred = pay(outs.slice(0, MAX_REPLACED), 200n * 100n + 20_000n);
    await mempool.add(hundred);
    expect(mempool.size).toBe(2);
  });

  it('no new unconfirmed inputs: a parent of the replaced is allowed, another pool transaction is not', async () => {
    const { mempool, coin } = await setup();
    const parent = spend(
      alice,
      [coin(0)],
      [
        { address: alice.address, amount: COIN },
        { address: alice.address, amount: COIN },
      ],
    );
    const other = pay([coin(1)], 500n, alice.address);
    await mempool.add(parent);
    await mempool.add(other);
    const a = pay([out(parent, 0, COIN)], 500n);
    await mempool.add(a);
    const fromOther = pay([out(parent, 0, COIN), out(other, 0, COINBASE - 500n)], 10_000n);
    expect(await refusal(mempool.add(fromOther))).toBe('replacement-adds-unconfirmed');
    // A confirmed coin is no unconfirmed input, and the other output of a's own parent is allowed.
    const fine = pay([out(parent, 0, COIN), out(parent, 1, COIN), coin(2)], 10_000n);
    await mempool.add(fine);
    expect(mempool.has(toHex(txid(a)))).toBe(false);
    expect(mempool.has(toHex(txid(fine)))).toBe(true);
  });

  it('a replacement may not spend what it replaces', async () => {
    const { mempool, coin } = await setup();
    const a = pay([coin(0)], 500n, alice.address);
    await mempool.add(a);
    const selfish = pay([coin(0), out(a, 0, COINBASE - 500n)], 10_000n);
    expect(await refusal(mempool.add(selfish))).toBe('replacement-spends-conflict');
    expect(ids(mempool)).toEqual([toHex(txid(a))]);
  });

  it('the chain limits still hold, counting the pool as it would be after the replacement', async () => {
    const { mempool, coin } = await setup();
    // p and 24 descendants: 23 in a chain from output 0, and a from output 1 (p's limit of 25 reached).
    const p = spend(
      alice,
      [coin(0)],
      [0, 1, 2].map(() => ({ address: alice.address, amount: COIN })),
    );
    await mempool.add(p);
    let prev = out(p, 0, COIN);
    for (let i = 0; i < 23; i++) {
      const next = pay([prev], 200n, alice.address);
      await mempool.add(next);
      prev = out(next, 0, prev.amount - 200n);
    }
    const a = pay([out(p, 1, COIN)], 200n);
    await mempool.add(a);
    expect(mempool.size).toBe(25);
    // A new spend of p's third output would be p's 26th.
    expect(await refusal(mempool.add(pay([out(p, 2, COIN)], 1000n)))).toBe('too-long-mempool-chain');
    // Replacing a keeps p at 25.
    const r = pay([out(p, 1, COIN)], 1000n);
    await mempool.add(r);
    expect(mempool.size).toBe(25);
    expect(mempool.has(toHex(txid(a)))).toBe(false);
  });

  it('is gone from the store with its descendants in the same step', async () => {
    const { chain, store, mempool, coin } = await setup();
    const a = pay([coin(0)], 500n);
    await mempool.add(a);
    const r = pay([coin(0)], 5000n);
    await mempool.add(r);
    const reloaded = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    expect(await reloaded.load()).toBe(1);
    expect(ids(reloaded)).toEqual([toHex(txid(r))]);
  });
});
