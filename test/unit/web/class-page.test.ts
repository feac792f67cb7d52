// The dashboard's route (#/class, with the token of the printed link) and the block tree's layout: the
// teacher's chain on the first row, each fork on a row of its own.
import { describe, expect, it } from 'vitest';
import { layoutTree } from '../../../web/src/components/class/ClassTree.js';
import { parseRoute } from '../../../web/src/lib/route.js';

const h = (n: number) => n.toString(16).padStart(64, '0');
const block = (hash: number, prev: number, height: number, main: boolean) => ({
  hash: h(hash),
  prev: h(prev),
  height,
  main,
  tipOf: [],
  minedBy: null,
});

describe('#/class', () => {
  it('opens the dashboard, with or without the token', () => {
    expect(parseRoute('#/class')).toEqual({ page: 'class' });
    expect(parseRoute(`#/class?token=${'ab'.repeat(32)}`)).toEqual({ page: 'class', token: 'ab'.repeat(32) });
    expect(parseRoute('#/classes')).toEqual({ page: 'not-found', path: '/classes' });
  });
});

describe('layoutTree', () => {
  it('puts the main chain on row 0 and each branch on its own row, heights across', () => {
    // 1 ← 2 ← 3 (main), 1 ← 12 ← 13 (a fork), 2 ← 22 (another)
    const { placed, rows, cols } = layoutTree([
      block(3, 2, 3, true),
      block(1, 0, 1, true),
      block(2, 1, 2, true),
      block(12, 1, 2, false),
      block(13, 12, 3, false),
      block(22, 2, 3, false),
    ]);
    const at = new Map(placed.map((b) => [b.hash, [b.col, b.row]]));
    expect(cols).toBe(3);
    expect(rows).toBe(3);
    expect([at.get(h(1)), at.get(h(2)), at.get(h(3))]).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(at.get(h(12))![1]).toBe(at.get(h(13))![1]);
    expect(at.get(h(12))![1]).not.toBe(at.get(h(22))![1]);
    expect(at.get(h(22))![1]).toBeGreaterThan(0);
  });
});
