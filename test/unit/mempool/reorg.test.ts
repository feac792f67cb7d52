// The mempool across reorganisations and store faults: one rebuild job, no valid transaction lost.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import type { ChainEntry } from '../../../src/chain/entry.js';
import { blockHashHex } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { RuleError } from '../../../src/core/errors.js';
import { COIN } from '../../../src/core/params.js';
import { decodeTx, encodeTx, type Tx, txid } from '../../../src/core/tx.js';
import { Mempool, type MempoolStores } from '../../../src/mempool/mempool.js';
import { type ChainStore, StoreError } from '../../../src/store/store.js';
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
const hex = (tx: Tx) => toHex(txid(tx));

/** Holds one call of a store method, after it read the store: `skip` calls pass first. */
interface Gate {
  skip: number;
  readonly wait: () => Promise<void>;
}

/**
 * Stores whose named methods fail while `faults` holds them ('write': every batch write), or wait once
 * at a gate in `gates`. Only the mempool sees them; the chain keeps the real stores.
 */
function faultyStore(store: ChainStore, faults: Set<string>, gates = new Map<string, Gate>()): MempoolStores {
  return { mempool: faulty(store.mempool, faults, gates), coins: faulty(store.coins, faults, gates) };
}

function faulty<T extends object>(target: T, faults: Set<string>, gates: Map<string, Gate>): T {
  return new Proxy(target, {
    get(target, key, receiver) {
      if (typeof key === 'string' && faults.has(key))
        return () => Promise.reject(new StoreError(`injected fault in ${key}`));
      const v = Reflect.get(target, key, receiver);
      if (typeof v !== 'function') return v;
      if (key === 'writes' && faults.has('write')) {
        return (...args: unknown[]) => {
          const writes = v.apply(target, args) as { write: () => Promise<void> };
          writes.write = () => Promise.reject(new StoreError('injected fault in write'));
          return writes;
        };
      }
      const gate = typeof key === 'string' ? gates.get(key) : undefined;
      if (!gate) return v.bind(target);
      if (gate.skip-- > 0) return v.bind(target);
      gates.delete(key as string);
      return async (...args: unknown[]) => {
        const result = await v.apply(target, args);
        await gate.wait();
        return result;
      };
    },
  });
}

async function setup() {
  fx = await openTestChain();
  const { chain, store } = fx;
  const faults = new Set<string>();
  const gates = new Map<string, Gate>();
  const mempool = new Mempool({
    chain,
    store: faultyStore(store, faults, gates),
    verifySignatures: verifyOnMainThread,
  });
  const errors: Error[] = [];
  mempool.on('error', (e) => errors.push(e));
  const coinbases: Tx[] = [];
  for (let i = 0; i < 4; i++) {
    const b = makeBlock(chain, { miner: alice.address });
    await chain.processBlock(b);
    coinbases.push(b.txs[0]!);
  }
  const coin = (i: number) => ({ txid: txid(coinbases[i]!), index: 0, amount: 50n * COIN });
  /** Holds a later call of a store method until `open()`; `atGate` resolves when it has read the store. */
  const hold = (method: string, skip = 0) => {
    let open!: () => void;
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const release = new Promise<void>((r) => (open = r));
    gates.set(method, {
      skip,
      wait: async () => {
        reached();
        await release;
      },
    });
    return { atGate, open };
  };
  return { chain, store, mempool, coin, faults, errors, hold };
}

/** Two blocks on `fork` with more work than one on it: the second reorganises the chain. */
async function overtake(chain: Fixture['chain'], fork: ChainEntry, txs: Array<{ tx: Tx; fee: bigint }> = []) {
  let parent = fork;
  for (let i = 0; i < 2; i++) {
    const blk = makeBlock(chain, { parent, extraNonce: 99n, txs: i === 0 ? txs : [] });
    await chain.processBlock(blk);
    parent = chain.getEntry(blockHashHex(blk))!;
  }
  expect(chain.tip).toBe(parent);
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

const pay = (fee: bigint, to = bob.address) => [{ address: to, amount: 50n * COIN - fee }];

describe('Mempool reorganisation rebuild', () => {
  it('keeps every still-valid transaction, restores disconnected ones and never shows a thin pool', async () => {
    const { chain, store, mempool, coin } = await setup();
    const a = spend(alice, [coin(0)], pay(500n));
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    // b is independent; c spends a's output (confirmed now, only unconfirmed after the reorg); d loses.
    const b = spend(alice, [coin(1)], pay(500n));
    const c = spend(bob, [{ txid: txid(a), index: 0, amount: 50n * COIN - 500n }], pay(1000n, alice.address));
    const d = spend(alice, [coin(2)], pay(500n));
    for (const tx of [b, c, d]) await mempool.add(tx);
    const rival = spend(alice, [coin(2)], pay(900n, alice.address));
    const sizes: number[] = [];
    const restored: string[] = [];
    const removed: Array<[string, string]> = [];
    mempool.on('restored', (entries) => restored.push(...entries.map((e) => e.txidHex)));
    mempool.on('removed', (e, reason) => removed.push([e.txidHex, reason]));
    for (const event of ['connect', 'reorg', 'tip'] as const) chain.on(event, () => sizes.push(mempool.size));
    let polling = true;
    const poll = (async () => {
      for (let i = 0; polling && i < 10_000; i++) {
        sizes.push(mempool.size);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await overtake(chain, fork, [{ tx: rival, fee: 900n }]);
    await mempool.settled();
    polling = false;
    await poll;
    expect(new Set([...mempool.sorted().map((e) => e.txidHex)])).toEqual(new Set([hex(a), hex(b), hex(c)]));
    expect(restored).toEqual([hex(a)]);
    expect(removed).toEqual([[hex(d), 'conflict']]);
    // Three before, two once the rival block took d, three after the swap: never empty, never partial.
    expect(new Set(sizes)).toEqual(new Set([2, 3]));
    const stored = new Set((await store.mempool.txs()).map((bytes) => hex(decodeTx(bytes))));
    expect(stored).toEqual(new Set([hex(a), hex(b), hex(c)]));
  });

  it('judges a conflicting spend sent right after the reorg event against the rebuilt pool', async () => {
    const { chain, mempool, coin } = await setup();
    const a = spend(alice, [coin(0)], pay(500n));
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    // Pays less than a: refused as a replacement of a, which the rebuild put back.
    const conflict = spend(alice, [coin(0)], pay(400n, alice.address));
    let late: Promise<unknown> | undefined;
    chain.once('reorg', () => {
      late = mempool.add(conflict);
    });
    await overtake(chain, fork);
    expect(late).toBeDefined();
    const err = await rejection(late!);
    expect(err.code).toBe('replacement-fee-rate-too-low');
    expect(err.message).toContain(hex(a));
    expect(mempool.has(hex(a))).toBe(true);
    expect(mempool.has(hex(conflict))).toBe(false);
  });

  it('defers accepts in flight or queued when the reorg lands until after the rebuild, in order', async () => {
    const { chain, store, mempool, coin, hold } = await setup();
    const a = spend(alice, [coin(0)], pay(500n));
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    // Pays less than a: refused as a replacement of a, which the rebuild put back.
    const conflict = spend(alice, [coin(0)], pay(400n, alice.address));
    const parent = spend(alice, [coin(1)], pay(500n));
    const child = spend(bob, [{ txid: txid(parent), index: 0, amount: 50n * COIN - 500n }], pay(900n));
    const gate = hold('getCoins');
    const inFlight = mempool.add(conflict);
    await gate.atGate;
    // Queued behind the held accept, before the reorg; the child needs its parent to go first.
    const queuedParent = mempool.add(parent);
    const queuedChild = mempool.add(child);
    await overtake(chain, fork);
    gate.open();
    const err = await rejection(inFlight);
    expect(err.code).toBe('replacement-fee-rate-too-low');
    expect(err.message).toContain(hex(a));
    expect((await queuedParent).txidHex).toBe(hex(parent));
    expect((await queuedChild).txidHex).toBe(hex(child));
    await mempool.settled();
    expect(new Set(mempool.sorted().map((e) => e.txidHex))).toEqual(
      new Set([hex(a), hex(parent), hex(child)]),
    );
    const stored = (await store.mempool.txs()).map((bytes) => hex(decodeTx(bytes)));
    expect(stored).not.toContain(hex(conflict));
  });

  it('redoes the rebuild when a block connects while it validates', async () => {
    const { chain, mempool, coin, hold } = await setup();
    const a = spend(alice, [coin(0)], pay(500n));
    const b = spend(alice, [coin(1)], pay(500n));
    await mempool.add(b);
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    // The rebuild checks a, then b: hold it once b's coins are read, and confirm b meanwhile.
    const gate = hold('getCoins', 1);
    await overtake(chain, fork);
    await gate.atGate;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: b, fee: 500n }] }));
    gate.open();
    await mempool.settled();
    // b judged on the old tip would be back though confirmed; judged again it is rightly gone.
    expect(mempool.sorted().map((e) => e.txidHex)).toEqual([hex(a)]);
  });

  it('reports a store fault during the rebuild instead of swallowing it, and keeps working', async () => {
    const { chain, mempool, coin, faults, errors } = await setup();
    const a = spend(alice, [coin(0)], pay(500n));
    const b = spend(alice, [coin(1)], pay(500n));
    await mempool.add(b);
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    faults.add('getCoins');
    await overtake(chain, fork);
    await mempool.settled();
    expect(errors.map((e) => e.message)).toEqual(['injected fault in getCoins']);
    expect(errors[0]).toBeInstanceOf(StoreError);
    // The half-built candidate was never swapped in: the pool is the one before the reorg.
    expect(mempool.sorted().map((e) => e.txidHex)).toEqual([hex(b)]);
    faults.clear();
    const late = spend(alice, [coin(2)], pay(500n));
    expect((await mempool.add(late)).txidHex).toBe(hex(late));
  });

  it('reports a failed write of the rebuilt pool; without an error listener it only warns', async () => {
    const { chain, mempool, coin, faults } = await setup();
    mempool.removeAllListeners('error');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const a = spend(alice, [coin(0)], pay(500n));
    const fork = chain.tip;
    await chain.processBlock(makeBlock(chain, { txs: [{ tx: a, fee: 500n }] }));
    faults.add('write');
    await overtake(chain, fork);
    await mempool.settled();
    faults.clear();
    expect(warn).toHaveBeenCalledTimes(1);
    expect((warn.mock.calls[0]![0] as Error).message).toBe('injected fault in write');
    // Memory holds the rebuilt pool even though persisting it failed.
    expect(mempool.has(hex(a))).toBe(true);
  });
});

describe('Mempool load', () => {
  it('keeps a stored transaction on a store fault and deletes only rule-breaking ones', async () => {
    const { store, chain, coin, faults } = await setup();
    const good = spend(alice, [coin(0)], pay(500n));
    const missing = spend(
      alice,
      [{ txid: new Uint8Array(32).fill(7), index: 0, amount: COIN }],
      pay(49n * COIN),
    );
    await store.mempool
      .writes()
      .putTx(txid(good), encodeTx(good))
      .putTx(txid(missing), encodeTx(missing))
      .write();
    const storedIds = async () => new Set((await store.mempool.txs()).map((bytes) => hex(decodeTx(bytes))));

    const broken = new Mempool({
      chain,
      store: faultyStore(store, faults),
      verifySignatures: verifyOnMainThread,
    });
    faults.add('getCoins');
    await expect(broken.load()).rejects.toBeInstanceOf(StoreError);
    expect(await storedIds()).toEqual(new Set([hex(good), hex(missing)]));

    faults.clear();
    const healthy = new Mempool({ chain, store, verifySignatures: verifyOnMainThread });
    expect(await healthy.load()).toBe(1);
    expect(healthy.has(hex(good))).toBe(true);
    expect(await storedIds()).toEqual(new Set([hex(good)]));
  });
});
