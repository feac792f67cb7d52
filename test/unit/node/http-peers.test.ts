// Registered http URLs: per-URL state, backoff, one log line when a URL starts failing and one
// when it recovers, and removal that is saved.
import { describe, expect, it } from 'vitest';
import { HttpPeers } from '../../../src/node/http-peers.js';

function setup(reachable: Set<string>, savedUrls: string[] = []) {
  const clock = { now: 1_000_000 };
  const logs: string[] = [];
  const saved: string[][] = [];
  const connected: string[] = [];
  const peers = new HttpPeers({
    resolve: async (url) => {
      if (!reachable.has(url)) throw new Error(`${url} refused`);
      return [`/ip4/192.0.2.1/tcp/15000/p2p/peer-of-${url}`];
    },
    dial: async (addr) => {
      connected.push(addr.slice(addr.lastIndexOf('/p2p/') + 5));
    },
    connectedPeerIds: () => connected,
    load: async () => savedUrls,
    save: async (urls) => void saved.push(urls),
    log: {
      debug() {},
      info: (_o, msg) => void logs.push(`info ${msg}`),
      warn: (_o, msg) => void logs.push(`warn ${msg}`),
      error() {},
    },
    now: () => clock.now,
  });
  return { peers, clock, logs, saved, connected };
}

describe('HttpPeers', () => {
  it('a dead URL is logged once, retried with backoff, and logged once when it recovers', async () => {
    const reachable = new Set<string>();
    const { peers, clock, logs, connected } = setup(reachable);
    await peers.load(['http://dead:5000']);
    expect(peers.urls()).toEqual(['http://dead:5000']);

    for (let i = 0; i < 4; i++) {
      expect(await peers.connect('http://dead:5000')).toBe(false);
      clock.now += 1000;
    }
    const [state] = peers.states().filter((s) => s.url === 'http://dead:5000');
    expect(state).toMatchObject({ connected: false, attempts: 4, failingSince: 1_000_000 });
    expect(state.lastError).toContain('refused');
    expect(state.nextAttemptAt! - (clock.now - 1000)).toBe(15_000 * 2 ** 3);
    // At info, once, with the reason.
    expect(logs).toEqual([
      'info peer unreachable: http://dead:5000: http://dead:5000 refused; retrying with backoff',
    ]);

    // tick() leaves it alone while it backs off.
    reachable.add('http://dead:5000');
    peers.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(connected).toEqual([]);
    clock.now = state.nextAttemptAt!;
    peers.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(connected).toEqual(['peer-of-http://dead:5000']);
    expect(peers.states().find((s) => s.url === 'http://dead:5000')).toEqual({
      url: 'http://dead:5000',
      peerId: 'peer-of-http://dead:5000',
      connected: true,
      attempts: 0,
    });
    expect(logs).toEqual([
      'info peer unreachable: http://dead:5000: http://dead:5000 refused; retrying with backoff',
      'info http peer reachable again',
    ]);
  });

  it('register saves and tries at once; remove drops the URL and saves the list', async () => {
    const { peers, saved } = setup(new Set(['http://live:5000']), ['http://saved:5000']);
    await peers.load([]);
    const states = await peers.register(['http://live:5000']);
    expect(states).toMatchObject([{ url: 'http://live:5000', connected: true }]);
    expect(saved.at(-1)).toEqual(['http://saved:5000', 'http://live:5000']);
    expect(await peers.remove('http://saved:5000')).toBe(true);
    expect(await peers.remove('http://saved:5000')).toBe(false);
    expect(saved.at(-1)).toEqual(['http://live:5000']);
    expect(peers.urls()).toEqual(['http://live:5000']);
  });
});
