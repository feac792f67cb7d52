// The JSON body scan: strings skipped whole (escaped quotes and backslashes included), numbers with a
// fraction or an exponent quoted outside strings only, nesting bounded.
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../../src/api/json-body.js';

describe('scanJson', () => {
  it('quotes non-integer numbers outside strings and leaves strings as they are', () => {
    expect(scanJson('{"a":1.5,"b":[1e3,-2,3]}')).toBe('{"a":"1.5","b":["1e3",-2,3]}');
    expect(scanJson('{"a":"1.5 and [[["}')).toBe('{"a":"1.5 and [[["}');
  });

  it('ends a string only at a quote not escaped by an odd run of backslashes', () => {
    // "x\"1.5" is one string; "\\" ends after its two backslashes, so 2.5 is a number.
    const text = String.raw`{"a":"x\"1.5","b":"\\","c":2.5,"d":"\\\"[[[[[[[[[["}`;
    expect(JSON.parse(scanJson(text))).toEqual({ a: 'x"1.5', b: '\\', c: '2.5', d: '\\"[[[[[[[[[[' });
  });

  it('skips a long string whole and refuses deep nesting', () => {
    const hex = 'ab'.repeat(100_000);
    expect(scanJson(`{"hex":"${hex}"}`)).toBe(`{"hex":"${hex}"}`);
    expect(() => scanJson('['.repeat(9))).toThrow(/at most 8 levels/);
    expect(() => scanJson('{"a":"unterminated')).not.toThrow();
  });
});
