// Peers dropped as stallers of the block download: disconnected, and left out of later downloads for a
// while, since a bootstrap peer is dialled again soon and would hold up the next window again.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import type { DownloadResult, DownloadTarget, PeerFault } from '../../../src/p2p/download-types.js';
import type { PeerStatuses } from '../../../src/p2p/peer-status.js';
import { RecentStallers, STALLER_LIMITS } from '../../../src/p2p/stall-timeout.js';
import type { SyncSource } from '../../../src/p2p/sync.js';
import { SyncScheduler } from '../../../src/p2p/sync-scheduler.js';
import { FakeChain } from './fake-chain.js';
import { fakeNetContext } from './fake-context.js';

interface SchedulerInternals {
  startDownload(id: string, target: DownloadTarget): { done: Promise<DownloadResult> };
  onFault(id: string, fault: PeerFault): void;
  sessionFor(id: string): SyncSource | undefined;
}

/** A scheduler syncing `client` from `server` through peers `ids`, each claiming the server's work. */
function setUp(clock: ManualClock, ids: string[]) {
  const server = new FakeChain();
  server.extend(40);
  const client = new FakeChain();
  const hungUp: string[] = [];
  const ctx = fakeNetContext(clock, {
    chain: client,
    hangUp: async (id) => void hungUp.push(id),
    readyPeers: () => ids,
  });

  const work = server.tip().chainWork;
  const statuses = { get: () => ({ chainWork: work }), entries: () => [] } as unknown as PeerStatuses;
  const scheduler = new SyncScheduler(ctx, statuses, () => {}, 4) as unknown as SchedulerInternals;
  const asked = new Map<string, number>();
  scheduler.sessionFor = (peer) => ({
    peer,
    getHeaders: async () => [],
    async getBlocks(hashes) {
      asked.set(peer, (asked.get(peer) ?? 0) + hashes.length);
      return Promise.all(hashes.map(async (h) => (await server.getBlock(h))!));
    },
  });
  /** Downloads the next `n` of the server's blocks through the scheduler; the blocks each peer was asked for. */
  const download = async (n: number) => {
    asked.clear();
    const from = client.tip().height + 1;
    const target = { hashes: server.activeHashes().slice(from, from + n), work };
    expect(await scheduler.startDownload(ids[0]!, target).done).toEqual({ blocks: n });
    return Object.fromEntries(asked);
  };
  return { scheduler, hungUp, download };
}

const stalled: PeerFault = {
  reason: 'stalled the block download for 2000 ms',
  offence: 'timeout',
  stalled: true,
};

describe('stallers of the block download', () => {
  it('are disconnected, then asked for no block for 10 minutes while another peer can serve', async () => {
    const clock = new ManualClock();
    const { scheduler, hungUp, download } = setUp(clock, ['fast', 'slow']);
    expect(await download(8)).toEqual({ fast: 4, slow: 4 });

    scheduler.onFault('slow', stalled);
    expect(hungUp).toEqual(['slow']);
    // It is back (a bootstrap peer is dialled again soon): later downloads leave it out.
    expect(await download(8)).toEqual({ fast: 8 });
    clock.advance(STALLER_LIMITS.rememberMs - 1);
    expect(await download(8)).toEqual({ fast: 8 });
    clock.advance(1);
    expect(await download(8)).toEqual({ fast: 4, slow: 4 });
  });

  it('are still asked when no other peer can serve', async () => {
    const clock = new ManualClock();
    const { scheduler, download } = setUp(clock, ['slow']);
    scheduler.onFault('slow', stalled);
    expect(await download(8)).toEqual({ slow: 8 });
  });

  it('other faults do not leave a peer out of later downloads', async () => {
    const clock = new ManualClock();
    const { scheduler, hungUp, download } = setUp(clock, ['fast', 'slow']);
    scheduler.onFault('slow', { reason: 'peer no longer has the blocks it announced' });
    expect(hungUp).toEqual([]);
    expect(await download(8)).toEqual({ fast: 4, slow: 4 });
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
