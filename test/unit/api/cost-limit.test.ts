// The expensive-read turns (cost-limit.ts) without HTTP: who runs, who waits, who is refused.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CostLimiter, costOf } from '../../../src/api/cost-limit.js';
import { ApiError } from '../../../src/api/errors.js';
import { withLimits } from '../../../src/api/limits.js';

const limits = withLimits({
  costPerCaller: 4,
  costTotal: 6,
  costQueuePerCaller: 2,
  costQueueTotal: 3,
  costMaxWaitMs: 1_000,
});
const never = () => new AbortController().signal;

/** Whether a promise has settled, after the microtasks queued so far. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

afterEach(() => vi.useRealTimers());

describe('CostLimiter', () => {
  it('costs come from the table; HEAD costs what GET does; other routes cost nothing', () => {
    expect(costOf('GET', '/chain')).toBe(2);
    expect(costOf('HEAD', '/chain')).toBe(2);
    expect(costOf('GET', '/api/v1/address/:address')).toBe(1);
    expect(costOf('GET', '/api/v1/status')).toBe(0);
    expect(costOf('GET', undefined)).toBe(0);
  });

  it("runs a caller's reads up to its budget, queues the rest and starts them as turns end", async () => {
    const limiter = new CostLimiter(limits);
    const a = await limiter.acquire('a', 2, never());
    const b = await limiter.acquire('a', 2, never());
    const third = limiter.acquire('a', 2, never());
    expect(await settled(third)).toBe(false);
    expect(limiter.stats()).toMatchObject({ running: 4, waiting: 1 });
    a();
    a(); // ending a turn twice frees it once
    const c = await third;
    expect(limiter.stats()).toMatchObject({ running: 4, waiting: 0 });
    b();
    c();
    expect(limiter.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('another caller is not held back by one that has used its own budget', async () => {
    const limiter = new CostLimiter(limits);
    await limiter.acquire('a', 2, never());
    await limiter.acquire('a', 2, never());
    const waiting = limiter.acquire('a', 2, never());
    const other = limiter.acquire('b', 2, never());
    expect(await settled(other)).toBe(true);
    expect(await settled(waiting)).toBe(false);
  });

  it('refuses with 429 too-many-expensive-reads once the line is full, per caller and in all', async () => {
    const limiter = new CostLimiter(limits);
    await limiter.acquire('a', 4, never());
    await limiter.acquire('b', 2, never());
    const lined = [limiter.acquire('a', 1, never()), limiter.acquire('a', 1, never())];
    const perCaller = await limiter.acquire('a', 1, never()).catch((e) => e);
    expect(perCaller).toBeInstanceOf(ApiError);
    expect(perCaller).toMatchObject({ status: 429, code: 'too-many-expensive-reads' });
    expect(perCaller.message).toMatch(/at most 2 wait/);
    lined.push(limiter.acquire('c', 1, never()));
    const total = await limiter.acquire('d', 1, never()).catch((e) => e);
    expect(total).toMatchObject({ status: 429, code: 'too-many-expensive-reads' });
    expect(total.message).toMatch(/3 expensive reads waiting/);
    expect(limiter.stats().refused).toBe(2);
    for (const p of lined) expect(await settled(p)).toBe(false);
  });

  it('a client that leaves is taken out of line; one that waits too long is refused', async () => {
    vi.useFakeTimers();
    const limiter = new CostLimiter(limits);
    await limiter.acquire('a', 4, never());
    const leaving = new AbortController();
    const left = limiter.acquire('a', 1, leaving.signal).catch((e) => e);
    const late = limiter.acquire('a', 1, never()).catch((e) => e);
    leaving.abort(new Error('gone'));
    expect((await left).message).toBe('gone');
    expect(limiter.stats().waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await late).toMatchObject({ status: 429, code: 'too-many-expensive-reads' });
    expect(limiter.stats().waiting).toBe(0);
  });

  it('a client already gone when its read would wait is not put in line', async () => {
    const limiter = new CostLimiter(limits);
    await limiter.acquire('a', 4, never());
    const gone = new AbortController();
    gone.abort(new Error('gone'));
    await expect(limiter.acquire('a', 1, gone.signal)).rejects.toThrow('gone');
    expect(limiter.stats().waiting).toBe(0);
  });
});
