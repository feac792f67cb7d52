// The searcher's thread count changes between searches: workers are started or stopped to match, and the
// searches before and after find what a serial scan finds.
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_THREADS, NonceSearcher } from '../../../src/miner/nonce-search.js';
import { loadPowKernel } from '../../../src/miner/pow-kernel.js';
import { IMPOSSIBLE_TARGET, targetWith, testHeader } from './pow-fixtures.js';

const TARGET = targetWith(2, 0x3f);
const serialScan = (header: Uint8Array) => loadPowKernel().scan(header, TARGET, 0, 2 ** 32).nonce;
/** Lets the 'exit' events of stopped workers arrive before the next assertion. */
const settle = () => new Promise((r) => setTimeout(r, 200));

describe('NonceSearcher.setThreads', () => {
  const searcher = new NonceSearcher({ threads: 1, chunkSize: 4096 });
  afterAll(() => searcher.close());

  it('starts workers for the next search when the count grows', async () => {
    expect(searcher.liveWorkers).toBe(0);
    const a = testHeader(31);
    expect((await searcher.search(a, TARGET)).nonce).toBe(serialScan(a));
    expect(searcher.liveWorkers).toBe(1);
    searcher.setThreads(3);
    expect(searcher.threads).toBe(3);
    const b = testHeader(32);
    expect((await searcher.search(b, TARGET)).nonce).toBe(serialScan(b));
    expect(searcher.liveWorkers).toBe(3);
  });

  it('stops workers when the count shrinks, without taking their exit for a failure', async () => {
    searcher.setThreads(2);
    const c = testHeader(33);
    expect((await searcher.search(c, TARGET)).nonce).toBe(serialScan(c));
    expect(searcher.liveWorkers).toBe(2);
    await settle();
    const d = testHeader(34);
    expect((await searcher.search(d, TARGET)).nonce).toBe(serialScan(d));
  });

  it('keeps the running search on its workers and resizes for the next one', async () => {
    const controller = new AbortController();
    const running = searcher.search(testHeader(35), IMPOSSIBLE_TARGET, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    searcher.setThreads(1);
    expect(searcher.liveWorkers).toBe(2);
    expect((await running).nonce).toBeNull();
    const e = testHeader(36);
    expect((await searcher.search(e, TARGET)).nonce).toBe(serialScan(e));
    expect(searcher.liveWorkers).toBe(1);
    await settle();
    const f = testHeader(37);
    expect((await searcher.search(f, TARGET)).nonce).toBe(serialScan(f));
  });

  it.each([0, -1, 1.5, MAX_THREADS + 1, Number.NaN])('refuses %s threads and keeps the count', (n) => {
    const before = searcher.threads;
    expect(() => searcher.setThreads(n)).toThrow(RangeError);
    expect(() => new NonceSearcher({ threads: n })).toThrow(RangeError);
    expect(searcher.threads).toBe(before);
  });

  it('accepts the bounds 1 and 256', () => {
    const s = new NonceSearcher({ threads: MAX_THREADS });
    expect(s.threads).toBe(256);
    s.setThreads(1);
    expect(s.threads).toBe(1);
    return s.close();
  });
});
