import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  jsPowKernel,
  loadPowKernel,
  nativePowKernel,
  nativeUnavailableReason,
  type PowKernel,
} from '../../../src/miner/pow-kernel.js';
import {
  EASY_TARGET,
  headerHash,
  IMPOSSIBLE_TARGET,
  MODERATE_TARGET,
  minusOne,
  referenceScan,
  targetWith,
  testHeader,
} from './pow-fixtures.js';

const nativeReason = nativeUnavailableReason();
if (nativeReason) console.warn(`native PoW kernel tests skipped: ${nativeReason}`);

/** The kernels under test; the native one only when its addon is built. */
const kernels: [string, () => PowKernel][] = [['js', jsPowKernel]];
if (!nativeReason) kernels.push(['native', nativePowKernel]);

describe.each(kernels)('%s kernel', (_name, makeKernel) => {
  const kernel = makeKernel();

  it('finds nonce = start when every hash meets the target', () => {
    const header = testHeader(1);
    expect(kernel.scan(header, EASY_TARGET, 12345, 1000)).toEqual({ nonce: 12345, hashes: 1 });
  });

  it.each([0, 1, 2, 3])(
    'finds the same first nonce as node:crypto after thousands of tries (header %i)',
    (seed) => {
      const header = testHeader(seed);
      const expected = referenceScan(header, MODERATE_TARGET, 0, 200_000);
      expect(expected).not.toBeNull();
      expect(expected).toBeGreaterThan(1000);
      const result = kernel.scan(header, MODERATE_TARGET, 0, 200_000);
      expect(result).toEqual({ nonce: expected, hashes: expected! + 1 });
      expect(
        Buffer.compare(headerHash(header, result.nonce!), Buffer.from(MODERATE_TARGET)),
      ).toBeLessThanOrEqual(0);
    },
  );

  it('starts mid-range and counts only the nonces it tried', () => {
    const header = testHeader(0);
    const first = referenceScan(header, MODERATE_TARGET, 0, 200_000)!;
    const start = first - 500;
    expect(kernel.scan(header, MODERATE_TARGET, start, 10_000)).toEqual({ nonce: first, hashes: 501 });
    // The range ends just before the hit: nothing found, every nonce tried.
    expect(kernel.scan(header, MODERATE_TARGET, start, 500)).toEqual({ nonce: null, hashes: 500 });
  });

  it('returns null with hashes === count for an impossible target', () => {
    expect(kernel.scan(testHeader(2), IMPOSSIBLE_TARGET, 7, 5000)).toEqual({ nonce: null, hashes: 5000 });
  });

  it('treats a hash equal to the target as meeting it, and target - 1 as not', () => {
    const header = testHeader(3);
    const nonce = 0xdeadbeef;
    const hash = headerHash(header, nonce);
    expect(kernel.scan(header, hash, nonce, 1)).toEqual({ nonce, hashes: 1 });
    expect(kernel.scan(header, minusOne(hash), nonce, 1)).toEqual({ nonce: null, hashes: 1 });
  });

  it('compares the hash as a big-endian number (a lower first byte wins whatever follows)', () => {
    const header = testHeader(4);
    const nonce = 99;
    const hash = headerHash(header, nonce);
    // Same first byte as the hash, everything after it smaller: the hash must be rejected.
    const tooLow = new Uint8Array(32);
    tooLow[0] = hash[0];
    expect(kernel.scan(header, tooLow, nonce, 1).nonce).toBeNull();
    // First byte one higher, rest zero: the hash qualifies.
    if (hash[0] < 0xff) {
      const higher = new Uint8Array(32);
      higher[0] = hash[0] + 1;
      expect(kernel.scan(header, higher, nonce, 1).nonce).toBe(nonce);
    }
  });

  it('stops at 0xffffffff instead of wrapping', () => {
    const header = testHeader(5);
    const start = 0xffffffff - 10;
    expect(kernel.scan(header, IMPOSSIBLE_TARGET, start, 100)).toEqual({ nonce: null, hashes: 11 });
    expect(kernel.scan(header, EASY_TARGET, 0xffffffff, 5)).toEqual({ nonce: 0xffffffff, hashes: 1 });
    const hashAtTop = headerHash(header, 0xffffffff);
    const expected = referenceScan(header, hashAtTop, start, 11);
    expect(kernel.scan(header, hashAtTop, start, 100).nonce).toBe(expected);
  });

  it('finds a hit near the top of the nonce space like node:crypto', () => {
    const header = testHeader(1);
    const start = 0xfffff000;
    const expected = referenceScan(header, MODERATE_TARGET, start, 4096);
    expect(expected).not.toBeNull();
    expect(kernel.scan(header, MODERATE_TARGET, start, 4096).nonce).toBe(expected);
  });

  it('leaves the caller’s header untouched', () => {
    const header = testHeader(6);
    const before = Uint8Array.from(header);
    kernel.scan(header, IMPOSSIBLE_TARGET, 1, 100);
    expect(header).toEqual(before);
  });

  it('scans a header that is a view into a larger buffer', () => {
    const header = testHeader(7);
    const backing = new Uint8Array(200).fill(0xaa);
    backing.set(header, 33);
    const view = backing.subarray(33, 113);
    expect(kernel.scan(view, MODERATE_TARGET, 0, 100_000)).toEqual(
      kernel.scan(header, MODERATE_TARGET, 0, 100_000),
    );
  });

  it('returns an empty result for count 0 and rejects bad arguments', () => {
    const header = testHeader(8);
    expect(kernel.scan(header, EASY_TARGET, 0, 0)).toEqual({ nonce: null, hashes: 0 });
    expect(() => kernel.scan(header.subarray(0, 79), EASY_TARGET, 0, 1)).toThrow(/header/);
    expect(() => kernel.scan(header, EASY_TARGET.subarray(1), 0, 1)).toThrow(/target/);
    expect(() => kernel.scan(header, EASY_TARGET, -1, 1)).toThrow(/startNonce/);
    expect(() => kernel.scan(header, EASY_TARGET, 2 ** 32, 1)).toThrow(/startNonce/);
    expect(() => kernel.scan(header, EASY_TARGET, 1.5, 1)).toThrow(/startNonce/);
    expect(() => kernel.scan(header, EASY_TARGET, 0, -1)).toThrow(/count/);
  });
});

describe.skipIf(nativeReason !== null)(
  `native and JS kernels agree${nativeReason ? ` (skipped: ${nativeReason})` : ''}`,
  () => {
    it('on random headers, ranges and targets', () => {
      const js = jsPowKernel();
      const native = nativeReason === null ? nativePowKernel() : js;
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 80, maxLength: 80 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.integer({ min: 0, max: 3000 }),
          fc.integer({ min: 0, max: 0xff }),
          (header, start, count, next) => {
            // One leading zero byte: about a hit per 256 * 256 / (next + 1) nonces.
            const target = targetWith(1, next);
            const fromNative = native.scan(header, target, start, count);
            expect(fromNative).toEqual(js.scan(header, target, start, count));
            if (fromNative.nonce !== null) {
              expect(
                Buffer.compare(headerHash(header, fromNative.nonce), Buffer.from(target)),
              ).toBeLessThanOrEqual(0);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  },
);

describe('loadPowKernel', () => {
  const saved = process.env.HASHLINE_NO_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.HASHLINE_NO_NATIVE;
    else process.env.HASHLINE_NO_NATIVE = saved;
  });

  it('uses the JS kernel when forced', () => {
    expect(loadPowKernel({ forceJs: true }).name).toBe('js');
  });

  it('uses the JS kernel when HASHLINE_NO_NATIVE=1', () => {
    process.env.HASHLINE_NO_NATIVE = '1';
    expect(loadPowKernel().name).toBe('js');
  });

  it('uses the native kernel when it is built, else JS', () => {
    delete process.env.HASHLINE_NO_NATIVE;
    expect(loadPowKernel().name).toBe(nativeReason === null ? 'native' : 'js');
  });

  it('gives a kernel that finds what node:crypto finds', () => {
    const header = testHeader(9);
    const kernel = loadPowKernel();
    const expected = referenceScan(header, MODERATE_TARGET, 0, 200_000);
    expect(kernel.scan(header, MODERATE_TARGET, 0, 200_000).nonce).toBe(expected);
  });
});
