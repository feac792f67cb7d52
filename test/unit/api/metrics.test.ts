// GET /metrics of a real in-process node: Hashline's figures come first and are complete, process metrics
// carry one prefix, and every HTTP answer is counted by route pattern with its latency.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashlineNode } from '../../../src/node/node.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';

const dir = tempDir('hashline-metrics-');
let node: HashlineNode;
let app: FastifyInstance;

beforeAll(async () => {
  node = await HashlineNode.start(inProcessNodeConfig(dir.path, { coinsCacheMb: 8 }));
  app = node.api!;
});
afterAll(async () => {
  await node?.stop();
  dir.cleanup();
});

const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
/** The value of the sample whose name and labels are exactly `series`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('lists the node figures first, with difficulty, peers and sync lag', async () => {
    const text = await scrape();
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    expect(names[0]).toBe('hashline_chain_height');
    const firstProcess = names.findIndex((n) => n.startsWith('hashline_process_'));
    const lastOwn = names.findLastIndex((n) => /^hashline_(chain|difficulty|peers|sync|http|miner)/.test(n));
    expect(firstProcess).toBeGreaterThan(lastOwn);
    expect(sample(text, 'hashline_difficulty')).toBe(1);
    expect(sample(text, 'hashline_peers')).toBe(0);
    expect(sample(text, 'hashline_sync_lag_blocks')).toBe(0);
    expect(sample(text, 'hashline_miner_threads')).toBe(1);
    expect(sample(text, 'hashline_mempool_memory_bytes')).toBe(node.mempool.memory);
    // The operator's --coins-cache (MiB) is the cache's budget; the genesis coinbase's coin is in it.
    expect(sample(text, 'hashline_coins_cache_limit_bytes')).toBe(8 * 1024 * 1024);
    expect(sample(text, 'hashline_coins_cache_bytes')).toBe(node.store.coins.cache.bytes);
  });

  it('gives the process metrics a single hashline_ prefix', async () => {
    const text = await scrape();
    expect(text).toContain('hashline_process_cpu_seconds_total');
    expect(text).toContain('hashline_nodejs_heap_size_total_bytes');
    expect(text).not.toContain('process_process_');
  });

  it('counts requests by route pattern, method and status, with a latency histogram', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/mine', payload: {} });
    for (const id of ['0', '1', 'ff']) await app.inject({ method: 'GET', url: `/api/v1/blocks/${id}` });
    await app.inject({ method: 'GET', url: '/api/v1/no/such/thing' });
    const text = await scrape();
    const blocks = 'hashline_http_requests_total{route="/api/v1/blocks/:id",method="GET"';
    expect(sample(text, `${blocks},status="200"}`)).toBe(2);
    expect(sample(text, `${blocks},status="404"}`)).toBe(1);
    expect(sample(text, 'hashline_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
    expect(text).not.toContain('/api/v1/no/such/thing');
    const count = sample(
      text,
      'hashline_http_request_duration_seconds_count{route="/api/v1/blocks/:id",method="GET"}',
    );
    expect(count).toBe(3);
    expect(sample(text, 'hashline_blocks_connected_total')).toBe(1);
    expect(sample(text, 'hashline_chain_height')).toBe(1);
  });
});
