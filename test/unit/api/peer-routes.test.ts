// The peer-management routes on two real in-process nodes: the listing (connected, known, http URLs with
// their state, bans), removing a peer and a URL, lifting a ban.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';
import { waitFor } from '../../support/node-process.js';

const dirs = [tempDir('hashline-peers-a-'), tempDir('hashline-peers-b-')];
let a: HashlineNode;
let b: HashlineNode;
let app: FastifyInstance;

const get = async () => (await app.inject({ method: 'GET', url: '/api/v1/peers' })).json();

beforeAll(async () => {
  a = await HashlineNode.start(inProcessNodeConfig(dirs[0]!.path));
  // B dials nobody by itself: a peer A forgets may come back on its own (nothing forbids it), and this
  // test is about A's routes.
  b = await HashlineNode.start(inProcessNodeConfig(dirs[1]!.path, { minPeers: 0 }));
  app = a.api!;
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/peers',
    payload: { address: b.p2p.addrs()[0] },
  });
  expect(r.statusCode).toBe(201);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  for (const d of dirs) d.cleanup();
});

describe('GET /api/v1/peers', () => {
  it('lists the connected peer, and the peer store knows it', async () => {
    const listing = await waitFor(async () => {
      const l = await get();
      return l.known.some((k: { id: string }) => k.id === b.p2p.peerId) ? l : undefined;
    }, 'B in the peer store');
    expect(listing.peers.map((p: { id: string }) => p.id)).toContain(b.p2p.peerId);
    expect(listing.known.find((k: { id: string }) => k.id === b.p2p.peerId)).toMatchObject({
      connected: true,
    });
    expect(listing.bans).toEqual([]);
  });

  it('shows a dead registered URL as failing, with its error, and removes it', async () => {
    const dead = 'http://127.0.0.1:9';
    await app.inject({ method: 'POST', url: '/nodes/register', payload: { nodes: [dead] } });
    const state = (await get()).httpPeers.find((h: { url: string }) => h.url === dead);
    expect(state).toMatchObject({ url: dead, connected: false });
    expect(state.attempts).toBeGreaterThan(0);
    expect(typeof state.failingSince).toBe('number');
    expect(state.lastError).toMatch(/.+/);
    const removed = await app.inject({ method: 'DELETE', url: `/api/v1/http-peers?url=${dead}` });
    expect(removed.statusCode).toBe(200);
    expect((await get()).http).not.toContain(dead);
    const again = await app.inject({ method: 'DELETE', url: `/api/v1/http-peers?url=${dead}` });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: 'not-found' });
  });
});

describe('removing peers and bans', () => {
  it('lists a ban by IP address and lifts it', async () => {
    a.p2p.ban('10.0.0.9', 600, 'test ban');
    const ban = (await get()).bans.find((x: { id: string }) => x.id === '10.0.0.9');
    expect(ban).toMatchObject({ kind: 'ip', ip: '10.0.0.9', reason: 'test ban' });
    expect(ban.until).toBeGreaterThan(Date.now());
    const lifted = await app.inject({ method: 'DELETE', url: '/api/v1/bans/10.0.0.9' });
    expect(lifted.statusCode).toBe(200);
    expect((await get()).bans).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/bans/10.0.0.9' })).statusCode).toBe(404);
  });

  it('hangs up on a peer and forgets it; an unknown peer is 404', async () => {
    const r = await app.inject({ method: 'DELETE', url: `/api/v1/peers/${b.p2p.peerId}` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ removed: b.p2p.peerId });
    await waitFor(
      async () => !(await get()).peers.some((p: { id: string }) => p.id === b.p2p.peerId),
      'B gone',
    );
    const unknown = await app.inject({ method: 'DELETE', url: '/api/v1/peers/12D3KooWNobody' });
    expect(unknown.statusCode).toBe(404);
  });
});
