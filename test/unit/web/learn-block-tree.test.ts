// Step 10's helpers: the node's block tree drawn with side branches and orphans below the active chain;
// fork choice follows the most work, not the most blocks.
import { describe, expect, it } from 'vitest';
import { workForBits } from '../../../src/core/pow.js';
import { branchWork, forkChoice, layoutTree, treeFromIndex } from '../../../web/src/learn/lib/block-tree.js';

const b = (hash: string, height: number, previousHash: string, active = true) => ({
  hash,
  height,
  previousHash,
  bits: '207fffff',
  active,
});

describe('the block tree the node reports', () => {
  const tree = treeFromIndex({
    blocks: [b('a', 1, 'g'), b('b2', 2, 'a'), b('b', 2, 'a', false), b('c2', 3, 'b2'), b('c', 3, 'b', false)],
    orphans: [{ hash: 'z', height: 7, previousHash: 'y' }],
  });

  it('keeps the active chain on row 0 and side branches below', () => {
    const placed = layoutTree(tree, 0);
    expect(placed.filter((p) => p.row === 0).map((p) => p.hash)).toEqual(['a', 'b2', 'c2']);
    expect(placed.filter((p) => p.row === 1).map((p) => p.hash)).toEqual(['b', 'c', 'z']);
    expect(placed[0]!.bits).toBe(0x207fffff);
  });

  it('marks orphans, which have no parent in the tree', () => {
    expect(tree.get('z')).toMatchObject({ orphan: true, active: false, height: 7 });
    expect(tree.get('b')!.orphan).toBeUndefined();
  });

  it('starts the drawing at a height', () => {
    expect(layoutTree(tree, 3).map((p) => p.hash)).toEqual(['c2', 'c', 'z']);
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
