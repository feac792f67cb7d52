// The tutorials' whole chain under load: 10 clients each reading the whole chain of a node holding
// 20,000 blocks at once, while a worker thread polls `GET /api/v1/status` one request after another
// (every 5 ms). Past 1,000 blocks the node answers `/chain` only in pages (`?from=&limit=1000`), so each
// client walks the pages one after another, as a tutorial client must; the node runs the expensive reads
// by cost turns (src/api/cost-limit.ts), all 10 clients being one caller (loopback).
//   - status p99 during the load     goal < 50 ms on a quiet machine (against the idle poll, this run)
//   - status max during the load     goal < 1 s on a loaded one
//   - node RSS peak during the load  goal < 400 MB (VmRSS sampled from /proc)
//   - time to serve all 10           (against one client's walk alone, measured after the rounds)
//
//   npx tsc -p tsconfig.build.json && node --import tsx bench/chain-api.ts [blocks]
//
// Two rounds of 10: the first right after start (nothing cached), the second at the same tip. The
// chain is the memory bench's generated store (one payment per block), cached in bench/.build/stores.
import '../src/polyfill.js';
import { createHash } from 'node:crypto';
import { cpSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type NodeProcess, startNode } from './lib/node-process.js';
import { formatNumber, percentile, progress, type Row, runAsScript } from './lib/report.js';
import { scratchDir } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const BLOCKS = 20_000;
const CONCURRENT = 10;
const IDLE_MS = 3_000;
const P99_LIMIT_MS = 50;
const MAX_LIMIT_MS = 1_000;
/** Blocks per /chain page: the node's most (CHAIN_PAGE_MAX in src/api/read-bounds.ts). */
const PAGE = 1_000;
const RSS_LIMIT_MB = 400;
const RSS_SAMPLE_MS = 20;
/** A new status request at most this often: a busy client, not a second load that competes with /chain. */
const POLL_INTERVAL_MS = 5;
const MB = 1024 * 1024;

// Plain CommonJS for an eval'd worker: it polls (one request at a time, one every POLL_INTERVAL_MS at
// most) until told to stop, then sends back every latency.
const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stop = false;
parentPort.on('message', () => { stop = true; });
const once = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  http.get(workerData.url, { agent }, (res) => {
    res.resume();
    res.on('end', () => resolve(performance.now() - t0));
  }).on('error', reject);
});
(async () => {
  const latencies = [];
  while (!stop && latencies.length < 1000000) {
    const t0 = performance.now();
    latencies.push(await once());
    const rest = workerData.intervalMs - (performance.now() - t0);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  agent.destroy();
  parentPort.postMessage(latencies);
})().catch((e) => { throw e; });
`;

/** Starts polling `url`; the returned function stops it and resolves with the latencies (ms). */
function startPoller(url: string): () => Promise<number[]> {
  const worker = new Worker(POLLER, { eval: true, workerData: { url, intervalMs: POLL_INTERVAL_MS } });
  const result = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (latencies: number[]) => resolve(latencies));
    worker.once('error', reject);
  });
  return async () => {
    worker.postMessage('stop');
    const latencies = await result;
    await worker.terminate();
    return latencies;
  };
}

interface Answer {
  status: number;
  bytes: number;
  sha256: string;
  ms: number;
  pages: number;
  /** The blocks' indexes, in order, and the `length` each page gave (only when asked to keep them). */
  indexes?: number[];
  lengths?: number[];
}

/** GET on a fresh connection, reading the body as it comes; keeps the body only when asked. */
function getPage(
  url: string,
  keep: boolean,
): Promise<{ status: number; body?: Buffer; bytes: number; chunks: Buffer[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            chunks,
            body: keep || res.statusCode !== 200 ? Buffer.concat(chunks) : undefined,
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The whole chain, page after page, as a tutorial client walks it; any answer but 200 fails the run. */
async function walkChain(base: string, tipHeight: number, keep = false): Promise<Answer> {
  const t0 = performance.now();
  const hash = createHash('sha256');
  const answer: Answer = { status: 200, bytes: 0, sha256: '', ms: 0, pages: 0 };
  if (keep) {
    answer.indexes = [];
    answer.lengths = [];
  }
  for (let from = 0; from <= tipHeight; from += PAGE) {
    const page = await getPage(`${base}/chain?from=${from}&limit=${PAGE}`, keep);
    if (page.status !== 200)
      throw new Error(
        `GET /chain?from=${from} answered ${page.status}: ${page.body?.toString().slice(0, 300)}`,
      );
    answer.pages++;
    answer.bytes += page.bytes;
    for (const c of page.chunks) hash.update(c);
    if (keep) {
      const parsed = JSON.parse(page.body!.toString('utf8')) as {
        chain: { index: number }[];
        length: number;
      };
      answer.indexes!.push(...parsed.chain.map((b) => b.index));
      answer.lengths!.push(parsed.length);
    }
  }
  answer.sha256 = hash.digest('hex');
  answer.ms = performance.now() - t0;
  return answer;
}

interface Round {
  latencies: number[];
  seconds: number;
  rssPeak: number;
  answers: Answer[];
}

/** CONCURRENT whole-chain walks at once while the status poller runs and VmRSS is sampled. */
async function loadRound(node: NodeProcess, tipHeight: number, keepOne: boolean): Promise<Round> {
  const stop = startPoller(`${node.url}/api/v1/status`);
  let rssPeak = node.memory().rss;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, node.memory().rss);
  }, RSS_SAMPLE_MS);
  await new Promise((r) => setTimeout(r, 200));
  const t0 = performance.now();
  try {
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => walkChain(node.url, tipHeight, keepOne && i === 0)),
    );
    const seconds = (performance.now() - t0) / 1000;
    rssPeak = Math.max(rssPeak, node.memory().rss);
    return { latencies: await stop(), seconds, rssPeak, answers };
  } finally {
    clearInterval(sampler);
  }
}

/** All walks read the same bytes, and the pages hold the whole chain in order in the tutorial shape. */
function checkAnswers(round: Round, blocks: number): void {
  const first = round.answers[0]!;
  for (const a of round.answers) {
    if (a.sha256 !== first.sha256) throw new Error('concurrent walks of /chain read different bytes');
  }
  if (!first.indexes) return;
  if (first.indexes.length !== blocks + 1 || first.lengths!.some((l) => l !== blocks + 1))
    throw new Error(
      `the pages gave ${first.indexes.length} blocks and lengths ${first.lengths}, not ${blocks + 1}`,
    );
  if (first.indexes.some((index, i) => index !== i)) throw new Error("the pages' blocks are out of order");
}

async function idleLatencies(node: NodeProcess): Promise<number[]> {
  const stop = startPoller(`${node.url}/api/v1/status`);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  return stop();
}

const ms = (v: number) => `${formatNumber(v)} ms`;

function roundRows(label: string, round: Round, idle: number[], single: number): Row[] {
  const p50 = percentile(round.latencies, 50);
  const p99 = percentile(round.latencies, 99);
  const max = Math.max(...round.latencies);
  const load = `${CONCURRENT} concurrent whole-chain walks`;
  const idle50 = percentile(idle, 50);
  const idle99 = percentile(idle, 99);
  const answerMb = round.answers[0]!.bytes / MB;
  return [
    {
      name: `GET /api/v1/status p99 during ${load} (${label})`,
      value: p99,
      unit: 'ms',
      baseline: `${ms(idle99)} idle`,
      ratio: p99 / idle99,
      goal: `< ${P99_LIMIT_MS} ms (quiet machine)`,
      met: p99 < P99_LIMIT_MS,
      note: `${round.latencies.length} status answers during the load; ${idle.length} idle`,
    },
    {
      name: `GET /api/v1/status max during ${load} (${label})`,
      value: max,
      unit: 'ms',
      baseline: `${ms(Math.max(...idle))} idle`,
      ratio: max / Math.max(...idle),
      goal: `< ${MAX_LIMIT_MS} ms (loaded machine)`,
      met: max < MAX_LIMIT_MS,
    },
    {
      name: `GET /api/v1/status p50 during ${load} (${label})`,
      value: p50,
      unit: 'ms',
      baseline: `${ms(idle50)} idle`,
      ratio: p50 / idle50,
    },
    {
      name: `time to serve ${load} (${label})`,
      value: round.seconds,
      unit: 's',
      baseline: `${formatNumber(single)} s for one alone`,
      ratio: round.seconds / single,
      note: `${formatNumber(answerMb)} MB per walk in ${round.answers[0]!.pages} pages; RSS peak ${formatNumber(round.rssPeak / MB)} MB`,
    },
  ];
}

export async function runChainApiBench(blocks = BLOCKS): Promise<Row[]> {
  const store = await generatedStore(1, blocks);
  const dir = scratchDir('hashline-bench-chain-api-');
  try {
    cpSync(store.dir, path.join(dir.path, 'chain'), { recursive: true });
    progress(`chain-api: node on ${blocks} blocks`);
    const node = await startNode({ dataDir: dir.path });
    try {
      const status = await node.status();
      if (status.height !== blocks) throw new Error(`the node loaded height ${status.height}, not ${blocks}`);
      await new Promise((r) => setTimeout(r, 1000));
      const idle = await idleLatencies(node);
      const rssIdle = node.memory().rss;
      const whole = await getPage(`${node.url}/chain`, true);
      if (whole.status !== 400 || !whole.body!.toString().includes('page-required'))
        throw new Error(
          `GET /chain without limit on ${blocks} blocks answered ${whole.status}, not page-required`,
        );
      progress(`chain-api: ${CONCURRENT} concurrent whole-chain walks, first after start`);
      const cold = await loadRound(node, blocks, true);
      checkAnswers(cold, blocks);
      progress(`chain-api: ${CONCURRENT} concurrent whole-chain walks again, same tip`);
      const warm = await loadRound(node, blocks, false);
      checkAnswers(warm, blocks);
      if (warm.answers[0]!.sha256 !== cold.answers[0]!.sha256)
        throw new Error('the second round answered differently');
      const single = (await walkChain(node.url, blocks)).ms / 1000;
      const { peak } = node.memory();
      const rssPeak = Math.max(cold.rssPeak, warm.rssPeak);
      return [
        ...roundRows('first after start', cold, idle, single),
        ...roundRows('again, same tip', warm, idle, single),
        {
          name: `node RSS peak during the whole-chain rounds, ${formatNumber(blocks)} blocks`,
          value: rssPeak / MB,
          unit: 'MB',
          baseline: `${formatNumber(rssIdle / MB)} MB idle before`,
          ratio: rssPeak / rssIdle,
          goal: `< ${RSS_LIMIT_MB} MB`,
          met: rssPeak / MB < RSS_LIMIT_MB,
          note: `VmRSS sampled every ${RSS_SAMPLE_MS} ms; VmHWM ${formatNumber(peak / MB)} MB; one walk alone after the rounds ${formatNumber(single)} s${
            store.generatedSeconds > 0 ? `; store generated in ${formatNumber(store.generatedSeconds)} s` : ''
          }`,
        },
      ];
    } finally {
      await node.stop();
    }
  } finally {
    dir.cleanup();
  }
}

await runAsScript(import.meta.url, 'chain-api', () =>
  runChainApiBench(process.argv[2] ? Number(process.argv[2]) : undefined),
);
