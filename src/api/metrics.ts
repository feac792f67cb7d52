// Prometheus metrics at /metrics (prom-client), read from the node when scraped: Hashline's own figures
// first, then HTTP request counts and latencies, then the process metrics prom-client collects.
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiContext } from './context.js';
import { difficulty } from './views.js';

interface NodeMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'method' | 'status'>;
  readonly latency: Histogram<'route' | 'method'>;
}

/** One set per node: routeTable() may be built more than once, the chain's listeners must not be. */
const byNode = new WeakMap<ApiContext, NodeMetrics>();

/** The HTTP limits' figures (connections, event streams, expensive reads), read when scraped. */
export interface LimitReadings {
  readonly connectionsOpen: number;
  readonly connectionsRefused: number;
  readonly connectionsStalled: number;
  readonly eventStreams: number;
  readonly eventStreamsDropped: number;
  readonly expensiveReadsRunning: number;
  readonly expensiveReadsWaiting: number;
  readonly expensiveReadsRefused: number;
}

const limitReaders = new WeakMap<ApiContext, () => LimitReadings>();

/** Where the server of `node` reads its limits' figures from (the latest server built wins). */
export const setLimitReader = (node: ApiContext, read: () => LimitReadings): void => {
  limitReaders.set(node, read);
};

/** Requests that matched no route share one label, so junk URLs cannot grow the series without bound. */
export const UNMATCHED_ROUTE = 'unmatched';

function gauges(node: ApiContext, registry: Registry): void {
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
  gauge('hashline_difficulty', 'Difficulty the next block must meet (1 = the network minimum)', () =>
    difficulty(node.params, node.chain.nextContext().expectedBits),
  );
  gauge('hashline_peers', 'Connected peers', () => node.network.peers().length);
  gauge('hashline_sync_peer_height', 'Best height announced by a connected peer', () =>
    Math.max(node.network.syncStatus().peerHeight, node.chain.height),
  );
  gauge(
    'hashline_sync_lag_blocks',
    'Blocks this node is behind its best peer (peer height - our height)',
    () => Math.max(0, node.network.syncStatus().peerHeight - node.chain.height),
  );
  gauge('hashline_mempool_transactions', 'Transactions in the mempool', () => node.mempool.size);
  gauge('hashline_mempool_bytes', 'Serialized bytes in the mempool', () => node.mempool.bytes);
  gauge(
    'hashline_mempool_memory_bytes',
    'Memory the mempool counts its transactions as taking (its limit applies to this)',
    () => node.mempool.memory,
  );
  gauge(
    'hashline_coins_cache_bytes',
    'Memory the coins cache counts its entries as taking',
    () => node.coinsCache?.bytes ?? 0,
  );
  gauge(
    'hashline_coins_cache_limit_bytes',
    'Budget of the coins cache (--coins-cache); past it, the next flush empties the cache',
    () => node.coinsCache?.maxBytes ?? 0,
  );
  gauge('hashline_miner_mining', '1 while continuous mining is on', () => (node.miner.mining ? 1 : 0));
  gauge('hashline_miner_threads', 'Worker threads of the nonce search', () => node.mining.threads);
  gauge('hashline_miner_hashrate', 'Hashes per second of the local miner', () => node.miner.hashRate());
  const limit = (name: string, help: string, key: keyof LimitReadings) =>
    gauge(name, help, () => limitReaders.get(node)?.()[key] ?? 0);
  limit('hashline_http_connections', 'Open HTTP connections', 'connectionsOpen');
  limit(
    'hashline_http_connections_refused',
    'Connections refused by the caps since start',
    'connectionsRefused',
  );
  limit(
    'hashline_http_connections_stalled',
    'Connections closed as stalled since start',
    'connectionsStalled',
  );
  limit('hashline_http_event_streams', 'Open event streams (GET /api/v1/events)', 'eventStreams');
  limit(
    'hashline_http_event_streams_dropped',
    'Event streams dropped since start because their client did not read',
    'eventStreamsDropped',
  );
  limit(
    'hashline_http_expensive_reads_running',
    'Cost units of expensive reads running',
    'expensiveReadsRunning',
  );
  limit(
    'hashline_http_expensive_reads_waiting',
    'Expensive reads waiting for a turn',
    'expensiveReadsWaiting',
  );
  limit(
    'hashline_http_expensive_reads_refused',
    'Expensive reads refused (429) since start',
    'expensiveReadsRefused',
  );
}

function counters(node: ApiContext, registry: Registry): void {
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
  const blocks = counter('hashline_blocks_connected_total', 'Blocks connected');
  const reorgs = counter('hashline_reorgs_total', 'Chain reorganisations');
  const invalid = counter('hashline_invalid_blocks_total', 'Blocks rejected');
  const txs = counter('hashline_mempool_accepted_total', 'Transactions accepted');
  node.chain.on('connect', () => blocks.inc());
  node.chain.on('reorg', () => reorgs.inc());
  node.chain.on('invalid', () => invalid.inc());
  node.mempool.on('added', () => txs.inc());
}

function metricsOf(node: ApiContext): NodeMetrics {
  const known = byNode.get(node);
  if (known) return known;
  const registry = new Registry();
  gauges(node, registry);
  counters(node, registry);
  const requests = new Counter({
    name: 'hashline_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hashline_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  // Registered last so that they are listed last. Their names already start with process_ or nodejs_.
  collectDefaultMetrics({ register: registry, prefix: 'hashline_' });
  const metrics = { registry, requests, latency };
  byNode.set(node, metrics);
  return metrics;
}

/** Counts every answer of `app` and records its latency (call once, before the routes are added). */
export function installHttpMetrics(app: FastifyInstance, node: ApiContext): void {
  const { requests, latency } = metricsOf(node);
  app.addHook('onResponse', async (req, reply) => {
    // The route's pattern (/api/v1/blocks/:id), never the raw URL a client typed.
    const routeLabel = req.routeOptions.url ?? UNMATCHED_ROUTE;
    requests.inc({ route: routeLabel, method: req.method, status: String(reply.statusCode) });
    latency.observe({ route: routeLabel, method: req.method }, reply.elapsedTime / 1000);
  });
}

/** The registry /metrics serves (impl/node.ts). */
export const metricsRegistry = (node: ApiContext): Registry => metricsOf(node).registry;
