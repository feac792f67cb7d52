// A fresh node joins a peer with a chain of over 2,000 blocks: it downloads it headers-first, its status
// reports the progress meanwhile, and it ends on the same tip, block for block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  type NodeProcess,
  startNode,
  waitFor,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const TARGET = 2_000;

describe('initial sync of a long chain', () => {
  let a: NodeProcess;
  let b: NodeProcess | undefined;
  let source: Json;

  beforeAll(async () => {
    // --mine on regtest makes hundreds of blocks a second: run it until the chain is long enough.
    a = await startNode({ args: ['--mine', '--threads', '1'], logLevel: 'warn' });
    await waitFor(
      async () => (await getJson(a.url, '/api/v1/status')).height >= TARGET,
      `A to mine ${TARGET} blocks`,
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    const stopped = await api(a.url).post('/api/v1/miner/stop');
    expect(stopped.body.mining).toBe(false);
    source = await getJson(a.url, '/api/v1/status');
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('a fresh node syncs it from its peer, showing progress in its status', async () => {
    expect(source.mining).toBe(false);
    expect(source.height).toBeGreaterThanOrEqual(TARGET);
    // The miner really stopped: the tip holds still.
    await new Promise((r) => setTimeout(r, 300));
    expect((await getJson(a.url, '/api/v1/status')).tip).toBe(source.tip);

    const started = Date.now();
    b = await startNode({ args: ['--peer', source.p2p.addrs[0]] });
    const samples: Json[] = [];
    const done = await waitFor(
      async () => {
        const s = await getJson(b!.url, '/api/v1/status');
        samples.push({ height: s.height, ...s.sync });
        return s.tip === source.tip ? s : undefined;
      },
      'B to reach A’s tip',
      { timeoutMs: 60_000, intervalMs: 30 },
    );
    const seconds = (Date.now() - started) / 1000;

    expect(done).toMatchObject({ height: source.height, chainWork: source.chainWork, peers: 1 });
    expect(done.sync).toEqual({ syncing: false, peerHeight: source.height, progress: 1, state: 'in sync' });
    // Heights only go up, and at least one status caught the download half-way.
    const heights = samples.map((s) => s.height);
    expect(heights).toEqual([...heights].sort((x, y) => x - y));
    const midway = samples.filter((s) => s.height > 0 && s.height < source.height);
    expect(midway.length, `statuses seen: ${JSON.stringify(samples.slice(0, 40))}`).toBeGreaterThan(0);
    for (const s of midway) {
      expect(s.peerHeight).toBe(source.height);
      expect(s.progress).toBeCloseTo(s.height / source.height, 2);
      expect(s.progress).toBeGreaterThan(0);
      expect(s.progress).toBeLessThan(1);
    }
    expect(midway.some((s) => s.syncing)).toBe(true);

    // The same blocks, not just the same tip.
    for (const height of [1, 1000, Math.floor(source.height / 2), source.height]) {
      const [x, y] = await Promise.all([
        getJson(a.url, `/api/v1/blocks/${height}`),
        getJson(b.url, `/api/v1/blocks/${height}`),
      ]);
      expect(y.hash).toBe(x.hash);
      expect(y.merkleRoot).toBe(x.merkleRoot);
    }
    // One sync round did it (logged once done), not thousands of gossiped blocks.
    const rounds = b
      .logs()
      .split('\n')
      .filter((l) => l.includes('"msg":"sync round finished"'))
      .map((l) => JSON.parse(l));
    expect(rounds.reduce((n, r) => n + r.blocks, 0)).toBe(source.height);
    console.info(`synced ${source.height} blocks in ${seconds.toFixed(1)} s (start included)`);
  });
});
