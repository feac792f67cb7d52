import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigIntToBytes,
  bitsToTarget,
  hashMeetsTarget,
  NETWORKS,
  targetToBits,
  targetToBytes,
  toHex,
  workForBits,
  workForTarget,
} from '../../../src/core/index.js';

describe('compact bits', () => {
  // Bitcoin Core's SetCompact/GetCompact cases (arith_uint256_tests), with their results here.
  const valid: Array<[number, bigint, number]> = [
    // bits, target, bits re-encoded (normalized)
    [0x00000000, 0n, 0],
    [0x00123456, 0n, 0],
    [0x01003456, 0n, 0],
    [0x02000056, 0n, 0],
    [0x03000000, 0n, 0],
    [0x04000000, 0n, 0],
    [0x01123456, 0x12n, 0x01120000],
    [0x02123456, 0x1234n, 0x02123400],
    [0x03123456, 0x123456n, 0x03123456],
    [0x04123456, 0x12345600n, 0x04123456],
    [0x05009234, 0x92340000n, 0x05009234],
    [0x20123456, 0x123456n << 232n, 0x20123456],
    [0x1d00ffff, 0xffffn << 208n, 0x1d00ffff],
    [0x1b0404cb, 0x0404cbn << 192n, 0x1b0404cb],
    [0x207fffff, 0x7fffffn << 232n, 0x207fffff],
    [0x1f00ffff, 0xffffn << 224n, 0x1f00ffff],
  ];

  it.each(valid)('0x%s decodes to its target and re-encodes normalized', (bits, target, normalized) => {
    expect(bitsToTarget(bits)).toBe(target);
    expect(targetToBits(target)).toBe(normalized);
  });

  // Bitcoin treats a set sign bit as negative (or, with a zero mantissa, as zero); both are
  // invalid as a proof-of-work target, so here they decode to null.
  it.each([0x04923456, 0x01fedcba, 0x00923456, 0x01803456, 0x02800056, 0x03800000, 0x04800000, 0x1d80ffff])(
    'rejects 0x%s: sign bit set',
    (bits) => {
      expect(bitsToTarget(bits)).toBeNull();
    },
  );

  it.each([0xff123456, 0x21010000, 0x22000100, 0x23000001])(
    'rejects 0x%s: target overflows 256 bits',
    (bits) => {
      expect(bitsToTarget(bits)).toBeNull();
    },
  );

  it('accepts the largest encodable targets just below 2^256', () => {
    expect(bitsToTarget(0x2100ffff)).toBe(0xffffn << 240n);
    expect(bitsToTarget(0x22000001)).toBe(1n << 248n);
  });

  it('keeps the sign bit clear when encoding by growing the exponent', () => {
    expect(targetToBits(0x80n)).toBe(0x02008000);
    expect(targetToBits(0x800000n)).toBe(0x04008000);
    expect(targetToBits(0xffffn << 208n)).toBe(0x1d00ffff);
  });

  it('encodes zero and negative targets as 0', () => {
    expect(targetToBits(0n)).toBe(0);
    expect(targetToBits(-5n)).toBe(0);
  });

  it('round-trips: encoding truncates to 3 significant bytes and is then stable', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }), (target) => {
        const bits = targetToBits(target);
        const decoded = bitsToTarget(bits);
        // Whole low bytes are dropped: 3 significant bytes are kept, or 2 when the top byte's
        // high bit would read as the sign bit.
        const size = Math.ceil(target.toString(16).length / 2);
        const keep = target >> BigInt(8 * (size - 1)) >= 0x80n ? 2 : 3;
        const dropBits = BigInt(8 * Math.max(0, size - keep));
        expect(decoded).toBe((target >> dropBits) << dropBits);
        expect(targetToBits(decoded!)).toBe(bits);
        expect(bits & 0x00800000).toBe(0);
      }),
    );
  });

  it('round-trips every normalized bits value', () => {
    const normalizedBits = fc
      .record({
        exponent: fc.integer({ min: 4, max: 32 }),
        mantissa: fc.integer({ min: 0x010000, max: 0x7fffff }),
      })
      .map(({ exponent, mantissa }) => ((exponent << 24) | mantissa) >>> 0);
    fc.assert(
      fc.property(normalizedBits, (bits) => {
        expect(targetToBits(bitsToTarget(bits)!)).toBe(bits);
      }),
    );
  });
});

describe('proof of work', () => {
  it('compares the hash as a big-endian number, equal to the target passing', () => {
    const target = 0x00ffffn << 216n;
    expect(hashMeetsTarget(targetToBytes(target), target)).toBe(true);
    expect(hashMeetsTarget(targetToBytes(target + 1n), target)).toBe(false);
    expect(hashMeetsTarget(targetToBytes(target - 1n), target)).toBe(true);
    // The first byte is the most significant: a hash starting with zero bytes is small.
    expect(hashMeetsTarget(bigIntToBytes(1n, 32), 1n)).toBe(true);
    const lastByteSet = new Uint8Array(32);
    lastByteSet[31] = 1;
    expect(hashMeetsTarget(lastByteSet, 0n)).toBe(false);
  });

  it('writes a target as 32 big-endian bytes', () => {
    expect(toHex(targetToBytes(bitsToTarget(0x1d00ffff)!))).toBe(`00000000ffff${'0'.repeat(52)}`);
  });
});

describe('chain work', () => {
  it('is 2^256 / (target + 1)', () => {
    // Bitcoin's genesis block work.
    expect(workForBits(0x1d00ffff)).toBe(0x100010001n);
    expect(workForTarget((1n << 256n) - 1n)).toBe(1n);
    expect(workForTarget(0n)).toBe(1n << 256n);
    expect(workForBits(NETWORKS.regtest.powLimitBits)).toBe(2n);
    expect(workForBits(NETWORKS.main.powLimitBits)).toBe(0x10001n);
  });

  it('is zero for bits that do not encode a usable target', () => {
    expect(workForBits(0)).toBe(0n);
    expect(workForBits(0x04923456)).toBe(0n);
    expect(workForBits(0xff123456)).toBe(0n);
  });

  it('grows as the target shrinks', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 255n) - 1n }), (t) => {
        expect(workForTarget(t)).toBeGreaterThanOrEqual(workForTarget(t * 2n + 1n));
      }),
    );
  });
});
