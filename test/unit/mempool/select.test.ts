// Block template selection by ancestor-package fee rate, on synthetic pools (no signatures needed: the
// selection reads only the pool's links, sizes and fees).
import { describe, expect, it } from 'vitest';
import type { MempoolEntry, PoolState } from '../../../src/mempool/pool-state.js';
import { selectForBlock } from '../../../src/mempool/select.js';
import { builder, randomPool } from './synthetic-pool.js';

/** The package of `e` (itself and its ancestors not in `taken`): its fee and size. */
function packageOf(pool: PoolState, e: MempoolEntry, taken: Set<MempoolEntry>) {
  const members = [e, ...pool.ancestors(e).filter((a) => !taken.has(a))];
  let fee = 0n;
  let size = 0;
  for (const m of members) {
    fee += m.fee;
    size += m.size;
  }
  return { members, fee, size };
}

/** The definition, slowly: take the best package that fits (same tie-breaks), until none fits. */
function referenceSelection(pool: PoolState, maxBytes: number): MempoolEntry[] {
  const taken = new Set<MempoolEntry>();
  const chosen: MempoolEntry[] = [];
  let bytes = 0;
  for (;;) {
    let best: { e: MempoolEntry; rate: number; depth: number; members: MempoolEntry[] } | undefined;
    for (const e of pool.entries.values()) {
      if (taken.has(e)) continue;
      const p = packageOf(pool, e, taken);
      if (bytes + p.size > maxBytes) continue;
      const rate = Number(p.fee) / p.size;
      const depth = pool.ancestors(e).length;
      const better =
        !best ||
        (rate !== best.rate
          ? rate > best.rate
          : depth !== best.depth
            ? depth < best.depth
            : e.time !== best.e.time
              ? e.time < best.e.time
              : e.txidHex < best.e.txidHex);
      if (better) best = { e, rate, depth, members: p.members };
    }
    if (!best) return chosen;
    best.members.sort((a, b) => pool.ancestors(a).length - pool.ancestors(b).length);
    for (const m of best.members) {
      chosen.push(m);
      taken.add(m);
      bytes += m.size;
    }
  }
}

describe('selectForBlock (ancestor-package fee rate)', () => {
  it('lets a high-fee child pull its low-fee parent in ahead of a richer lone transaction', () => {
    const { pool, add } = builder();
    const parent = add({ fee: 100n });
    const child = add({ parents: [[parent, 0]], fee: 30_000n });
    const lone = add({ fee: 3_000n });
    expect(parent.feeRate).toBeLessThan(lone.feeRate);
    // Room for exactly two: the parent and child package (rate ~ 15,100 / 2 sizes) beats the lone one.
    const ids = (es: MempoolEntry[]) => es.map((e) => e.txidHex);
    expect(ids(selectForBlock(pool, parent.size + child.size))).toEqual([parent.txidHex, child.txidHex]);
    expect(ids(selectForBlock(pool, 1_000_000))).toEqual([parent.txidHex, child.txidHex, lone.txidHex]);
    // Without room for the package, the lone transaction goes in and the parent alone does not fit after it.
    expect(ids(selectForBlock(pool, lone.size + 10))).toEqual([lone.txidHex]);
  });

  it('orders independent transactions by fee rate and skips one that does not fit for smaller ones', () => {
    const { pool, add } = builder();
    const small = add({ fee: 1_000n });
    const big = add({ fee: 50_000n, pad: 900 });
    const mid = add({ fee: 2_000n });
    const ids = selectForBlock(pool, 1_000_000).map((e) => e.txidHex);
    expect(ids).toEqual([big, mid, small].map((e) => e.txidHex));
    expect(selectForBlock(pool, small.size + mid.size).map((e) => e.txidHex)).toEqual([
      mid.txidHex,
      small.txidHex,
    ]);
  });

  it('takes a whole chain parents first when its tip pays for all, the 25th transaction included', () => {
    const { pool, add } = builder();
    const chain: MempoolEntry[] = [add({ fee: 150n })];
    for (let i = 1; i < 25; i++)
      chain.push(add({ parents: [[chain[i - 1]!, 0]], fee: i === 24 ? 1_000_000n : 150n }));
    const rich = add({ fee: 5_000n });
    const chosen = selectForBlock(pool, 1_000_000).map((e) => e.txidHex);
    expect(chosen).toEqual([...chain.map((e) => e.txidHex), rich.txidHex]);
  });

  it('matches the slow definition on random pools, parents first, within the budget, leaving nothing that fits', () => {
    for (const seed of [1, 7, 42]) {
      const pool = randomPool(300, seed);
      const budget = 20_000;
      const chosen = selectForBlock(pool, budget);
      expect(chosen.map((e) => e.txidHex)).toEqual(referenceSelection(pool, budget).map((e) => e.txidHex));
      const position = new Map(chosen.map((e, i) => [e, i]));
      for (const [i, e] of chosen.entries())
        for (const p of pool.parentsOf(e)) expect(position.get(p)).toBeLessThan(i);
      const bytes = chosen.reduce((n, e) => n + e.size, 0);
      expect(bytes).toBeLessThanOrEqual(budget);
      expect(chosen.length).toBeLessThan(pool.entries.size);
      const taken = new Set(chosen);
      for (const e of pool.entries.values())
        if (!taken.has(e)) expect(packageOf(pool, e, taken).size).toBeGreaterThan(budget - bytes);
    }
  });

  it('fills a block from a full pool of 5,000 transactions: every parent first, at most the block size', () => {
    const pool = randomPool(5_000, 99);
    const budget = 999_000;
    const total = [...pool.entries.values()].reduce((n, e) => n + e.size, 0);
    expect(total).toBeGreaterThan(budget);
    const chosen = selectForBlock(pool, budget);
    const taken = new Set<MempoolEntry>();
    let bytes = 0;
    for (const e of chosen) {
      for (const p of pool.parentsOf(e)) expect(taken.has(p)).toBe(true);
      expect(taken.has(e)).toBe(false);
      taken.add(e);
      bytes += e.size;
    }
    expect(bytes).toBeLessThanOrEqual(budget);
    for (const e of pool.entries.values())
      if (!taken.has(e)) expect(packageOf(pool, e, taken).size).toBeGreaterThan(budget - bytes);
  });
});
