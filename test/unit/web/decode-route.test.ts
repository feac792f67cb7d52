// The Decode page's hash routes: #/decode, and #/decode/<hex, txid, hash or height> filled in.
import { describe, expect, it } from 'vitest';
import { href, parseRoute } from '../../../web/src/lib/route.js';

describe('decode route', () => {
  it('parses and builds #/decode with and without an input', () => {
    expect(parseRoute('#/decode')).toEqual({ page: 'decode' });
    expect(parseRoute(href.decode())).toEqual({ page: 'decode' });
    const hex = 'ab'.repeat(100);
    expect(parseRoute(href.decode(hex))).toEqual({ page: 'decode', input: hex });
    expect(parseRoute(href.decode('12'))).toEqual({ page: 'decode', input: '12' });
    expect(parseRoute('#/decode/a/b').page).toBe('not-found');
  });
});
