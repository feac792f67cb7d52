// The browser node against the Node.js node, in one run: (a) importing the same dev chain one
// Chain.processBlock at a time, in a Chromium page into IndexedDB (browser-level, the WebCrypto verifier
// of web/src/node/verifier.ts) and in Node into LevelDB (classic-level, the node's verifier on the main
// thread); what IndexedDB holds per block against LevelDB's directory; (b) the tab's hash rate on
// WorkerNonceSearcher against the Node.js miner (NonceSearcher) with the JS kernel on as many threads,
// and with the native kernel.
//
//   node --import tsx bench/browser-node.ts
//   BENCH_BROWSER_BLOCKS=200 BENCH_BROWSER_TXS=4 BENCH_BROWSER_HASH_SECONDS=2 node --import tsx bench/browser-node.ts
//
// The blocks are made here first (dev's easiest target, mined with the fastest kernel that loads), and
// kept in bench/.build/blocks for the next runs while the code that makes them is unchanged.
import '../src/polyfill.js';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { Chain } from '../src/chain/chain.js';
import { type Block, encodeBlock } from '../src/core/block.js';
import { encodeHeader } from '../src/core/header.js';
import { NETWORKS } from '../src/core/params.js';
import { bitsToTarget, targetToBytes } from '../src/core/pow.js';
import { NonceSearcher } from '../src/miner/nonce-search.js';
import { loadPowKernel, nativeUnavailableReason } from '../src/miner/pow-kernel.js';
import { openStore } from '../src/node/level-store.js';
import { bundlePage, serveStatic } from '../test/support/browser-page.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { SpendChainGenerator, scratchDir } from './lib/spend-chain.js';
import { cachedBlocks, joinBlocks } from './lib/store-cache.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const dev = NETWORKS.dev;

function envInt(name: string, fallback: number, min: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}`);
  return value;
}

/** A dev chain of `count` blocks with `txs` payments each (from block 3), 13 s apart: every retarget
 * keeps dev's easiest target (a window measures one spacing less than it expects). */
function makeBlocks(count: number, txs: number): Uint8Array[] {
  const kernel = loadPowKernel();
  const solve = (block: Block): Block => {
    const target = targetToBytes(bitsToTarget(block.header.bits)!);
    const { nonce } = kernel.scan(encodeHeader(block.header), target, 0, 2 ** 32);
    if (nonce === null) throw new Error('no nonce meets the target');
    return { header: { ...block.header, nonce }, txs: block.txs };
  };
  const generator = new SpendChainGenerator({ params: dev, txsPerBlock: txs, spacing: 13, solve });
  return Array.from({ length: count }, () => encodeBlock(generator.next()));
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const stat = statSync(join(dir, name));
    if (stat.isFile()) total += stat.size;
  }
  return total;
}

interface ImportFigures {
  readonly seconds: number;
  readonly indexedSeconds: number;
  /** Bytes the database takes once closed. */
  readonly bytes: number;
  readonly verifier: string;
}

/** The Node.js chain on classic-level, one processBlock per block, the node's verifier on this thread. */
async function nodeImport(blocks: readonly Uint8Array[]): Promise<ImportFigures> {
  const dir = scratchDir('hashline-bench-browser-');
  try {
    const store = await openStore(dir.path);
    const chain = await Chain.open({ store, params: dev });
    const started = performance.now();
    for (const [i, bytes] of blocks.entries()) {
      const r = await chain.processBlock(bytes);
      if (r.status !== 'connected') throw new Error(`block ${i + 1}: ${r.status} ${r.error?.code ?? ''}`);
    }
    const seconds = (performance.now() - started) / 1000;
    await chain.indexer.caughtUp();
    const indexedSeconds = (performance.now() - started) / 1000;
    await store.close();
    return { seconds, indexedSeconds, bytes: directoryBytes(dir.path), verifier: 'verifyNode' };
  } finally {
    dir.cleanup();
  }
}

interface PageImport {
  readonly blocks: number;
  readonly height: number;
  readonly importMs: number;
  readonly indexedMs: number;
  readonly verifier: string;
  readonly usageBefore: number;
  readonly usageAfter: number;
}
interface PageHashRate {
  readonly threads: number;
  readonly rate: number;
  readonly cores: number;
}
interface BenchPage {
  importBlocks(url: string, dbName: string, skipSignatures?: boolean): Promise<PageImport>;
  verifyRates(seconds: number): Promise<{ browser: number; noble: number }>;
  hashRate(seconds: number, threads?: number): Promise<PageHashRate>;
}
declare const bench: BenchPage;

/** Hashes per second of the Node.js miner over `seconds` (after a warm-up), on `threads` threads. */
async function nodeHashRate(threads: number, forceJs: boolean, seconds: number): Promise<number> {
  const searcher = new NonceSearcher({ threads, forceJs });
  try {
    const header = Uint8Array.from({ length: 80 }, (_, i) => i);
    await searcher.search(header, new Uint8Array(32), { range: { start: 0, count: 2 ** 16 } });
    const abort = new AbortController();
    const started = performance.now();
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    const { hashes } = await searcher.search(header, new Uint8Array(32), { signal: abort.signal });
    clearTimeout(timer);
    return (hashes * 1000) / (performance.now() - started);
  } finally {
    await searcher.close();
  }
}

/** The bench page in Chromium with a profile on disk (an incognito one keeps IndexedDB in memory). */
async function withPage<T>(
  blocks: readonly Uint8Array[],
  use: (page: Page, url: string, indexedDbOnDisk: () => number) => Promise<T>,
): Promise<T> {
  const bundle = await bundlePage(join(import.meta.dirname, 'browser', 'page.ts'));
  const profile = await mkdtemp(join(tmpdir(), 'hashline-bench-profile-'));
  await writeFile(join(bundle.dir, 'blocks.bin'), joinBlocks(blocks));
  const server = await serveStatic(bundle.dir);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
    const result = await use(page, server.url, () => directoryBytes(join(profile, 'Default', 'IndexedDB')));
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
    return result;
  } finally {
    await context.close();
    await server.close();
    await bundle.cleanup();
    await rm(profile, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${formatNumber(bytes / 1024)} kB`;
const whole = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function runBrowserNodeBench(): Promise<Row[]> {
  const count = envInt('BENCH_BROWSER_BLOCKS', 1_000, 10);
  const txs = envInt('BENCH_BROWSER_TXS', 4, 0);
  const hashSeconds = envInt('BENCH_BROWSER_HASH_SECONDS', 2, 1);
  const rounds = envInt('BENCH_BROWSER_HASH_ROUNDS', 2, 1);
  const { blocks, cached } = cachedBlocks(`dev-b${count}-t${txs}`, () => {
    progress(`browser-node: making ${count} dev blocks of ${txs} payments (${loadPowKernel().name} kernel)`);
    return makeBlocks(count, txs);
  });
  if (cached) progress(`browser-node: ${count} dev blocks of ${txs} payments from bench/.build/blocks`);
  const blockBytes = blocks.reduce((n, b) => n + b.length, 0);
  progress(`browser-node: Node.js import (classic-level)`);
  const node = await nodeImport(blocks);
  progress(`browser-node: ${formatNumber(count / node.seconds)} blocks/s; Chromium import (IndexedDB)`);

  return withPage(blocks, async (page, url, indexedDbOnDisk) => {
    const browser = await page.evaluate(
      ([u]) => bench.importBlocks(`${u}blocks.bin`, 'hashline-bench'),
      [url],
    );
    const onDisk = indexedDbOnDisk();
    progress('browser-node: Chromium import with signatures skipped, and verifies/s');
    const unsigned = await page.evaluate(
      ([u]) => bench.importBlocks(`${u}blocks.bin`, 'hashline-bench-unsigned', true),
      [url],
    );
    const verifies = await page.evaluate(([s]) => bench.verifyRates(s), [hashSeconds]);
    if (browser.height !== count) throw new Error(`the page's chain reached ${browser.height}, not ${count}`);
    progress(`browser-node: ${formatNumber(count / (browser.importMs / 1000))} blocks/s; hash rates`);
    let tab: PageHashRate = { threads: 0, rate: 0, cores: 0 };
    let nodeJs = 0;
    let nodeNative = 0;
    const native = nativeUnavailableReason() === null;
    for (let round = 0; round < rounds; round++) {
      const r = await page.evaluate(([s]) => bench.hashRate(s), [hashSeconds]);
      if (r.rate > tab.rate) tab = r;
      nodeJs = Math.max(nodeJs, await nodeHashRate(r.threads, true, hashSeconds));
      if (native) nodeNative = Math.max(nodeNative, await nodeHashRate(r.threads, false, hashSeconds));
    }
    return rows({
      count,
      txs,
      blockBytes,
      node,
      browser,
      unsigned,
      verifies,
      onDisk,
      tab,
      nodeJs,
      nodeNative,
      rounds,
      hashSeconds,
    });
  });
}

function rows(m: {
  count: number;
  txs: number;
  blockBytes: number;
  node: ImportFigures;
  browser: PageImport;
  /** The same import with signatures skipped: what everything but verifying costs. */
  unsigned: PageImport;
  verifies: { browser: number; noble: number };
  /** The profile's IndexedDB directory, bytes. */
  onDisk: number;
  tab: PageHashRate;
  nodeJs: number;
  nodeNative: number;
  rounds: number;
  hashSeconds: number;
}): Row[] {
  const { count, node, browser, tab } = m;
  const chainShape = `${whole(count)} dev blocks, ${m.txs} payments each from block 3 (${kb(m.blockBytes / count)} a block), one Chain.processBlock per block; a single run each`;
  const browserRate = count / (browser.importMs / 1000);
  const nodeRate = count / node.seconds;
  const stored = browser.usageAfter - browser.usageBefore;
  const threads = `${plural(tab.threads, 'worker')} (navigator.hardwareConcurrency ${tab.cores} − 1)`;
  const best = `best of ${m.rounds} turns of ${m.hashSeconds} s`;
  const out: Row[] = [
    {
      name: 'browser node import into IndexedDB (Chromium, browser-level)',
      value: browserRate,
      unit: 'blocks/s',
      baseline: `${formatNumber(nodeRate)} blocks/s (Node.js, classic-level, verifyNode on the main thread)`,
      ratio: browserRate / nodeRate,
      note: `${chainShape}; verifier: ${browser.verifier}; explorer index caught up after ${(browser.indexedMs / 1000).toFixed(1)} s (Node.js ${node.indexedSeconds.toFixed(1)} s)`,
    },
    {
      name: 'browser node import into IndexedDB, signatures skipped (what all but verifying costs)',
      value: count / (m.unsigned.importMs / 1000),
      unit: 'blocks/s',
      baseline: `${formatNumber(browserRate)} blocks/s (the same import verifying)`,
      ratio: count / (m.unsigned.importMs / 1000) / browserRate,
      note: 'a second database in the same tab, after the first import',
    },
    {
      name: 'browser verifier in the tab, honest signatures in batches of 64',
      value: m.verifies.browser,
      unit: 'verifies/s',
      baseline: `${formatNumber(m.verifies.noble)} verifies/s (@noble/curves with the rule, the fallback)`,
      ratio: m.verifies.browser / m.verifies.noble,
      note: `${browser.verifier}; ${m.hashSeconds} s each, a single run`,
    },
    {
      name: 'browser node store, IndexedDB bytes per block (navigator.storage.estimate)',
      value: stored / count,
      unit: 'B/block',
      baseline: `${formatNumber(node.bytes / count)} B/block (Node.js LevelDB directory, closed)`,
      ratio: stored / node.bytes,
      note: `${formatNumber(stored / 1024 / 1024)} MB for ${whole(count)} blocks of ${formatNumber(m.blockBytes / count)} B each, blocks, coins, index and explorer index; ${formatNumber(m.onDisk / 1024 / 1024)} MB in the profile's IndexedDB directory; values that are views into larger buffers copied first (IndexedDB's structured clone stores a view's whole buffer)`,
    },
    {
      name: `browser tab hash rate, WorkerNonceSearcher, ${plural(tab.threads, 'worker')}`,
      value: tab.rate,
      unit: 'hashes/s',
      baseline: `${formatNumber(m.nodeJs)} hashes/s (Node.js NonceSearcher, JS kernel, ${plural(tab.threads, 'thread')})`,
      ratio: tab.rate / m.nodeJs,
      note: `${threads}; ${best}, taking turns with the Node.js rows`,
    },
  ];
  if (m.nodeNative > 0) {
    out.push({
      name: `browser tab hash rate against the native kernel, ${plural(tab.threads, 'thread')}`,
      value: tab.rate,
      unit: 'hashes/s',
      baseline: `${formatNumber(m.nodeNative)} hashes/s (Node.js NonceSearcher, native kernel)`,
      ratio: tab.rate / m.nodeNative,
      note: `${best}; the same tab figure as the row above`,
    });
  }
  return out;
}

await runAsScript(import.meta.url, 'browser-node: the browser node against the Node.js node', () =>
  runBrowserNodeBench(),
);
