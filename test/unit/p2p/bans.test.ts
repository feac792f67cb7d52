// Bans by peer id and by IP: expiry, persistence through a BanStore, and enforcement by the
// connection gater (a new peer id from a banned address gets nowhere).
import { afterEach, describe, expect, it } from 'vitest';
import { BanList, normalIp } from '../../../src/p2p/bans.js';
import { ManualClock } from '../../../src/p2p/clock.js';
import type { BanInfo, BanStore } from '../../../src/p2p/types.js';
import { FakeChain } from './fake-chain.js';
import { connect, isPeerOf, Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

/** A BanStore in memory, as the node's LevelDB one would keep them. */
function memoryStore(): BanStore & { saved: BanInfo[] } {
  const store = {
    saved: [] as BanInfo[],
    load: async () => structuredClone(store.saved),
    save: async (bans: BanInfo[]) => {
      store.saved = structuredClone(bans);
    },
  };
  return store;
}

describe('BanList', () => {
  it('bans ids and IPs until they expire, and keeps them across a reload', async () => {
    const clock = new ManualClock();
    const store = memoryStore();
    const bans = new BanList(clock, store);
    bans.ban('12D3KooWpeer', 60, 'invalid blocks');
    bans.ban('::ffff:203.0.113.9', 120, 'operator');
    expect(bans.isBanned('12D3KooWpeer')).toBe(true);
    expect(bans.isBanned('203.0.113.9')).toBe(true);
    expect(bans.list().map((b) => [b.id, b.kind])).toEqual([
      ['12D3KooWpeer', 'peer'],
      ['203.0.113.9', 'ip'],
    ]);
    await bans.flushed();

    const reloaded = new BanList(clock, store);
    await reloaded.load();
    expect(reloaded.list()).toEqual(bans.list());
    clock.advance(60_000);
    expect(reloaded.isBanned('12D3KooWpeer')).toBe(false);
    expect(reloaded.isBanned('203.0.113.9')).toBe(true);
    expect(reloaded.unban('203.0.113.9')).toBe(true);
    expect(reloaded.list()).toEqual([]);
    await reloaded.flushed();
    expect(store.saved).toEqual([]);
  });

  it('normalises addresses', () => {
    expect(normalIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normalIp('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(normalIp('12D3KooW')).toBeUndefined();
  });
});

describe('bans on live hosts', () => {
  it('an IP ban refuses every peer id from that address, also after a restart', async () => {
    const store = memoryStore();
    let b = await nodes.start(new FakeChain(), { banStore: store });
    const a = await nodes.start(new FakeChain());
    await connect(a, b);
    const info = b.ban('127.0.0.1', 600, 'operator ban');
    expect(info).toMatchObject({ id: '127.0.0.1', kind: 'ip', reason: 'operator ban' });
    await waitFor(() => !isPeerOf(b, a) && !isPeerOf(a, b), 'the connection to close');

    // Another host on the same address, with a new peer id: refused both ways.
    const c = await nodes.start(new FakeChain());
    await expect(c.dial(b.addrs()[0])).rejects.toThrow();
    await expect(b.dial(c.addrs()[0])).rejects.toThrow();

    const key = b.peerId;
    const port = Number(b.addrs()[0].split('/tcp/')[1].split('/')[0]);
    await b.stop();
    b = await nodes.start(new FakeChain(), { banStore: store, port });
    expect(b.peerId).not.toBe(key); // a new identity, same bans
    expect(b.bans().map((x) => x.id)).toEqual(['127.0.0.1']);
    await expect(c.dial(b.addrs()[0])).rejects.toThrow();

    expect(b.unban('127.0.0.1')).toBe(true);
    await connect(c, b);
    expect(store.saved).toEqual([]);
  });

  it('a peer-id ban keeps that peer out but not its neighbours on the same address', async () => {
    const b = await nodes.start(new FakeChain(), { banStore: memoryStore() });
    const a = await nodes.start(new FakeChain());
    const c = await nodes.start(new FakeChain());
    await connect(a, b);
    b.ban(a.peerId, 600, 'test');
    await waitFor(() => !isPeerOf(b, a), 'B to drop A');
    await expect(a.dial(b.addrs()[0])).rejects.toThrow();
    await connect(c, b);
    await b.forget(c.peerId);
    await waitFor(() => !isPeerOf(b, c), 'hang-up of a forgotten peer');
    expect((await b.knownPeers()).some((p) => p.id === c.peerId)).toBe(false);
  });
});
