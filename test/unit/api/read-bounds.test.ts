// The sizes of one answer (read-bounds.ts): /chain pages, the tree caps, address pages.
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_OFFSET_MAX,
  addressPage,
  CHAIN_PAGE_MAX,
  capTree,
  chainPage,
  TREE_BLOCKS_MAX,
  TREE_PER_HEIGHT_MAX,
} from '../../../src/api/read-bounds.js';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as { status: number; code: string; message: string };
  }
  throw new Error('not refused');
};

describe('chainPage', () => {
  it('serves a chain of up to CHAIN_PAGE_MAX blocks whole, without limit', () => {
    expect(chainPage(CHAIN_PAGE_MAX - 1, {})).toEqual({ from: 0, to: CHAIN_PAGE_MAX - 1 });
    expect(chainPage(5000, { from: '4500' })).toEqual({ from: 4500, to: 5000 });
  });

  it('asks for pages past that, saying which, and caps a page at CHAIN_PAGE_MAX', () => {
    const e = refusal(() => chainPage(CHAIN_PAGE_MAX, {}));
    expect(e).toMatchObject({ status: 400, code: 'page-required' });
    expect(e.message).toContain(`/chain?from=0&limit=${CHAIN_PAGE_MAX}`);
    expect(chainPage(20_000, { from: '1000', limit: '1000' })).toEqual({ from: 1000, to: 1999 });
    expect(refusal(() => chainPage(20_000, { limit: String(CHAIN_PAGE_MAX + 1) }))).toMatchObject({
      status: 400,
    });
  });
});

describe('capTree', () => {
  it('keeps the first blocks of each height and stops at the total', () => {
    const sorted = [];
    for (let h = 0; h < 100; h++) for (let i = 0; i < 10; i++) sorted.push({ height: h, i });
    const { kept, omitted } = capTree(sorted);
    expect(kept).toHaveLength(TREE_BLOCKS_MAX);
    expect(omitted).toBe(1000 - TREE_BLOCKS_MAX);
    expect(kept.filter((b) => b.height === 0).map((b) => b.i)).toEqual(
      Array.from({ length: TREE_PER_HEIGHT_MAX }, (_, i) => i),
    );
  });
});

describe('addressPage', () => {
  it('bounds the history offset and the unspent-output page', () => {
    expect(addressPage({})).toEqual({ offset: 0, limit: 50, utxoOffset: 0, utxoLimit: 1000 });
    expect(refusal(() => addressPage({ offset: String(ADDRESS_OFFSET_MAX + 1) }))).toMatchObject({
      status: 400,
      code: 'offset-too-large',
    });
    expect(refusal(() => addressPage({ utxoLimit: '1001' })).message).toMatch(/utxoLimit/);
  });
});
