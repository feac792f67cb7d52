import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHeader,
  encodeHeader,
  fromHex,
  HEADER_SIZE,
  headerHash,
  headerHashHex,
  NONCE_OFFSET,
  sha256d,
  toHex,
} from '../../../src/core/index.js';
import { arbHeader, codeOf } from './helpers.js';

const sample = {
  version: 1,
  prevHash: fromHex('11'.repeat(32)),
  merkleRoot: fromHex('22'.repeat(32)),
  time: 0x01020304,
  bits: 0x207fffff,
  nonce: 0xa1b2c3d4,
};

describe('block header', () => {
  it('is 80 bytes laid out version | prevHash | merkleRoot | time | bits | nonce, integers little-endian', () => {
    const bytes = encodeHeader(sample);
    expect(bytes.length).toBe(HEADER_SIZE);
    expect(toHex(bytes)).toBe(`01000000${'11'.repeat(32)}${'22'.repeat(32)}04030201ffff7f20d4c3b2a1`);
    expect(toHex(bytes.subarray(NONCE_OFFSET))).toBe('d4c3b2a1');
  });

  it('round-trips any header', () => {
    fc.assert(
      fc.property(arbHeader, (h) => {
        const bytes = encodeHeader(h);
        expect(bytes.length).toBe(HEADER_SIZE);
        const back = decodeHeader(bytes);
        expect(back).toEqual(h);
        expect(toHex(encodeHeader(back))).toBe(toHex(bytes));
      }),
    );
  });

  it('hashes with double SHA-256 of its bytes, shown in byte order', () => {
    const hash = headerHash(sample);
    expect(toHex(hash)).toBe(toHex(sha256d(encodeHeader(sample))));
    expect(headerHashHex(sample)).toBe(toHex(hash));
  });

  it('rejects 79 or 81 bytes as bad-encoding', () => {
    const bytes = encodeHeader(sample);
    expect(codeOf(() => decodeHeader(bytes.subarray(0, 79)))).toBe('bad-encoding');
    const longer = new Uint8Array(81);
    longer.set(bytes);
    expect(codeOf(() => decodeHeader(longer))).toBe('bad-encoding');
  });
});
