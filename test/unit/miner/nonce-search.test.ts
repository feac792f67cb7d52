import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NonceSearcher } from '../../../src/miner/nonce-search.js';
import {
  loadPowKernel,
  nativeDisabledByEnv,
  nativeUnavailableReason,
} from '../../../src/miner/pow-kernel.js';
import {
  headerHash,
  IMPOSSIBLE_TARGET,
  MODERATE_TARGET,
  referenceScan,
  targetWith,
  testHeader,
} from './pow-fixtures.js';

const nativeReason = nativeUnavailableReason();
/** About one hash in 2^18 qualifies: enough work to span many small chunks. */
const HARDER_TARGET = targetWith(2, 0x3f);

/** The first qualifying nonce from 0, by a serial scan on this thread with the same kernel
 * (the kernels themselves are checked against node:crypto in pow-kernel.test.ts). */
function serialScan(header: Uint8Array, target: Uint8Array): number | null {
  return loadPowKernel().scan(header, target, 0, 2 ** 32).nonce;
}

describe('NonceSearcher, 1 thread', () => {
  let searcher: NonceSearcher;
  beforeAll(() => {
    searcher = new NonceSearcher({ threads: 1 });
  });
  afterAll(() => searcher.close());

  it('uses the native kernel when it is built and not disabled', () => {
    expect(searcher.threads).toBe(1);
    expect(searcher.kernelName).toBe(nativeReason === null && !nativeDisabledByEnv() ? 'native' : 'js');
  });

  it('finds the same nonce as a serial scan', async () => {
    const header = testHeader(10);
    const expected = serialScan(header, HARDER_TARGET);
    expect(expected).not.toBeNull();
    const outcome = await searcher.search(header, HARDER_TARGET);
    expect(outcome.nonce).toBe(expected);
    expect(outcome.hashes).toBeGreaterThan(expected!);
    expect(
      Buffer.compare(headerHash(header, outcome.nonce!), Buffer.from(HARDER_TARGET)),
    ).toBeLessThanOrEqual(0);
  });

  it('returns null with every nonce counted when the range is exhausted', async () => {
    const outcome = await searcher.search(testHeader(11), IMPOSSIBLE_TARGET, {
      range: { start: 1000, count: 300_000 },
    });
    expect(outcome).toEqual({ nonce: null, hashes: 300_000 });
  });

  it('searches up to 0xffffffff without wrapping', async () => {
    const header = testHeader(1);
    const start = 0xfffff000;
    const expected = referenceScan(header, MODERATE_TARGET, start, 4096);
    expect(expected).not.toBeNull();
    const found = await searcher.search(header, MODERATE_TARGET, {
      range: { start, count: 2 ** 32 - start },
    });
    expect(found.nonce).toBe(expected);
    const none = await searcher.search(header, IMPOSSIBLE_TARGET, {
      range: { start, count: 2 ** 32 - start },
    });
    expect(none).toEqual({ nonce: null, hashes: 4096 });
  });

  it('reports progress and a hash rate', async () => {
    const seen: number[] = [];
    const outcome = await searcher.search(testHeader(12), IMPOSSIBLE_TARGET, {
      range: { start: 0, count: 1_000_000 },
      onProgress: (hashes) => seen.push(hashes),
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(outcome.hashes);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(searcher.hashRate()).toBeGreaterThan(0);
  });

  it('rejects a bad header, target or range', () => {
    const header = testHeader(13);
    expect(() => searcher.search(header.subarray(1), MODERATE_TARGET)).toThrow(/header/);
    expect(() => searcher.search(header, MODERATE_TARGET.subarray(1))).toThrow(/target/);
    expect(() =>
      searcher.search(header, MODERATE_TARGET, { range: { start: 2 ** 32 - 1, count: 2 } }),
    ).toThrow(/range/);
  });
});

describe('NonceSearcher, 2 threads and small chunks', () => {
  let searcher: NonceSearcher;
  beforeAll(() => {
    // Small chunks: the hit lies many chunks in, claimed by both workers in turn.
    searcher = new NonceSearcher({ threads: 2, chunkSize: 4096 });
  });
  afterAll(() => searcher.close());

  it.each([13, 15, 17])('finds the lowest nonce, as a serial scan does (header %i)', async (seed) => {
    const header = testHeader(seed);
    const expected = serialScan(header, HARDER_TARGET);
    expect(expected).toBeGreaterThan(4096 * 4);
    expect((await searcher.search(header, HARDER_TARGET)).nonce).toBe(expected);
  });

  it('aborts promptly and then searches again', async () => {
    const controller = new AbortController();
    const pending = searcher.search(testHeader(17), IMPOSSIBLE_TARGET, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const aborted = await pending;
    expect(aborted.nonce).toBeNull();
    expect(aborted.hashes).toBeGreaterThan(0);
    expect(aborted.hashes).toBeLessThan(2 ** 32);

    // The workers finish their chunk of the aborted search, then take the next one.
    const header = testHeader(16);
    expect((await searcher.search(header, HARDER_TARGET)).nonce).toBe(serialScan(header, HARDER_TARGET));
  });

  it('answers an abort at once while the search waits behind another', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const running = searcher.search(testHeader(23), IMPOSSIBLE_TARGET, { signal: first.signal });
    const queued = searcher.search(testHeader(24), IMPOSSIBLE_TARGET, { signal: second.signal });
    second.abort();
    expect(await queued).toEqual({ nonce: null, hashes: 0 });
    first.abort();
    expect((await running).nonce).toBeNull();
  });

  it('returns at once for a signal that is already aborted', async () => {
    const outcome = await searcher.search(testHeader(18), IMPOSSIBLE_TARGET, { signal: AbortSignal.abort() });
    expect(outcome).toEqual({ nonce: null, hashes: 0 });
  });

  it('runs concurrent searches one after the other', async () => {
    const a = testHeader(21);
    const b = testHeader(22);
    const [ra, rb] = await Promise.all([
      searcher.search(a, HARDER_TARGET),
      searcher.search(b, HARDER_TARGET),
    ]);
    expect(ra.nonce).toBe(serialScan(a, HARDER_TARGET));
    expect(rb.nonce).toBe(serialScan(b, HARDER_TARGET));
  });
});

describe('NonceSearcher with the JS kernel', () => {
  const saved = process.env.HASHLINE_NO_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.HASHLINE_NO_NATIVE;
    else process.env.HASHLINE_NO_NATIVE = saved;
  });

  it('is used when forced, and finds the same nonce', async () => {
    const searcher = new NonceSearcher({ threads: 2, forceJs: true });
    try {
      expect(searcher.kernelName).toBe('js');
      const header = testHeader(19);
      expect((await searcher.search(header, MODERATE_TARGET)).nonce).toBe(
        referenceScan(header, MODERATE_TARGET, 0, 1e6),
      );
    } finally {
      await searcher.close();
    }
  });

  it('is used when HASHLINE_NO_NATIVE=1', async () => {
    process.env.HASHLINE_NO_NATIVE = '1';
    const searcher = new NonceSearcher({ threads: 1 });
    try {
      expect(searcher.kernelName).toBe('js');
    } finally {
      await searcher.close();
    }
  });
});

describe('NonceSearcher lifecycle', () => {
  it('rejects searches after close', async () => {
    const searcher = new NonceSearcher({ threads: 1 });
    await searcher.close();
    await expect(searcher.search(testHeader(20), MODERATE_TARGET)).rejects.toThrow(/closed/);
  });

  it('rejects a thread count below 1', () => {
    expect(() => new NonceSearcher({ threads: 0 })).toThrow(/threads/);
  });
});
