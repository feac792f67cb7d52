// Resident memory of a node process holding a long chain: under 250 MB at 50,000 blocks, and at most
// 600 bytes more per block (compared with the same node at 5,000 blocks, in the same run).
//
//   npx tsc -p tsconfig.build.json && node --import tsx bench/memory.ts [blocks]
//
// The chains are generated straight into a store with the Chain (small regtest blocks: the coinbase
// and one payment each) and cached in bench/.build/stores. Each is copied into a fresh data
// directory, a node is started on it, and its VmRSS is read from /proc after start and after serving
// a few thousand requests.
import '../src/polyfill.js';
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { getJson, type NodeProcess, startNode } from './lib/node-process.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { scratchDir } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const SMALL = 5_000;
const LARGE = 50_000;
const MB = 1024 * 1024;
const LIMIT_MB = 250;
/** What each block may add to resident memory (its index entry and what the node keeps per block). */
const PER_BLOCK_LIMIT = 600;

interface MemoryReading {
  blocks: number;
  startMs: number;
  afterStart: number;
  /** Of afterStart, file-backed pages (the node binary, LevelDB's mapped table files): the kernel may drop them. */
  fileAfterStart: number;
  heapAfterStart: number;
  afterRequests: number;
  /** After IDLE_MS without requests: V8 gives back some of the heap it grew under load. */
  settled: number;
  peak: number;
  heapAfterRequests: number;
  requests: number;
  generatedSeconds: number;
}

/** GET requests of single blocks, then pages: the same number at every chain length. */
const BLOCK_REQUESTS = 6_000;
const PAGE_ROUNDS = 20;
const IDLE_MS = 10_000;

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A few thousand reads spread over the chain: single blocks, block pages, classic pages, status. */
async function serveRequests(node: NodeProcess, height: number): Promise<number> {
  let seed = 12345;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const result = await autocannon({
    url: node.url,
    connections: 8,
    amount: BLOCK_REQUESTS,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/api/v1/blocks/${1 + random(height)}` }),
      },
    ],
  });
  let count = result.requests.total;
  for (let i = 0; i < PAGE_ROUNDS; i++) {
    await getJson(`${node.url}/api/v1/blocks?from=${random(height - 500)}&limit=500`);
    await getJson(`${node.url}/chain?from=${random(height - 1000)}&limit=1000`);
    await getJson(`${node.url}/api/v1/status`);
    count += 3;
  }
  return count;
}

/** RssFile of /proc/<pid>/status, bytes. */
function fileResident(pid: number): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^RssFile:\s+(\d+) kB/m.exec(text)?.[1] ?? Number.NaN) * 1024;
}

async function heapUsed(node: NodeProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(/^hashline_nodejs_heap_size_used_bytes\s+(\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

async function measure(blocks: number): Promise<MemoryReading> {
  const store = await generatedStore(1, blocks);
  const dir = scratchDir('hashline-bench-memory-');
  try {
    cpSync(store.dir, path.join(dir.path, 'chain'), { recursive: true });
    progress(`memory: node on ${blocks} blocks`);
    const begin = performance.now();
    const node = await startNode({ dataDir: dir.path });
    try {
      const startMs = performance.now() - begin;
      const status = await node.status();
      if (status.height !== blocks) throw new Error(`the node loaded height ${status.height}, not ${blocks}`);
      await settle(2000);
      const afterStart = node.memory().rss;
      const fileAfterStart = fileResident(node.pid);
      const heapAfterStart = await heapUsed(node);
      const requests = await serveRequests(node, blocks);
      await settle(1000);
      const after = node.memory();
      const heapAfterRequests = await heapUsed(node);
      await settle(IDLE_MS);
      const settled = node.memory();
      return {
        blocks,
        startMs,
        afterStart,
        fileAfterStart,
        heapAfterStart,
        afterRequests: after.rss,
        settled: settled.rss,
        peak: settled.peak,
        heapAfterRequests,
        requests,
        generatedSeconds: store.generatedSeconds,
      };
    } finally {
      await node.stop();
    }
  } finally {
    dir.cleanup();
  }
}

const mb = (bytes: number) => bytes / MB;

export async function runMemoryBench(opts: { large?: number } = {}): Promise<Row[]> {
  const large = opts.large ?? LARGE;
  const small = await measure(SMALL);
  const big = await measure(large);
  // The chain-dependent part: readings after start, before requests add garbage that GC timing decides.
  const perBlock = (big.afterStart - small.afterStart) / (large - SMALL);
  const heapPerBlock = (big.heapAfterStart - small.heapAfterStart) / (large - SMALL);
  const filePerBlock = (big.fileAfterStart - small.fileAfterStart) / (large - SMALL);
  const ratio = big.afterStart / small.afterStart;
  const generated = [small, big]
    .filter((r) => r.generatedSeconds > 0)
    .map((r) => `${formatNumber(r.blocks)} blocks generated in ${formatNumber(r.generatedSeconds)} s`);
  const label = (n: number) => `${formatNumber(n)} blocks`;
  return [
    {
      name: `RSS after start, ${label(large)}`,
      value: mb(big.afterStart),
      unit: 'MB',
      baseline: `${formatNumber(mb(small.afterStart))} MB at ${label(SMALL)}`,
      ratio: big.afterStart / small.afterStart,
      goal: `< ${LIMIT_MB} MB`,
      met: mb(big.afterStart) < LIMIT_MB,
      note: `ready in ${(big.startMs / 1000).toFixed(1)} s (${(small.startMs / 1000).toFixed(1)} s at ${label(SMALL)}); file-backed ${formatNumber(
        mb(big.fileAfterStart),
      )} MB (${formatNumber(mb(small.fileAfterStart))} MB); JS heap used ${formatNumber(
        mb(big.heapAfterStart),
      )} MB (${formatNumber(mb(small.heapAfterStart))} MB)`,
    },
    {
      name: `RSS after ${formatNumber(big.requests)} requests, ${label(large)}`,
      value: mb(big.afterRequests),
      unit: 'MB',
      baseline: `${formatNumber(mb(small.afterRequests))} MB at ${label(SMALL)}`,
      ratio: big.afterRequests / small.afterRequests,
      goal: `< ${LIMIT_MB} MB`,
      met: mb(big.afterRequests) < LIMIT_MB,
      note: `${formatNumber(mb(big.settled))} MB after ${IDLE_MS / 1000} s idle (${formatNumber(
        mb(small.settled),
      )} MB at ${label(SMALL)}); peak (VmHWM) ${formatNumber(mb(big.peak))} MB; JS heap used right after the requests ${formatNumber(
        mb(big.heapAfterRequests),
      )} MB (${formatNumber(mb(small.heapAfterRequests))} MB)`,
    },
    {
      name: `memory growth with chain length (${label(SMALL)} → ${label(large)}, after start)`,
      value: perBlock,
      unit: 'bytes/block',
      baseline: `${formatNumber(mb(small.afterStart))} MB at ${label(SMALL)}`,
      ratio,
      goal: `≤ ${PER_BLOCK_LIMIT} bytes/block`,
      met: perBlock <= PER_BLOCK_LIMIT,
      note: `JS heap ${formatNumber(heapPerBlock)} bytes/block, file-backed pages ${formatNumber(filePerBlock)} bytes/block; at this slope 1,000,000 blocks would need ≈ ${formatNumber(
        mb(small.afterStart + perBlock * (1_000_000 - SMALL)),
      )} MB${generated.length ? `; ${generated.join(', ')}` : ''}`,
    },
  ];
}

await runAsScript(import.meta.url, 'memory', () =>
  runMemoryBench({ large: process.argv[2] ? Number(process.argv[2]) : undefined }),
);
