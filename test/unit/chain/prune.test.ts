// Side branches deep below the tip are deleted (prune.ts): bodies, undo data and index entries,
// invalid ones included, a bounded number per import, children before parents, across restarts.
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import type { Block } from '../../../src/core/block.js';
import { blockHashHex } from '../../../src/core/block.js';
import { COIN } from '../../../src/core/params.js';
import { openStore } from '../../../src/node/level-store.js';

import { makeBlock, regtest, spend, tempDir, testKey } from '../../support/chain-fixture.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CLOCK = regtest.genesis.time + 1_000_000;

async function openAt(path: string, prune: { depth?: number; maxEntries?: number }) {
  const store = await openStore(path);
  const chain = await Chain.open({ store, params: regtest, now: () => CLOCK, prune });
  return { store, chain };
}

async function setUp(prune: { depth?: number; maxEntries?: number }) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  let opened = await openAt(dir.path, prune);
  cleanups.push(() => opened.store.close());
  return {
    get chain() {
      return opened.chain;
    },
    get store() {
      return opened.store;
    },
    restart: async () => {
      await opened.store.close();
      opened = await openAt(dir.path, prune);
    },
  };
}

async function mine(chain: Chain, count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    expect((await chain.processBlock(makeBlock(chain))).status).toBe('connected');
}

/** A side branch of `length` blocks on the active block at `height`. */
async function sideBranch(chain: Chain, height: number, length: number): Promise<Block[]> {
  const out: Block[] = [];
  let parent = chain.entryAtHeight(height)!;
  for (let i = 0; i < length; i++) {
    const b = makeBlock(chain, { parent, extraNonce: 99n });
    expect((await chain.processBlock(b)).status).toBe('side');
    parent = chain.getEntry(blockHashHex(b))!;
    out.push(b);
  }
  return out;
}

const known = (chain: Chain, b: Block) => chain.getEntry(blockHashHex(b)) !== undefined;

describe('pruning side branches', () => {
  it('deletes a side branch once its highest block is more than the depth below the tip', async () => {
    const fx = await setUp({ depth: 10 });
    await mine(fx.chain, 6);
    const branch = await sideBranch(fx.chain, 2, 3); // heights 3..5
    // The top (5) is within 10 of the tip until the tip passes 15: the whole branch stays.
    await mine(fx.chain, 9); // tip 15
    expect(branch.every((b) => known(fx.chain, b))).toBe(true);
    await mine(fx.chain, 1); // tip 16: 5 is 11 below
    expect(branch.some((b) => known(fx.chain, b))).toBe(false);
    for (const b of branch) expect(await fx.chain.getBlockBytes(blockHashHex(b))).toBeUndefined();
    await fx.restart();
    expect(branch.some((b) => known(fx.chain, b))).toBe(false);
    expect(fx.chain.height).toBe(16);
  });

  it('deletes a bounded number per import, highest first, and finishes after a restart', async () => {
    const fx = await setUp({ depth: 10, maxEntries: 2 });
    await mine(fx.chain, 6);
    const branch = await sideBranch(fx.chain, 1, 5); // heights 2..6
    await mine(fx.chain, 11); // tip 17: 6 is 11 below, so the branch is due
    // One import pruned two: the two highest (children before parents).
    expect(branch.map((b) => known(fx.chain, b))).toEqual([true, true, true, false, false]);
    await fx.restart();
    // What the store kept loads as a branch, and the next imports finish the job.
    expect(branch.map((b) => known(fx.chain, b))).toEqual([true, true, true, false, false]);
    await mine(fx.chain, 2);
    expect(branch.some((b) => known(fx.chain, b))).toBe(false);
  });

  it('deletes invalid-marked entries the same way', async () => {
    const fx = await setUp({ depth: 10 });
    await mine(fx.chain, 2);
    const alice = testKey(1);
    const missing = { txid: new Uint8Array(32).fill(9), index: 0, amount: 50n * COIN };
    const bad = makeBlock(fx.chain, {
      txs: [{ tx: spend(alice, [missing], [{ address: alice.address, amount: COIN }]), fee: 0n }],
    });
    expect((await fx.chain.processBlock(bad)).status).toBe('invalid');
    expect(fx.chain.getEntry(blockHashHex(bad))?.status).toBe('invalid');
    await mine(fx.chain, 10); // tip 12: the invalid block (3) is 9 below
    expect(known(fx.chain, bad)).toBe(true);
    await mine(fx.chain, 2); // tip 14: 11 below
    expect(known(fx.chain, bad)).toBe(false);
    // Still refused in this run (the bounded memory of rejected blocks).
    expect((await fx.chain.processBlock(bad)).status).toBe('invalid');
  });

  it('keeps the active chain whole and prunes nothing near the tip', async () => {
    const fx = await setUp({});
    await mine(fx.chain, 30);
    const branch = await sideBranch(fx.chain, 25, 2);
    await mine(fx.chain, 5);
    expect(branch.every((b) => known(fx.chain, b))).toBe(true);
    for (let h = 0; h <= fx.chain.height; h++) expect(fx.chain.entryAtHeight(h)).toBeDefined();
  });
});
