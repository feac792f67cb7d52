// Peers dropped as stallers of the block download: disconnected, and left out of later downloads for a
// while, since a bootstrap peer is dialled again at once and would hold up the next window again.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import { type NetContext, silentLogger } from '../../../src/p2p/context.js';
import type { DownloadTarget, PeerFault } from '../../../src/p2p/download-types.js';
import type { PeerStatuses } from '../../../src/p2p/peer-status.js';
import { protocolIds } from '../../../src/p2p/protocol.js';
import { RecentStallers, STALLER_LIMITS } from '../../../src/p2p/stall-timeout.js';
import { SyncScheduler } from '../../../src/p2p/sync-scheduler.js';
import { FakeChain } from './fake-chain.js';

interface SchedulerInternals {
  downloadPeers(target: DownloadTarget): string[];
  onFault(id: string, fault: PeerFault): void;
}

/** A scheduler whose ready peers are `ready.ids`, each claiming the target's work. */
function schedulerWith(clock: ManualClock, ready: { ids: string[] }) {
  const hungUp: string[] = [];
  const ctx: NetContext = {
    chain: new FakeChain(),
    log: silentLogger,
    ids: protocolIds('regtest'),
    clock,
    host: () => undefined,
    stopSignal: () => new AbortController().signal,
    judge: () => ({ reason: '' }),
    penalize: () => {},
    peerKey: (id) => id,
    isRefused: () => false,
    isIncompatible: () => false,
    connectionOf: () => undefined,
    hangUp: async (id) => void hungUp.push(id),
    readyPeers: () => ready.ids,
    apiUrl: () => undefined,
  };
  const statuses = { get: () => ({ chainWork: 10n }), entries: () => [] } as unknown as PeerStatuses;
  const scheduler = new SyncScheduler(ctx, statuses, () => {});
  return { scheduler: scheduler as unknown as SchedulerInternals, hungUp };
}

const target: DownloadTarget = { hashes: ['00'.repeat(32)], work: 10n };
const stalled: PeerFault = {
  reason: 'stalled the block download for 2000 ms',
  offence: 'timeout',
  stalled: true,
};

describe('stallers of the block download', () => {
  it('are disconnected, then get no part of a download for 10 minutes unless nobody else can serve', () => {
    const clock = new ManualClock();
    const ready = { ids: ['fast', 'slow'] };
    const { scheduler, hungUp } = schedulerWith(clock, ready);
    expect(scheduler.downloadPeers(target)).toEqual(['fast', 'slow']);

    scheduler.onFault('slow', stalled);
    expect(hungUp).toEqual(['slow']);
    // It is back (a bootstrap peer is dialled again at once): the next download leaves it out.
    expect(scheduler.downloadPeers(target)).toEqual(['fast']);
    ready.ids = ['slow'];
    expect(scheduler.downloadPeers(target)).toEqual(['slow']); // a slow peer is better than none
    ready.ids = ['fast', 'slow'];
    clock.advance(STALLER_LIMITS.rememberMs - 1);
    expect(scheduler.downloadPeers(target)).toEqual(['fast']);
    clock.advance(1);
    expect(scheduler.downloadPeers(target)).toEqual(['fast', 'slow']);
  });

  it('other faults do not leave a peer out of later downloads', () => {
    const clock = new ManualClock();
    const { scheduler, hungUp } = schedulerWith(clock, { ids: ['fast', 'slow'] });
    scheduler.onFault('slow', { reason: 'peer no longer has the blocks it announced' });
    expect(hungUp).toEqual([]);
    expect(scheduler.downloadPeers(target)).toEqual(['fast', 'slow']);
  });

  it('are remembered at most maxKept at a time, the oldest forgotten first', () => {
    const clock = new ManualClock();
    const stallers = new RecentStallers(() => clock.now(), 60_000, 3);
    for (const id of ['a', 'b', 'c']) stallers.add(id);
    stallers.add('a'); // stalled again: now the newest
    stallers.add('d');
    expect(stallers.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].filter((id) => stallers.has(id))).toEqual(['a', 'c', 'd']);
    clock.advance(60_000);
    expect(stallers.has('a')).toBe(false);
    expect(stallers.size).toBe(2); // an expired one goes when looked at
  });
});
