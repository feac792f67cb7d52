import { describe, expect, it } from 'vitest';
import { ADDR_BOOK_DEFAULTS, AddrBook } from '../../../src/p2p/addr-book.js';
import { seededRandom } from '../../support/random.js';

const key = new Uint8Array(32).fill(7);
const { bucketSize, newBucketsPerSourceGroup, triedBucketsPerGroup } = ADDR_BOOK_DEFAULTS;

/** 500 sybil ids of one /16, told by one source of that group, and 20 honest peers each its own group. */
function crowdedBook(seed: number): { book: AddrBook; honest: string[] } {
  const book = new AddrBook(key, seededRandom(seed));
  for (let i = 0; i < 500; i++) book.addNew(`sybil${i}`, '4:198.51', '4:198.51', i);
  const honest = Array.from({ length: 20 }, (_, i) => `honest${i}`);
  for (const [i, id] of honest.entries()) book.addNew(id, `4:${20 + i}.1`, `4:${20 + i}.1`, 1000 + i);
  return { book, honest };
}

describe('address book buckets', () => {
  it('addresses told by one source group fill at most its few new buckets', () => {
    const { book, honest } = crowdedBook(1);
    const sybilsKept = Array.from({ length: 500 }, (_, i) => `sybil${i}`).filter((id) => book.has(id)).length;
    expect(sybilsKept).toBeLessThanOrEqual(newBucketsPerSourceGroup * bucketSize);
    // None of the honest peers lost its place to the crowd (they are in other buckets, or kept as newer).
    for (const id of honest) expect(book.has(id), id).toBe(true);
  });

  it('selection draws a bucket first: the crowd is chosen about as often as its buckets, not its numbers', () => {
    const seed = 42;
    const { book, honest } = crowdedBook(seed);
    let honestPicks = 0;
    const draws = 400;
    for (let i = 0; i < draws; i++) {
      const [id] = book.select(1, () => true);
      if (id?.startsWith('honest')) honestPicks++;
    }
    // 20 honest peers in up to 20 buckets against 128 sybils in at most 8: the honest ones win most draws
    // (by numbers alone they would win 20/148 = 14%).
    expect(honestPicks / draws, `seed ${seed}`).toBeGreaterThan(0.5);
    expect(honest.length).toBe(20);
  });

  it('tried peers of one group hold at most their few tried buckets; a displaced one goes back to new', () => {
    const book = new AddrBook(key, seededRandom(3));
    for (let i = 0; i < 100; i++) book.markTried(`sybil${i}`, '4:198.51', i);
    const tried = Array.from({ length: 100 }, (_, i) => book.get(`sybil${i}`)).filter((e) => e?.tried);
    expect(tried.length).toBeLessThanOrEqual(triedBucketsPerGroup * bucketSize);
    // Those pushed out of the tried table are still known (as new), within the new table's bound.
    expect(book.size).toBeGreaterThan(tried.length);
  });

  it('select returns distinct usable ids only, and nothing from an empty book', () => {
    const { book } = crowdedBook(5);
    const picks = book.select(10, (id) => id.startsWith('honest'));
    expect(new Set(picks).size).toBe(picks.length);
    expect(picks.length).toBeGreaterThan(0);
    for (const id of picks) expect(id.startsWith('honest')).toBe(true);
    expect(new AddrBook(key, seededRandom(1)).select(3, () => true)).toEqual([]);
  });

  it('a known entry keeps its place; markTried moves it; remove forgets it', () => {
    const book = new AddrBook(key, seededRandom(9));
    book.addNew('a', '4:1.2', '4:9.9', 1);
    book.addNew('a', '4:1.2', '4:8.8', 2);
    expect(book.get('a')).toMatchObject({ source: '4:9.9', tried: false, at: 1 });
    book.markTried('a', '4:1.2', 3);
    expect(book.get('a')).toMatchObject({ tried: true });
    book.addNew('a', '4:1.2', '4:7.7', 4);
    expect(book.get('a')?.tried).toBe(true);
    book.remove('a');
    expect(book.has('a')).toBe(false);
    expect(book.size).toBe(0);
  });

  it('the book is bounded by its buckets', () => {
    const book = new AddrBook(key, seededRandom(11));
    for (let i = 0; i < 5000; i++) book.addNew(`p${i}`, `4:${i % 250}.${i % 7}`, `4:${(i * 7) % 250}.1`, i);
    const { newBuckets, triedBuckets } = ADDR_BOOK_DEFAULTS;
    expect(book.size).toBeLessThanOrEqual((newBuckets + triedBuckets) * bucketSize);
  });
});
