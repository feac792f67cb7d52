import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  ByteWriter,
  bigIntToBytes,
  bytesToBigInt,
  concatBytes,
  equalBytes,
  fromHex,
  isHex,
  toHex,
  varintSize,
} from '../../../src/core/index.js';
import { codeOf } from './helpers.js';

const encodeVarint = (n: number): string => toHex(new ByteWriter().varint(n).finish());
const decodeVarint = (hex: string): number => {
  const r = new ByteReader(fromHex(hex));
  const v = r.varint();
  r.end();
  return v;
};

describe('varint (Bitcoin CompactSize)', () => {
  const canonical: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [0xfc, 'fc'],
    [0xfd, 'fdfd00'],
    [0xfe, 'fdfe00'],
    [0xffff, 'fdffff'],
    [0x10000, 'fe00000100'],
    [0xffffffff, 'feffffffff'],
    [0x100000000, 'ff0000000001000000'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff1f00'],
  ];

  it.each(canonical)('encodes %d as %s and decodes it back', (n, hex) => {
    expect(encodeVarint(n)).toBe(hex);
    expect(decodeVarint(hex)).toBe(n);
    expect(varintSize(n), 'varintSize').toBe(hex.length / 2);
  });

  it('round-trips every safe non-negative integer in the shortest form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const hex = encodeVarint(n);
        const expectedBytes = n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
        expect(hex.length / 2).toBe(expectedBytes);
        expect(decodeVarint(hex)).toBe(n);
      }),
    );
  });

  const nonCanonical = [
    ['fdfc00', '0xfc in 3 bytes'],
    ['fd0000', '0 in 3 bytes'],
    ['feffff0000', '0xffff in 5 bytes'],
    ['fe00000000', '0 in 5 bytes'],
    ['ffffffffff00000000', '0xffffffff in 9 bytes'],
    ['ff0000000000000000', '0 in 9 bytes'],
    ['ff0000000000002000', '2^53, above the safe integer range'],
    ['ffffffffffffffffff', '2^64 - 1'],
  ];

  it.each(nonCanonical)('rejects %s (%s) as bad-encoding', (hex) => {
    expect(codeOf(() => decodeVarint(hex))).toBe('bad-encoding');
  });

  it('rejects every truncation as bad-encoding', () => {
    for (const [, hex] of canonical) {
      const bytes = fromHex(hex);
      for (let len = 0; len < bytes.length; len++) {
        expect(codeOf(() => new ByteReader(bytes.subarray(0, len)).varint())).toBe('bad-encoding');
      }
    }
  });

  it('refuses to write values that are not safe non-negative integers', () => {
    for (const bad of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new ByteWriter().varint(bad)).toThrow(RangeError);
    }
  });
});

describe('ByteWriter and ByteReader', () => {
  it('write little-endian integers and read them back', () => {
    const bytes = new ByteWriter(1).u8(0xab).u32(0x01020304).u64(0x0102030405060708n).finish();
    expect(toHex(bytes)).toBe('ab' + '04030201' + '0807060504030201');
    const r = new ByteReader(bytes);
    expect(r.u8()).toBe(0xab);
    expect(r.u32()).toBe(0x01020304);
    expect(r.u64()).toBe(0x0102030405060708n);
    expect(r.remaining).toBe(0);
    r.end();
  });

  it('grows past the initial size', () => {
    const payload = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const bytes = new ByteWriter(2).varBytes(payload).finish();
    expect(bytes.length).toBe(3 + 1000);
    expect(equalBytes(new ByteReader(bytes).varBytes(1000), payload)).toBe(true);
  });

  it('reads from a subarray with a non-zero byte offset', () => {
    const backing = fromHex('ffff' + '78563412');
    expect(new ByteReader(backing.subarray(2)).u32()).toBe(0x12345678);
  });

  it('rejects truncated fixed-width fields and byte strings', () => {
    expect(codeOf(() => new ByteReader(fromHex('010203')).u32())).toBe('bad-encoding');
    expect(codeOf(() => new ByteReader(fromHex('01020304050607')).u64())).toBe('bad-encoding');
    expect(codeOf(() => new ByteReader(fromHex('0401020304')).varBytes(10))).toBeUndefined();
    expect(codeOf(() => new ByteReader(fromHex('05010203')).varBytes(10))).toBe('bad-encoding');
    expect(codeOf(() => new ByteReader(fromHex('')).u8())).toBe('bad-encoding');
  });

  it('rejects a byte string longer than its maximum before reading it', () => {
    expect(codeOf(() => new ByteReader(fromHex('03aabbcc')).varBytes(2))).toBe('bad-encoding');
    expect(codeOf(() => new ByteReader(fromHex('03aabbcc')).varBytes(3))).toBeUndefined();
  });

  it('rejects a list count that cannot fit in the remaining bytes', () => {
    expect(codeOf(() => new ByteReader(fromHex('02aabbccdd')).count(2))).toBeUndefined();
    expect(codeOf(() => new ByteReader(fromHex('03aabbccdd')).count(2))).toBe('bad-encoding');
  });

  it('rejects trailing bytes', () => {
    const r = new ByteReader(fromHex('0102'));
    r.u8();
    expect(codeOf(() => r.end())).toBe('bad-encoding');
  });
});

describe('hex and integer helpers', () => {
  it('writes lowercase hex, two digits a byte, that reads back', () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(every)).toBe(Buffer.from(every).toString('hex'));
    expect(toHex(new Uint8Array())).toBe('');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
  });

  it('parses hex of either case and rejects anything else', () => {
    expect(toHex(fromHex('00aBcD'))).toBe('00abcd');
    for (const bad of ['0', 'zz', '0x00', ' 00']) expect(() => fromHex(bad)).toThrow(TypeError);
    expect(isHex('abcd')).toBe(true);
    expect(isHex('abcd', 2)).toBe(true);
    expect(isHex('abcd', 3)).toBe(false);
    expect(isHex('abc')).toBe(false);
    expect(isHex(12)).toBe(false);
  });

  it('converts big-endian integers both ways', () => {
    expect(bytesToBigInt(new Uint8Array())).toBe(0n);
    expect(bytesToBigInt(fromHex('0100'))).toBe(256n);
    expect(toHex(bigIntToBytes(256n, 4))).toBe('00000100');
    expect(() => bigIntToBytes(1n << 32n, 4)).toThrow(RangeError);
    expect(() => bigIntToBytes(-1n, 4)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (n) => {
        expect(bytesToBigInt(bigIntToBytes(n, 32))).toBe(n);
      }),
    );
  });

  it('concatenates and compares bytes', () => {
    expect(toHex(concatBytes(fromHex('01'), new Uint8Array(), fromHex('0203')))).toBe('010203');
    expect(equalBytes(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(equalBytes(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(equalBytes(fromHex('0102'), fromHex('01'))).toBe(false);
  });
});
