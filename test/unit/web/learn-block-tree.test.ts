// Step 9's helpers: a reorganisation seen in two listings of the active chain leaves the old blocks on
// a side branch; fork choice follows the most work, not the most blocks.
import { describe, expect, it } from 'vitest';
import { workForBits } from '../../../src/core/pow.js';
import { branchWork, forkChoice, layoutTree, mergeActive } from '../../../web/src/learn/lib/block-tree.js';

const b = (hash: string, height: number, previousHash: string) => ({
  hash,
  height,
  previousHash,
  bits: '207fffff',
});

describe('the seen block tree', () => {
  const first = mergeActive(new Map(), [b('a', 1, 'g'), b('b', 2, 'a'), b('c', 3, 'b')]);

  it('keeps the active chain on row 0', () => {
    const placed = layoutTree(first, 0);
    expect(placed.map((p) => [p.hash, p.row])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
    expect(placed[0]!.bits).toBe(0x207fffff);
  });

  it('moves blocks replaced by a reorganisation to a side branch', () => {
    const after = mergeActive(first, [b('a', 1, 'g'), b('b2', 2, 'a'), b('c2', 3, 'b2'), b('d2', 4, 'c2')]);
    const placed = layoutTree(after, 0);
    expect(placed.filter((p) => p.row === 0).map((p) => p.hash)).toEqual(['a', 'b2', 'c2', 'd2']);
    expect(placed.filter((p) => p.row === 1).map((p) => p.hash)).toEqual(['b', 'c']);
    expect(after.get('b')!.active).toBe(false);
  });

  it('drops a tip that vanished above the new, shorter tip', () => {
    const shorter = mergeActive(first, [b('a', 1, 'g'), b('b3', 2, 'a')]);
    expect(shorter.get('c')!.active).toBe(false);
    expect(shorter.get('b')!.active).toBe(false);
  });

  it('leaves older blocks alone when the listing starts later', () => {
    const later = mergeActive(first, [b('c', 3, 'b'), b('d', 4, 'c')]);
    expect([...later.values()].every((x) => x.active)).toBe(true);
  });
});

describe('most work, not longest', () => {
  // 0x1f00ffff is 256 times harder than 0x2000ffff.
  const hard = { name: 'A', bits: [0x1f00ffff, 0x1f00ffff] };
  const easy = { name: 'B', bits: [0x2000ffff, 0x2000ffff, 0x2000ffff] };

  it('sums workForBits', () => {
    expect(branchWork(hard)).toBe(2n * workForBits(0x1f00ffff));
    expect(workForBits(0x1f00ffff) / workForBits(0x2000ffff)).toBe(256n);
  });

  it('follows two hard blocks over three easy ones; the longest rule would not', () => {
    expect(forkChoice([hard, easy])).toEqual({ mostWork: 0, longest: 1 });
  });

  it('keeps the first seen on equal work', () => {
    expect(forkChoice([easy, { ...easy, name: 'C' }]).mostWork).toBe(0);
  });
});
