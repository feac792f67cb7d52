// The small bounds of the network layer: validations in flight, failed copies of one header, token
// buckets, the throttled dialer tick.
import { describe, expect, it } from 'vitest';
import { atMostEvery, ManualClock } from '../../../src/p2p/clock.js';
import { CopyLimiter, InflightLimit } from '../../../src/p2p/gossip-limits.js';
import { TokenBuckets } from '../../../src/p2p/token-bucket.js';

describe('InflightLimit', () => {
  it('caps tasks in total and per key', () => {
    const limit = new InflightLimit(3, 2);
    expect([limit.tryEnter('a'), limit.tryEnter('a'), limit.tryEnter('a')]).toEqual([true, true, false]);
    expect(limit.tryEnter('b')).toBe(true);
    expect(limit.tryEnter('c')).toBe(false); // total reached
    limit.leave('a');
    expect(limit.tryEnter('c')).toBe(true);
    limit.leave('zzz'); // unknown: no effect
    expect(limit.size).toBe(3);
  });
});

describe('CopyLimiter', () => {
  it('counts copies being looked at, so copies that come together cannot all get in', () => {
    const clock = new ManualClock();
    const copies = new CopyLimiter(() => clock.now(), { maxFailures: 2, windowMs: 600_000, maxHeaders: 3 });
    expect(copies.tryLook('h')).toBe(true);
    expect(copies.tryLook('h')).toBe(true);
    // Two copies in flight: a third waits for their verdicts.
    expect(copies.tryLook('h')).toBe(false);
    copies.noteFailure('h');
    copies.done('h');
    expect(copies.tryLook('h')).toBe(false);
    // The second copy was good after all (its verdict is not a failure): one more may be looked at.
    copies.done('h');
    expect(copies.tryLook('h')).toBe(true);
    copies.noteFailure('h');
    copies.done('h');
    expect(copies.tryLook('h')).toBe(false);
    expect(copies.tryLook('other')).toBe(true);
  });

  it('stops looking at a header after 2 failed copies for 10 minutes, and stays bounded', () => {
    const clock = new ManualClock();
    const copies = new CopyLimiter(() => clock.now(), { maxFailures: 2, windowMs: 600_000, maxHeaders: 3 });
    copies.noteFailure('h');
    expect(copies.exhausted('h')).toBe(false);
    copies.noteFailure('h');
    expect(copies.exhausted('h')).toBe(true);
    clock.advance(600_000);
    expect(copies.exhausted('h')).toBe(false);
    for (const h of ['1', '2', '3', '4']) copies.noteFailure(h);
    expect(copies.size).toBe(3);
  });
});

describe('TokenBuckets', () => {
  it('gives a burst, refills, allows debt by charge(), and keeps at most maxKeys', () => {
    const clock = new ManualClock();
    const buckets = new TokenBuckets({ burst: 10, perSecond: 2, maxKeys: 2 }, () => clock.now());
    expect(buckets.take('a', 10)).toBe(true);
    expect(buckets.take('a')).toBe(false);
    clock.advance(1000);
    expect(buckets.level('a')).toBe(2);
    buckets.charge('a', 7);
    expect(buckets.level('a')).toBe(-5);
    clock.advance(10_000);
    expect(buckets.level('a')).toBe(10); // capped at the burst
    buckets.take('b');
    buckets.take('c');
    expect(buckets.size).toBe(2);
  });
});

describe('atMostEvery', () => {
  it('runs at once, then merges calls within the interval into one', () => {
    const clock = new ManualClock();
    let runs = 0;
    const tick = atMostEvery(clock, 1000, () => runs++);
    tick();
    expect(runs).toBe(1);
    for (let i = 0; i < 50; i++) tick();
    expect(runs).toBe(1);
    clock.advance(1000);
    expect(runs).toBe(2);
    clock.advance(5000);
    tick();
    expect(runs).toBe(3);
    tick();
    tick.cancel();
    clock.advance(5000);
    expect(runs).toBe(3);
  });
});
