// A long import fed one block at a time, as the live path feeds a node (miners, gossip, the API): does
// the speed stay flat and the memory bounded? A fresh chain (with the node's verifier pool, mempool and
// explorer indexer, in process) imports generated blocks of 100 payments through Chain.processBlock, one
// call per block, and every 1,000 blocks the bench prints blocks/s and the process's memory: RSS, the V8
// heap (used and committed), external memory (array buffers, LevelDB's own is not there), V8's own
// malloc, and what none of these explain (mostly the C library's malloc heap: LevelDB, libuv, OpenSSL).
//
//   node --import tsx bench/long-import.ts                        (3,000 blocks, about 3 minutes)
//   BENCH_LONG_BLOCKS=10000 node --import tsx bench/long-import.ts   (the full size)
//   BENCH_HEAP_SNAPSHOT=file.heapsnapshot ...                     (keeps the closing heap snapshot)
//
// Blocks are read one by one from a cached generated store (bench/lib/store-cache.ts) as the import goes,
// so the bench holds no block list; the source store's LevelDB lives in the same process (its block
// cache is LevelDB's default 8 MB), which the figures include.
import '../src/polyfill.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Chain } from '../src/chain/chain.js';
import { Mempool } from '../src/mempool/mempool.js';
import { openStore } from '../src/node/level-store.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';
import { heapByConstructor } from './lib/heap-summary.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { regtest, scratchDir } from './lib/spend-chain.js';
import { generatedStore } from './lib/store-cache.js';

const TXS_PER_BLOCK = 100;
const WINDOW = 1_000;
const MB = 1024 * 1024;

/** One reading of the process's memory, MB. */
export interface MemoryReading {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Memory V8 itself allocated with malloc (not the JS heap). */
  readonly v8Malloc: number;
  /** Of RSS, pages backed by files (the node binary, LevelDB's mapped table files): the kernel may drop them. */
  readonly fileBacked: number;
  /** Anonymous RSS less the committed heap and external memory: the C library's heap (LevelDB's caches and
   * write buffers, libuv), the verifier threads' own heaps, stacks. */
  readonly other: number;
}

/** RssFile of /proc/self/status in MB (0 where there is none). */
function fileBackedRss(): number {
  try {
    return Number(/^RssFile:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export function readMemory(): MemoryReading {
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  const file = fileBackedRss();
  return {
    rss: m.rss / MB,
    heapUsed: m.heapUsed / MB,
    heapTotal: m.heapTotal / MB,
    external: m.external / MB,
    arrayBuffers: m.arrayBuffers / MB,
    v8Malloc: h.malloced_memory / MB,
    fileBacked: file,
    other: (m.rss - h.total_physical_size - m.external) / MB - file,
  };
}

interface Window {
  readonly toHeight: number;
  readonly blocksPerSecond: number;
  readonly memory: MemoryReading;
  readonly coinsCacheEntries: number;
  readonly coinsCacheBytes: number;
}

const mb = (x: number) => `${x.toFixed(0)} MB`;

function describe(w: Window): string {
  const m = w.memory;
  return (
    `to ${w.toHeight}: ${w.blocksPerSecond.toFixed(1)} blocks/s; RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)} ` +
    `used of ${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)}), ` +
    `V8 malloc ${mb(m.v8Malloc)}, file-backed ${mb(m.fileBacked)}, other ${mb(m.other)}; coins cache ${formatNumber(w.coinsCacheEntries)} ` +
    `entries counted as ${mb(w.coinsCacheBytes / MB)}`
  );
}

/**
 * The generated store, made (if not cached) in a child process: generating is itself a long import, and
 * what it leaves in this process's memory (the C library's heap keeps its pages) would be measured.
 */
async function sourceStore(blocks: number): Promise<string> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_JSON_OUT: '', BENCH_LONG_GENERATE_ONLY: String(blocks) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`generating the blocks failed (exit ${child.status})`);
  const generated = await generatedStore(TXS_PER_BLOCK, blocks);
  if (!generated.cached) throw new Error('the generated store was not cached');
  return generated.dir;
}

/** Imports blocks 1..blocks one processBlock call at a time into a fresh chain; a reading per WINDOW. */
async function importOneByOne(
  blocks: number,
): Promise<{ windows: Window[]; peakRss: number; heapNote: string }> {
  let heapNote = '';
  const generated = { dir: await sourceStore(blocks) };
  const source = await openStore(generated.dir);
  const dir = scratchDir('hashline-bench-long-');
  const store = await openStore(dir.path);
  const pool = new SignatureVerifierPool();
  pool.start();
  const windows: Window[] = [];
  let peakRss = 0;
  // Sampled often enough to see the peak between readings (a flush, an indexer batch).
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss() / MB);
  }, 200);
  try {
    const verify = pool.asChainVerifier();
    const chain = await Chain.open({ store, params: regtest, verifySignatures: verify });
    const mempool = new Mempool({ chain, store, verifySignatures: verify });
    await mempool.load();
    let windowStart = performance.now();
    for (let height = 1; height <= blocks; height++) {
      const hash = await source.blocks.getHashAtHeight(height);
      const bytes = hash && (await source.blocks.getBlockBytes(hash));
      if (!bytes) throw new Error(`the source store has no block at height ${height}`);
      const r = await chain.processBlock(bytes);
      if (r.status !== 'connected')
        throw new Error(`block ${height} did not connect: ${r.status} ${r.error?.code ?? ''}`);
      if (height % WINDOW === 0) {
        const now = performance.now();
        const cache = store.coins.cache;
        const w: Window = {
          toHeight: height,
          blocksPerSecond: WINDOW / ((now - windowStart) / 1000),
          memory: readMemory(),
          coinsCacheEntries: cache.size,
          coinsCacheBytes: cache.bytes,
        };
        windows.push(w);
        peakRss = Math.max(peakRss, w.memory.rss);
        progress(describe(w));
        windowStart = performance.now();
      }
    }
    await chain.indexer.caughtUp();
    clearInterval(sampler); // the snapshot's own memory is not the import's
    const heap = heapByConstructor(process.env.BENCH_HEAP_SNAPSHOT);
    heapNote =
      `live heap at the end ${mb(heap.total / MB)} (a heap snapshot): ` +
      heap.groups
        .slice(0, 6)
        .map((g) => `${g.name} ${(g.bytes / MB).toFixed(1)} MB (${formatNumber(g.count)})`)
        .join(', ');
    progress(heapNote);
  } finally {
    clearInterval(sampler);
    await pool.close();
    await store.close();
    await source.close();
    dir.cleanup();
  }
  return { windows, peakRss, heapNote };
}

export async function runLongImportBench(): Promise<Row[]> {
  const blocks = Number(process.env.BENCH_LONG_BLOCKS ?? 3_000);
  if (!Number.isInteger(blocks) || blocks < 2 * WINDOW)
    throw new Error(`BENCH_LONG_BLOCKS must be a whole number of at least ${2 * WINDOW}`);
  progress(`long import: ${blocks} blocks × ${TXS_PER_BLOCK} payments, one processBlock call per block`);
  const { windows, peakRss, heapNote } = await importOneByOne(blocks - (blocks % WINDOW));
  const first = windows[0]!;
  const last = windows[windows.length - 1]!;
  const shape = `${formatNumber(last.toHeight)} blocks × ${TXS_PER_BLOCK} payments, one Chain.processBlock per block, verifier pool, mempool and explorer indexer in process; a single run`;
  const ratio = last.blocksPerSecond / first.blocksPerSecond;
  return [
    {
      name: 'long import, blocks/s over the last 1,000 blocks against the first 1,000',
      value: last.blocksPerSecond,
      unit: 'blocks/s',
      baseline: `${first.blocksPerSecond.toFixed(1)} blocks/s (the first 1,000)`,
      ratio,
      goal: '≥ 0.9x',
      met: ratio >= 0.9,
      note: shape,
    },
    {
      name: 'long import, peak RSS',
      value: peakRss,
      unit: 'MB',
      goal: '< 400 MB',
      met: peakRss < 400,
      note: `sampled every 200 ms; ${heapNote}; the rest of RSS is in the readings below`,
    },
    ...windows.map((w) => ({
      name: `long import, blocks ${formatNumber(w.toHeight - WINDOW + 1)}–${formatNumber(w.toHeight)}`,
      value: w.blocksPerSecond,
      unit: 'blocks/s',
      note: describe(w).replace(/^to \d+: [\d.]+ blocks\/s; /, 'then '),
    })),
  ];
}

const generateOnly = process.env.BENCH_LONG_GENERATE_ONLY;
if (generateOnly) await generatedStore(TXS_PER_BLOCK, Number(generateOnly));
else
  await runAsScript(
    import.meta.url,
    'long-import: one block at a time, 1,000-block windows',
    runLongImportBench,
  );
