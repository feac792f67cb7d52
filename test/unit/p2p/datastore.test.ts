// libp2p's datastore over the node's LevelDB: the interface-datastore operations, and a restarted
// network that still knows (and dials) the peers it had.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Key } from 'interface-datastore';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/node/level-store.js';
import { LevelPeerDatastore } from '../../../src/node/libp2p-datastore.js';
import { generatePeerKey } from '../../../src/p2p/keys.js';
import type { ChainStore } from '../../../src/store/store.js';

import { FakeChain } from './fake-chain.js';
import { connect, isPeerOf, Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
const dirs: string[] = [];
const stores: ChainStore[] = [];

async function openTestStore(dir?: string): Promise<{ store: ChainStore; dir: string }> {
  const location = dir ?? mkdtempSync(join(tmpdir(), 'hashline-ds-'));
  if (!dir) dirs.push(location);
  const store = await openStore(location);
  stores.push(store);
  return { store, dir: location };
}

afterEach(async () => {
  await nodes.stopAll();
  await Promise.allSettled(stores.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function collect<T>(it: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('LevelPeerDatastore', () => {
  it('puts, gets, queries by prefix and deletes', async () => {
    const { store } = await openTestStore();
    const ds = new LevelPeerDatastore(store.libp2p);
    await ds.put(new Key('/peers/a'), bytes('A'));
    await ds.put(new Key('/peers/b'), bytes('B'));
    await ds.put(new Key('/other/c'), bytes('C'));
    expect(text(await ds.get(new Key('/peers/a')))).toBe('A');
    expect(await ds.has(new Key('/peers/b'))).toBe(true);
    await expect(ds.get(new Key('/peers/zz'))).rejects.toMatchObject({ name: 'NotFoundError' });

    const peers = await collect(ds.query({ prefix: '/peers' }));
    expect(peers.map((p) => [p.key.toString(), text(p.value)])).toEqual([
      ['/peers/a', 'A'],
      ['/peers/b', 'B'],
    ]);
    expect((await collect(ds.queryKeys({}))).map(String)).toEqual(['/other/c', '/peers/a', '/peers/b']);
    expect(await collect(ds.query({ prefix: '/peers', limit: 1 }))).toHaveLength(1);

    const batch = ds.batch();
    batch.delete(new Key('/peers/a'));
    batch.put(new Key('/peers/d'), bytes('D'));
    await batch.commit();
    expect(await ds.has(new Key('/peers/a'))).toBe(false);
    expect((await collect(ds.queryKeys({ prefix: '/peers' }))).map(String)).toEqual(['/peers/b', '/peers/d']);
    await ds.delete(new Key('/peers/b'));
    expect(await ds.has(new Key('/peers/b'))).toBe(false);
    // Everything stays under libp2p's own prefix, by the datastore's names.
    expect((await collect(store.libp2p.entries())).map(([name]) => name)).toEqual(['/other/c', '/peers/d']);
  });

  it('a restarted network remembers its peers and dials them again', async () => {
    const { store, dir } = await openTestStore();
    const key = await generatePeerKey();
    const b = await nodes.start(new FakeChain());
    let a = await nodes.start(new FakeChain(), {
      datastore: new LevelPeerDatastore(store.libp2p),
      privateKey: key,
    });
    await connect(a, b);
    await waitFor(async () => (await a.knownAddrs()).length > 0, 'A to store B');
    await a.stop();
    await store.close();
    stores.splice(stores.indexOf(store), 1);

    const reopened = (await openTestStore(dir)).store;
    a = await nodes.start(new FakeChain(), {
      datastore: new LevelPeerDatastore(reopened.libp2p),
      privateKey: key,
      minPeers: 1,
      dialIntervalMs: 100,
    });
    const known = await a.knownPeers();
    expect(known.map((p) => p.id)).toContain(b.peerId);
    expect(known.find((p) => p.id === b.peerId)?.lastSeen).toBeGreaterThan(0);
    await waitFor(() => isPeerOf(a, b), 'A to dial B from its peer store');
  });
});
