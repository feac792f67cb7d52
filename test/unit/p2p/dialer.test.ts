// The dialer's backoff and forgetting, on an injected clock: first the rules alone, then a live
// host whose only peer went away.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import { DialPolicy } from '../../../src/p2p/dial-policy.js';
import type { KnownPeer } from '../../../src/p2p/types.js';
import { FakeChain } from './fake-chain.js';
import { connect, Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

const settings = {
  minPeers: 4,
  backoffBaseMs: 1000,
  backoffMaxMs: 8000,
  forgetAfterFailures: 5,
  forgetAfterMs: 60_000,
};

describe('DialPolicy', () => {
  it('backs off exponentially up to the maximum, and a success clears the failures', () => {
    const clock = new ManualClock();
    const policy = new DialPolicy(clock, settings);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const state = policy.failed('p', 'refused');
      waits.push(state.nextDialAt! - clock.now());
      expect(policy.canDial('p')).toBe(false);
      clock.advance(state.nextDialAt! - clock.now() - 1);
      expect(policy.canDial('p')).toBe(false);
      clock.advance(1);
      expect(policy.canDial('p')).toBe(true);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(policy.state('p')).toMatchObject({ failures: 6, lastError: 'refused' });
    policy.succeeded('p');
    expect(policy.state('p')).toEqual({ failures: 0, lastSeen: clock.now() });
    expect(policy.failed('p', 'x').nextDialAt! - clock.now()).toBe(1000);
  });

  it('forgets a peer only after enough failures over enough time', () => {
    const clock = new ManualClock();
    const policy = new DialPolicy(clock, settings);
    for (let i = 0; i < 5; i++) policy.failed('p', 'down');
    expect(policy.shouldForget('p')).toBe(false); // five failures, but within a moment
    clock.advance(60_000);
    expect(policy.shouldForget('p')).toBe(true);
    const slow = new DialPolicy(clock, settings);
    slow.failed('q', 'down');
    clock.advance(120_000);
    expect(slow.shouldForget('q')).toBe(false); // a long time, but one failure
  });

  it('a peer backing off may not be dialled until its wait is over; an unknown one may', () => {
    const clock = new ManualClock();
    const policy = new DialPolicy(clock, settings);
    policy.failed('backing-off', 'c');
    expect(policy.canDial('fresh')).toBe(true);
    expect(policy.canDial('backing-off')).toBe(false);
    clock.advance(policy.backoffMs(1));
    expect(policy.canDial('backing-off')).toBe(true);
  });
});

describe('the dialer on a live host', () => {
  it('redials a lost peer with backoff and forgets it after repeated failures', async () => {
    const clock = new ManualClock(Date.now());
    const b = await nodes.start(new FakeChain());
    const a = await nodes.start(new FakeChain(), {
      clock,
      minPeers: 1,
      dialIntervalMs: 500,
      dial: { backoffBaseMs: 1000, backoffMaxMs: 4000, forgetAfterFailures: 4, forgetAfterMs: 10_000 },
    });
    await connect(a, b);
    await b.stop();
    await waitFor(() => a.peers().length === 0, 'A to see B go');

    const entry = async (): Promise<KnownPeer | undefined> =>
      (await a.knownPeers()).find((p) => p.id === b.peerId);
    const failuresSeen: number[] = [];
    for (let step = 0; step < 60 && (await entry()) !== undefined; step++) {
      const before = await entry();
      clock.advance(500);
      // A dial is due when the backoff has passed: wait for its failure to be recorded (or B forgotten).
      if ((before?.nextDialAt ?? 0) <= clock.now()) {
        await waitFor(async () => (await entry())?.failures !== before?.failures, 'a dial to fail');
      }
      const e = await entry();
      if (e && e.failures > 0 && failuresSeen.at(-1) !== e.failures) {
        failuresSeen.push(e.failures);
        expect(e.failingSince).toBeDefined();
        expect(e.lastError).toBeTruthy();
        // The failure happened at some tick within the last step of 500 ms.
        const backoff = Math.min(4000, 1000 * 2 ** (e.failures - 1));
        expect(e.nextDialAt! - clock.now()).toBeLessThanOrEqual(backoff);
        expect(e.nextDialAt! - clock.now()).toBeGreaterThanOrEqual(backoff - 500);
        if (e.failures === 1) expect(e.nextDialAt! - e.failingSince!).toBe(1000);
      }
    }
    expect(await entry()).toBeUndefined();
    // Each failure was counted once, in order, before B was forgotten.
    expect(failuresSeen).toEqual(failuresSeen.map((_, i) => i + 1));
    expect(failuresSeen.length).toBeGreaterThanOrEqual(4);
  });
});
