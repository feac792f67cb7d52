import { describe, expect, it } from 'vitest';
import { blockPage } from '../../../web/src/lib/paging.js';

describe('blockPage', () => {
  it('shows the newest blocks first and follows the tip', () => {
    expect(blockPage(100, null, 15)).toEqual({
      from: 86,
      limit: 15,
      top: 100,
      newer: null,
      older: 85,
      latest: true,
      page: 1,
      pages: 7,
    });
  });

  it('pages back to genesis and forward again to the same heights', () => {
    const seen: number[][] = [];
    let top: number | null = null;
    for (let i = 0; i < 20; i++) {
      const p = blockPage(40, top, 15);
      seen.push([p.from, p.top]);
      if (p.older === null) break;
      top = p.older;
    }
    expect(seen).toEqual([
      [26, 40],
      [11, 25],
      [0, 10],
    ]);
    const last = blockPage(40, 10, 15);
    expect(last).toMatchObject({ limit: 11, older: null, page: 3, pages: 3 });
    expect(blockPage(40, last.newer, 15)).toMatchObject({ from: 11, top: 25, newer: 40, page: 2 });
    expect(blockPage(40, 40, 15).latest).toBe(true);
  });

  it('keeps an older page on its heights while blocks arrive', () => {
    const before = blockPage(100, 50, 15);
    const after = blockPage(103, 50, 15);
    expect([after.from, after.top]).toEqual([before.from, before.top]);
    expect(after.latest).toBe(false);
  });

  it('clamps a top beyond either end, and handles a chain of just the genesis block', () => {
    expect(blockPage(30, 999, 15)).toMatchObject({ top: 30, latest: true });
    expect(blockPage(30, -5, 15)).toMatchObject({ from: 0, top: 0, limit: 1, older: null });
    expect(blockPage(0, null, 15)).toEqual({
      from: 0,
      limit: 1,
      top: 0,
      newer: null,
      older: null,
      latest: true,
      page: 1,
      pages: 1,
    });
    expect(() => blockPage(10, null, 0)).toThrow(RangeError);
  });
});
