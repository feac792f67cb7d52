// GET /api/v1/blocks/:hash under load, for api.ts: the lean generator (http-load.ts) measures the node,
// autocannon in the same process is the cross-check. Every answer's status and length are checked
// against a reference body fetched first, and some answers byte for byte.
import { autocannonLoad, type LoadResult } from './autocannon-load.js';
import { type HttpLoadResult, httpLoad } from './http-load.js';
import type { NodeProcess } from './node-process.js';
import { formatNumber, progress, type Row } from './report.js';

const CONNECTIONS = 10;
/** Requests in flight per connection for the lean generator. */
const PIPELINING = 4;
const SECONDS = 2;
const RUNS = 2;
const SAMPLE_EVERY = 500;

/** The bodies the node serves for `paths` now (nothing is mined while they are loaded). */
async function references(node: NodeProcess, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const p of paths) {
    const res = await fetch(`${node.url}${p}`);
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    out.set(p, Buffer.from(await res.arrayBuffer()));
  }
  return out;
}

/** Best of RUNS loads of `paths` with the node:net generator; throws on any wrong answer. */
export async function leanGets(
  node: NodeProcess,
  paths: readonly string[],
  runs = RUNS,
): Promise<HttpLoadResult> {
  const refs = await references(node, paths);
  const port = Number(new URL(node.url).port);
  let best: HttpLoadResult | undefined;
  for (let run = 0; run < runs; run++) {
    let n = 0;
    const r = await httpLoad({
      host: '127.0.0.1',
      port,
      nextPath: () => paths[n++ % paths.length]!,
      connections: CONNECTIONS,
      pipelining: PIPELINING,
      seconds: SECONDS,
      expectStatus: 200,
      reference: (p) => refs.get(p)!,
      sampleEvery: SAMPLE_EVERY,
      serverCpuSeconds: () => node.cpuSeconds(),
    });
    if (r.firstError) throw new Error(`GET ${paths[0]} under load: ${r.firstError}`);
    if (r.sampled === 0) throw new Error('no answer was compared byte for byte');
    if (!best || r.rate > best.rate) best = r;
  }
  return best!;
}

async function autocannonRuns(node: NodeProcess, paths: readonly string[]): Promise<LoadResult> {
  let best: LoadResult | undefined;
  for (let run = 0; run < RUNS; run++) {
    let n = 0;
    const r = await autocannonLoad({
      node,
      url: node.url,
      method: 'GET',
      next: () => ({ path: paths[n++ % paths.length] }),
      expectStatus: 200,
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    if (r.firstError) throw new Error(`GET ${paths[0]} under autocannon: ${r.firstError}`);
    if (!best || r.rate > best.rate) best = r;
  }
  return best!;
}

export const leanNote = (r: HttpLoadResult) =>
  `node:net generator (bench/lib/http-load.ts), ${CONNECTIONS} connections × ${PIPELINING} pipelined, bodies skipped, best of ${RUNS} × ${SECONDS} s; node ${r.serverCores.toFixed(
    2,
  )} cores busy: ${formatNumber(r.rate / r.serverCores)} req per node CPU-second; generator ${r.generatorCores.toFixed(
    2,
  )} cores; every answer 200 with the reference's length, ${r.sampled} compared byte for byte`;

const autocannonNote = (r: LoadResult) =>
  `autocannon, ${CONNECTIONS} connections, no pipelining, best of ${RUNS} × ${SECONDS} s; node ${r.nodeCores.toFixed(
    2,
  )} cores busy: ${formatNumber(r.rate / r.nodeCores)} req per node CPU-second; autocannon ${r.generatorCores.toFixed(
    2,
  )} cores (it parses with http-parser-js and keeps every body)`;

/** Rows for coinbase-only blocks (`emptyHashes`) and one block of `fullTxs` transactions. */
export async function blockGetRows(
  node: NodeProcess,
  emptyHashes: readonly string[],
  fullHash: string,
  fullTxs: number,
  single: number,
): Promise<Row[]> {
  const emptyPaths = emptyHashes.map((h) => `/api/v1/blocks/${h}`);
  const fullPaths = [`/api/v1/blocks/${fullHash}`];
  progress('api: GET /api/v1/blocks/:hash, node:net generator');
  const empty = await leanGets(node, emptyPaths);
  const full = await leanGets(node, fullPaths);
  progress('api: GET /api/v1/blocks/:hash, autocannon');
  const emptyCannon = await autocannonRuns(node, emptyPaths);
  const fullCannon = await autocannonRuns(node, fullPaths);
  const fullName = `GET /api/v1/blocks/:hash, block with ${fullTxs} txs`;
  return [
    {
      name: 'GET /api/v1/blocks/:hash (coinbase-only blocks)',
      value: empty.rate,
      unit: 'req/s',
      baseline: `${formatNumber(single)} req/s (one connection, sequential fetch)`,
      ratio: empty.rate / single,
      goal: '≥ 5,000 req/s',
      met: empty.rate >= 5000,
      note: leanNote(empty),
    },
    {
      name: 'GET /api/v1/blocks/:hash p99 latency',
      value: emptyCannon.p99,
      unit: 'ms',
      goal: '< 20 ms',
      met: emptyCannon.p99 < 20,
      note: `autocannon, ${CONNECTIONS} connections, coinbase-only blocks; p50 ${emptyCannon.p50} ms (node:net generator with ${PIPELINING} pipelined: p99 ${empty.p99.toFixed(1)} ms)`,
    },
    {
      name: fullName,
      value: full.rate,
      unit: 'req/s',
      baseline: `${formatNumber(empty.rate)} req/s (coinbase-only block)`,
      ratio: full.rate / empty.rate,
      goal: '≥ 3,000 req/s',
      met: full.rate >= 3000,
      note: `${leanNote(full)}; p99 ${full.p99.toFixed(1)} ms`,
    },
    {
      name: `${fullName}, autocannon cross-check`,
      value: fullCannon.rate,
      unit: 'req/s',
      baseline: `${formatNumber(full.rate)} req/s (node:net generator)`,
      ratio: fullCannon.rate / full.rate,
      note: `${autocannonNote(fullCannon)}; coinbase-only blocks: ${formatNumber(emptyCannon.rate)} req/s, autocannon ${emptyCannon.generatorCores.toFixed(
        2,
      )} cores, node ${emptyCannon.nodeCores.toFixed(2)}`,
    },
  ];
}
