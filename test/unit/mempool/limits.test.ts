// The mempool's chain limits (Bitcoin Core's 25 transactions / 101,000 bytes of ancestors and of
// descendants), at their exact boundaries; eviction and reorganisation with the parent/child links.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { blockHashHex } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { RuleError } from '../../../src/core/errors.js';
import { COIN } from '../../../src/core/params.js';
import { encodeTx, type Tx, txid } from '../../../src/core/tx.js';
import { ENTRY_BASE_BYTES, INPUT_BYTES, OUTPUT_BYTES } from '../../../src/mempool/entry-memory.js';
import { CHAIN_LIMITS } from '../../../src/mempool/limits.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { chainAccess } from '../../../src/node/chain-access.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

const ONE_IN_ONE_OUT = ENTRY_BASE_BYTES + 167 + INPUT_BYTES + OUTPUT_BYTES;

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const alice = testKey(1);
const hex = (tx: Tx) => toHex(txid(tx));

interface Coin {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
}

async function setup(opts: { maxMemory?: number } = {}) {
  fx = await openTestChain();
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
  const coin = (i: number): Coin => ({ txid: txid(coinbases[i]!), index: 0, amount: 50n * COIN });
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

/** Alice spends `from` into `outputs` outputs (the first takes the rest), paying `fee`. */
function pay(from: Coin, fee: bigint, outputs = 1, data = new Uint8Array()): Tx {
  const rest = from.amount - fee - BigInt(outputs - 1) * COIN;
  const outs = [{ address: alice.address, amount: rest }];
  for (let i = 1; i < outputs; i++) outs.push({ address: alice.address, amount: COIN });
  return spend(alice, [from], outs, data);
}

/** Alice spends `from` in a transaction of exactly `size` serialized bytes (padded with 1-unit outputs). */
function paySized(from: Coin, size: number, fee = 200_000n): Tx {
  // 4 version + 1 input count + 132 input + outputs (count varint, 28 each) + data (1-byte varint, < 253)
  for (let outputs = Math.floor((size - 140) / 28); outputs > 0; outputs--) {
    const dataLength = size - 4 - 1 - 132 - (outputs < 253 ? 1 : 3) - 28 * outputs - 1;
    if (dataLength < 0 || dataLength >= 253) continue;
    const outs = [{ address: alice.address, amount: from.amount - fee - BigInt(outputs - 1) }];
    for (let i = 1; i < outputs; i++) outs.push({ address: alice.address, amount: 1n });
    const tx = spend(alice, [from], outs, new Uint8Array(dataLength));
    expect(encodeTx(tx).length).toBe(size);
    return tx;
  }
  throw new Error(`no transaction of ${size} bytes`);
}

const out = (tx: Tx, index = 0): Coin => ({ txid: txid(tx), index, amount: tx.outputs[index]!.amount });

describe('mempool chain limits', () => {
  it('accepts the 25th transaction of an unconfirmed chain and refuses the 26th, changing nothing', async () => {
    const { chain, store, mempool, coin } = await setup();
    expect(CHAIN_LIMITS.ancestorCount).toBe(25);
    const chainTxs: Tx[] = [];
    let from = coin(0);
    for (let i = 1; i <= 25; i++) {
      const tx = pay(from, 1_000n * BigInt(i)); // each pays a little more than its parent
      await mempool.add(tx);
      chainTxs.push(tx);
      from = out(tx);
    }
    expect(mempool.size).toBe(25);
    const added: string[] = [];
    mempool.on('added', (e) => added.push(e.txidHex));
    const twentySixth = pay(from, 30_000n);
    const err = await rejection(mempool.add(twentySixth));
    expect(err.code).toBe('too-long-mempool-chain');
    expect(err.message).toContain('at least 26 in-mempool ancestors');
    expect(err.message).toContain('limit of 25');
    expect(mempool.size).toBe(25);
    expect(mempool.has(hex(twentySixth))).toBe(false);
    expect(added).toEqual([]);
    expect(await store.mempool.txs()).toHaveLength(25);
    // From a peer: refused without blaming it (its limits may differ, or our pool moved).
    expect(await chainAccess(chain, mempool).submitTx(encodeTx(twentySixth))).toEqual({
      status: 'duplicate',
      code: 'too-long-mempool-chain',
    });

    // Once the chain's root confirms, the chain is 24 long in the pool and the 26th fits.
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: chainTxs[0]!, fee: 1_000n }] }));
    expect(mempool.size).toBe(24);
    await mempool.add(twentySixth);
    expect(mempool.size).toBe(25);
  });

  it("accepts a parent's 24th child and refuses its 25th (26 descendants), naming the parent", async () => {
    const { mempool, coin } = await setup();
    const parent = pay(coin(0), 10_000n, 25);
    await mempool.add(parent);
    for (let i = 0; i < 24; i++) await mempool.add(pay(out(parent, i), 1_000n));
    expect(mempool.size).toBe(25);
    const err = await rejection(mempool.add(pay(out(parent, 24), 1_000n)));
    expect(err.code).toBe('too-long-mempool-chain');
    expect(err.message).toContain(`mempool transaction ${hex(parent)} would have at least 26 descendants`);
    expect(mempool.size).toBe(25);
  });

  it('accepts an ancestor package of exactly 101,000 bytes and refuses one byte more', async () => {
    const { mempool, coin } = await setup();
    const big = paySized(coin(0), 60_000);
    await mempool.add(big);
    const over = paySized(out(big), 41_001);
    const err = await rejection(mempool.add(over));
    expect(err.code).toBe('too-long-mempool-chain');
    expect(err.message).toContain('ancestors would be 101,001 bytes');
    expect(err.message).toContain('limit of 101,000');
    expect(mempool.size).toBe(1);
    const exact = paySized(out(big), 41_000);
    await mempool.add(exact);
    expect(mempool.size).toBe(2);
  });

  it('accepts a descendant package of exactly 101,000 bytes and refuses one byte more', async () => {
    const { mempool, coin } = await setup();
    const parent = pay(coin(0), 10_000n, 2);
    await mempool.add(parent);
    const parentSize = encodeTx(parent).length;
    await mempool.add(paySized(out(parent, 0), 60_000));
    // The newcomer's own ancestors (parent + itself) stay far below the limit; the parent's descendants do not.
    const over = paySized(out(parent, 1), 101_000 - parentSize - 60_000 + 1);
    const err = await rejection(mempool.add(over));
    expect(err.code).toBe('too-long-mempool-chain');
    expect(err.message).toContain(
      `mempool transaction ${hex(parent)} would have 101,001 bytes of descendants`,
    );
    expect(mempool.size).toBe(2);
    await mempool.add(paySized(out(parent, 1), 101_000 - parentSize - 60_000));
    expect(mempool.size).toBe(3);
  });

  it("never evicts a newcomer's own ancestor to make room for it", async () => {
    // 1-in-1-out transactions (167 bytes) count ONE_IN_ONE_OUT in memory: two fit, a third needs an eviction.
    const { mempool, coin } = await setup({ maxMemory: 2 * ONE_IN_ONE_OUT + 500 });
    const parent = pay(coin(0), 200n);
    const other = pay(coin(1), 1_000n);
    await mempool.add(parent);
    await mempool.add(other);
    const child = pay(out(parent), 5_000n);
    const evicted: string[] = [];
    mempool.on('removed', (e, reason) => evicted.push(`${e.txidHex}:${reason}`));
    await mempool.add(child);
    // The parent has the lowest fee rate but the child spends it: the other one goes.
    expect(evicted).toEqual([`${hex(other)}:evicted`]);
    expect(mempool.has(hex(parent))).toBe(true);
    expect(mempool.has(hex(child))).toBe(true);
    expect(mempool.selectForBlock(1_000_000).map((e) => e.txidHex)).toEqual([hex(parent), hex(child)]);
  });

  it('drops, after a reorganisation, the pool transactions that the restored ones push past the limits', async () => {
    const { chain, mempool, coin } = await setup();
    const root = pay(coin(0), 1_000n);
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: root, fee: 1_000n }] }));
    // 25 unconfirmed transactions on the confirmed root: allowed.
    const pool: Tx[] = [];
    let from = out(root);
    for (let i = 0; i < 25; i++) {
      const tx = pay(from, 1_000n);
      await mempool.add(tx);
      pool.push(tx);
      from = out(tx);
    }
    const removed: string[] = [];
    mempool.on('removed', (e, reason) => removed.push(`${e.txidHex}:${reason}`));
    // The root's block is disconnected: the root comes back first, and the last of the 25 would have 26.
    let parent = fork;
    for (let i = 0; i < 2; i++) {
      const blk = makeBlock(chain, { parent, extraNonce: 99n });
      await chain.processBlock(blk);
      parent = chain.getEntry(blockHashHex(blk))!;
    }
    await mempool.settled();
    expect(mempool.has(hex(root))).toBe(true);
    expect(mempool.size).toBe(25);
    expect(removed).toEqual([`${hex(pool[24]!)}:reorg`]);
  });
});
