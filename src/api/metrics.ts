// Prometheus metrics at /metrics (prom-client), read from the node when scraped.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ApiContext } from './context.js';
import { type RouteDef, route } from './route-table.js';

export function metricsRoute(node: ApiContext): RouteDef {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hashline_process_' });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('hashline_chain_height', 'Height of the active chain tip', () => node.chain.height);
  gauge('hashline_mempool_transactions', 'Transactions in the mempool', () => node.mempool.size);
  gauge('hashline_mempool_bytes', 'Serialized bytes in the mempool', () => node.mempool.bytes);
  gauge('hashline_peers', 'Connected peers', () => node.network.peers().length);
  gauge('hashline_miner_hashrate', 'Hashes per second of the local miner', () => node.miner.hashRate());
  const blocks = new Counter({
    name: 'hashline_blocks_connected_total',
    help: 'Blocks connected',
    registers: [registry],
  });
  const reorgs = new Counter({
    name: 'hashline_reorgs_total',
    help: 'Chain reorganisations',
    registers: [registry],
  });
  const invalid = new Counter({
    name: 'hashline_invalid_blocks_total',
    help: 'Blocks rejected',
    registers: [registry],
  });
  const txs = new Counter({
    name: 'hashline_mempool_accepted_total',
    help: 'Transactions accepted',
    registers: [registry],
  });
  node.chain.on('connect', () => blocks.inc());
  node.chain.on('reorg', () => reorgs.inc());
  node.chain.on('invalid', () => invalid.inc());
  node.mempool.on('added', () => txs.inc());
  return route({
    method: 'GET',
    url: '/metrics',
    access: 'public',
    schema: { hide: true, summary: 'Prometheus metrics' },
    handler: async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  });
}
