// The pool's links, ancestor packages and fee-rate order, against walks and sorts done from scratch,
// through inserts (a child before its parent too) and the removals the mempool makes: a block's
// transactions (parents first), a conflict or an eviction (an entry with all its descendants).
import { describe, expect, it } from 'vitest';
import type { MempoolEntry, PoolState } from '../../../src/mempool/pool-state.js';
import { builder, random, randomPool } from './synthetic-pool.js';

/** Ancestors or descendants by following inputs and spends from scratch, without the pool's links. */
function reachable(pool: PoolState, from: MempoolEntry, up: boolean): Set<MempoolEntry> {
  const seen = new Set<MempoolEntry>();
  const step = (e: MempoolEntry): MempoolEntry[] =>
    up
      ? [...pool.entries.values()].filter((p) =>
          e.tx.inputs.some((i) => p.txidHex === Buffer.from(i.prevTxid).toString('hex')),
        )
      : [...pool.entries.values()].filter((c) =>
          c.tx.inputs.some((i) => e.txidHex === Buffer.from(i.prevTxid).toString('hex')),
        );
  const stack = step(from);
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    stack.push(...step(e));
  }
  return seen;
}

function expectConsistent(pool: PoolState): void {
  // The fee-rate order it keeps is the one a sort would give.
  const ranked = [...pool.entries.values()].sort(
    (a, b) => b.feeRate - a.feeRate || a.time - b.time || a.txidHex.localeCompare(b.txidHex),
  );
  expect(pool.sorted()).toEqual(ranked);
  for (const e of pool.entries.values()) {
    const ancestors = reachable(pool, e, true);
    expect(new Set(pool.ancestors(e))).toEqual(ancestors);
    expect(new Set(pool.descendants(e))).toEqual(reachable(pool, e, false));
    let fee = e.fee;
    let size = e.size;
    for (const a of ancestors) {
      fee += a.fee;
      size += a.size;
    }
    expect(pool.ancestorPackage(e)).toEqual({ fee, size, count: ancestors.size + 1 });
  }
}

describe('PoolState links and ancestor packages', () => {
  it('stay exact through confirmations, conflicts and evictions', () => {
    const pool = randomPool(300, 5);
    const rnd = random(11);
    expectConsistent(pool);
    for (let round = 0; round < 5; round++) {
      const all = [...pool.entries.values()];
      // A block confirms chain roots and some of their children, parents first (more than 16: the
      // fee-rate order is compacted in one pass).
      const block: MempoolEntry[] = [];
      for (const r of all.filter((e) => pool.parentsOf(e).size === 0).slice(0, 12)) {
        block.push(r, ...[...pool.childrenOf(r)].filter((c) => pool.parentsOf(c).size === 1).slice(0, 1));
      }
      expect(block.length).toBeGreaterThan(16);
      expect(pool.removeAll(block)).toEqual(block);
      expectConsistent(pool);
      // A conflict or an eviction: one entry with all its descendants, the entry first.
      const rest = [...pool.entries.values()];
      const victim = rest[rnd(rest.length)]!;
      for (const e of [victim, ...pool.descendants(victim)]) pool.remove(e);
      expectConsistent(pool);
    }
  });

  it('links a child that arrived before its parent, and counts the parent in its package', () => {
    const { pool, add, make } = builder();
    const grandparent = add({ fee: 100n });
    const parent = make({ parents: [[grandparent, 0]], fee: 200n });
    const child = add({ parents: [[parent, 0]], fee: 300n });
    expect(pool.ancestorPackage(child).count).toBe(1);
    pool.insert(parent);
    expect(pool.parentsOf(child)).toEqual(new Set([parent]));
    expect(pool.ancestorPackage(child)).toEqual({
      fee: 600n,
      size: grandparent.size + parent.size + child.size,
      count: 3,
    });
    expectConsistent(pool);
  });

  it('finds each of 2,000 children of one parent once, and stops a bounded walk after max', () => {
    const { pool, add } = builder();
    const parent = add({ fee: 100n, outputs: 2_000 });
    for (let i = 0; i < 2_000; i++) add({ parents: [[parent, i]], fee: 100n });
    expect(pool.descendants(parent)).toHaveLength(2_000);
    expect(pool.descendants(parent, 24)).toHaveLength(25);
  });
});
