import { describe, expect, it } from 'vitest';
import { href, parseRoute } from '../../../web/src/lib/route.js';
import { classifySearch } from '../../../web/src/lib/search.js';

describe('classifySearch', () => {
  it('recognises heights, hashes and addresses', () => {
    expect(classifySearch(' 42 ')).toEqual({ kind: 'height', height: 42 });
    const hash = 'AB'.repeat(32);
    expect(classifySearch(hash)).toEqual({ kind: 'hash', hash: hash.toLowerCase() });
    const address = 'hlrt1qpzry9x8gf2tvdw0s3jn54khce6mua7lqpzry9x8g';
    expect(classifySearch(address)).toEqual({ kind: 'address', address });
  });

  it('explains what it cannot use', () => {
    expect(classifySearch('').kind).toBe('invalid');
    expect(classifySearch('abc123').kind).toBe('invalid');
    expect(classifySearch('ab'.repeat(31)).kind).toBe('invalid');
    expect(classifySearch('99999999999999999999').kind).toBe('invalid');
    // "b", "i", "o" and "1" cannot appear in bech32 data.
    expect(classifySearch('hlrt1bbbbbbbbbb').kind).toBe('invalid');
  });
});

describe('routes', () => {
  it('parses every page', () => {
    expect(parseRoute('')).toEqual({ page: 'explorer' });
    expect(parseRoute('#/')).toEqual({ page: 'explorer' });
    expect(parseRoute('#/miner')).toEqual({ page: 'miner' });
    expect(parseRoute('#/network')).toEqual({ page: 'network' });
    expect(parseRoute('#/wallet')).toEqual({ page: 'wallet' });
    expect(parseRoute('#/learn')).toEqual({ page: 'learn' });
    expect(parseRoute('#/block/7')).toEqual({ page: 'block', id: '7' });
    expect(parseRoute('#/tx/abc')).toEqual({ page: 'tx', txid: 'abc' });
    expect(parseRoute('#/address/hlrt1xyz')).toEqual({ page: 'address', address: 'hlrt1xyz' });
    expect(parseRoute('#/nope')).toEqual({ page: 'not-found', path: '/nope' });
  });

  it('round-trips links, including characters that need escaping', () => {
    expect(parseRoute(href.search('a b/c'))).toEqual({ page: 'search', query: 'a b/c' });
    expect(parseRoute(href.block(12))).toEqual({ page: 'block', id: '12' });
    expect(parseRoute('#/search/%E0%A4%A')).toEqual({ page: 'search', query: '%E0%A4%A' });
  });
});
