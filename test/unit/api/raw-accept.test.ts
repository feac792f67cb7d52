// Which callers of the raw routes get bytes: those whose Accept header prefers application/octet-stream.
import { describe, expect, it } from 'vitest';
import { wantsBytes } from '../../../src/api/impl/raw.js';

describe('wantsBytes', () => {
  it('gives bytes only when octet-stream is asked for above JSON', () => {
    expect(wantsBytes('application/octet-stream')).toBe(true);
    expect(wantsBytes('application/octet-stream, application/json;q=0.5')).toBe(true);
    expect(wantsBytes(undefined)).toBe(false);
    expect(wantsBytes('*/*')).toBe(false);
    expect(wantsBytes('application/json')).toBe(false);
    expect(wantsBytes('application/json, application/octet-stream')).toBe(false);
    expect(wantsBytes('application/octet-stream;q=0')).toBe(false);
    expect(wantsBytes('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
  });
});
