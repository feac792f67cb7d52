// Mining throughput: header hashes per second of each proof-of-work path, against a native C
// double-SHA-256 loop (OpenSSL init/update/final per nonce) compiled and run in the same run of the bench.
//
//   node --import tsx bench/mining.ts
//
// The C baseline needs a C compiler and OpenSSL's headers (Debian: `apt-get install -y libssl-dev`);
// without them it is skipped with a message and the ratios are left out.
import '../src/polyfill.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NonceSearcher } from '../src/miner/nonce-search.js';
import {
  jsPowKernel,
  nativePowKernel,
  nativeUnavailableReason,
  type PowKernel,
} from '../src/miner/pow-kernel.js';

export interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const BUILD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.build');
const BASELINE_SECONDS = 2;
const KERNEL_SECONDS = 1.5;
const SEARCH_SECONDS = 2;
const REPEATS = 3;

/** A fixed header (bytes 0..79 = 0..79); the nonce bytes are overwritten by every path. */
const HEADER = Uint8Array.from({ length: 80 }, (_, i) => i);
/** No hash is <= 0 in practice, so every path runs through its whole range. */
const IMPOSSIBLE_TARGET = new Uint8Array(32);

const BASELINE_C = `
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Double SHA-256 of an 80-byte header per nonce, the way a plain C miner would do it. */
int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  unsigned char header[80], inner[32], outer[32];
  for (int i = 0; i < 80; i++) header[i] = (unsigned char)i;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint64_t n = 0;
  unsigned sink = 0;
  double elapsed = 0;
  do {
    for (int k = 0; k < 65536; k++, n++) {
      uint32_t nonce = (uint32_t)n;
      header[76] = nonce; header[77] = nonce >> 8; header[78] = nonce >> 16; header[79] = nonce >> 24;
      SHA256_CTX c;
      SHA256_Init(&c); SHA256_Update(&c, header, 80); SHA256_Final(inner, &c);
      SHA256_Init(&c); SHA256_Update(&c, inner, 32); SHA256_Final(outer, &c);
      sink += outer[0];
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    elapsed = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  } while (elapsed < seconds);
  printf("%.0f %u\\n", (double)n / elapsed, sink);
  return 0;
}
`;

/** Compiles and runs the C baseline (best of REPEATS); returns hashes/s, or why it could not run. */
function runCBaseline(): { rate: number } | { skipped: string } {
  mkdirSync(BUILD_DIR, { recursive: true });
  const source = path.join(BUILD_DIR, 'sha256d-baseline.c');
  const binary = path.join(BUILD_DIR, 'sha256d-baseline');
  writeFileSync(source, BASELINE_C);
  const cc = process.env.CC ?? 'cc';
  const build = spawnSync(cc, ['-O2', '-Wno-deprecated-declarations', source, '-o', binary, '-lcrypto'], {
    encoding: 'utf8',
  });
  if (build.error) return { skipped: `no C compiler (${cc}: ${build.error.message})` };
  if (build.status !== 0) {
    const missingHeaders = /openssl\/sha\.h/.test(build.stderr);
    return {
      skipped: missingHeaders
        ? 'OpenSSL headers missing: install them with `apt-get install -y libssl-dev`'
        : `C baseline failed to compile: ${build.stderr.trim().split('\n')[0]}`,
    };
  }
  let best = 0;
  for (let i = 0; i < REPEATS; i++) {
    const out = execFileSync(binary, [String(BASELINE_SECONDS / REPEATS)], { encoding: 'utf8' });
    best = Math.max(best, Number(out.trim().split(/\s+/)[0]));
  }
  return { rate: best };
}

/** Node's usual way: createHash twice per nonce. */
function measureCreateHash(seconds: number): number {
  const header = Buffer.from(HEADER);
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 4096; i++, n++) {
      header.writeUInt32LE(n >>> 0, 76);
      createHash('sha256').update(createHash('sha256').update(header).digest()).digest();
    }
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/** One kernel on this thread, scanning chunks of `chunk` nonces for `seconds`. */
function measureKernel(kernel: PowKernel, seconds: number, chunk: number): number {
  let hashes = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    hashes += kernel.scan(HEADER, IMPOSSIBLE_TARGET, hashes % 2 ** 31, chunk).hashes;
    now = performance.now();
  }
  return (hashes * 1000) / (now - start);
}

/** Best of REPEATS runs: the machine may be shared, and interference only ever slows a run down. */
function bestKernelRate(kernel: PowKernel, chunk: number): number {
  kernel.scan(HEADER, IMPOSSIBLE_TARGET, 0, chunk); // warm up
  let best = 0;
  for (let i = 0; i < REPEATS; i++)
    best = Math.max(best, measureKernel(kernel, KERNEL_SECONDS / REPEATS, chunk));
  return best;
}

/** A NonceSearcher over ranges sized from the single-thread rate to take about `seconds` in all. */
async function bestSearcherRate(threads: number, forceJs: boolean, perThreadRate: number): Promise<number> {
  const searcher = new NonceSearcher({ threads, forceJs });
  try {
    // The first search waits for the workers to start; keep that out of the measurement.
    await searcher.search(HEADER, IMPOSSIBLE_TARGET, { range: { start: 0, count: 2 ** 16 * threads } });
    const count = Math.min(2 ** 32, Math.round((perThreadRate * threads * SEARCH_SECONDS) / REPEATS));
    let best = 0;
    for (let i = 0; i < REPEATS; i++) {
      const start = performance.now();
      const outcome = await searcher.search(HEADER, IMPOSSIBLE_TARGET, { range: { start: 0, count } });
      best = Math.max(best, (outcome.hashes * 1000) / (performance.now() - start));
    }
    return best;
  } finally {
    await searcher.close();
  }
}

const rate = (value: number, name: string, note?: string): Row => ({
  name,
  value: Math.round(value),
  unit: 'hashes/s',
  note,
});

export async function runMiningBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const threads = availableParallelism();
  const baseline = runCBaseline();
  const cRate = 'rate' in baseline ? baseline.rate : null;
  const vsC = (value: number) => (cRate ? `${(value / cRate).toFixed(2)}x C baseline` : undefined);
  const perCore = (value: number, n: number) =>
    cRate ? `${(value / n / cRate).toFixed(2)}x C baseline per core` : undefined;

  if ('rate' in baseline) rows.push(rate(baseline.rate, 'C OpenSSL sha256d loop (1 thread)', 'baseline'));
  else
    rows.push({
      name: 'C OpenSSL sha256d loop (1 thread)',
      value: Number.NaN,
      unit: 'hashes/s',
      note: `skipped: ${baseline.skipped}`,
    });

  const createHashRate = measureCreateHash(1);
  rows.push(rate(createHashRate, 'Node createHash per nonce (1 thread)', vsC(createHashRate)));

  const jsRate = bestKernelRate(jsPowKernel(), 2 ** 15);
  rows.push(rate(jsRate, 'JS kernel (1 thread)', vsC(jsRate)));

  let native: PowKernel | null = null;
  try {
    native = nativePowKernel();
  } catch {
    rows.push({
      name: 'native kernel (1 thread)',
      value: Number.NaN,
      unit: 'hashes/s',
      note: `skipped: ${nativeUnavailableReason()}`,
    });
  }
  let nativeRate = 0;
  if (native) {
    nativeRate = bestKernelRate(native, 2 ** 18);
    rows.push(rate(nativeRate, 'native kernel (1 thread)', vsC(nativeRate)));
  }

  // The searcher uses the native kernel when it loads, else JS: measure what mining would use.
  const forceJs = native === null;
  const kernelName = forceJs ? 'js' : 'native';
  const single = forceJs ? jsRate : nativeRate;
  const one = await bestSearcherRate(1, forceJs, single);
  rows.push(rate(one, `NonceSearcher ${kernelName}, 1 thread`, perCore(one, 1)));
  if (threads > 1) {
    const all = await bestSearcherRate(threads, forceJs, single);
    rows.push(rate(all, `NonceSearcher ${kernelName}, ${threads} threads`, perCore(all, threads)));
    rows.push({
      name: `NonceSearcher scaling ${threads} threads / 1`,
      value: Number((all / one).toFixed(2)),
      unit: 'x',
    });
  }
  if (cRate && native) {
    rows.push({
      name: 'native kernel / C baseline (per core)',
      value: Number((nativeRate / cRate).toFixed(2)),
      unit: 'x',
    });
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const format = (row: Row) =>
    Number.isNaN(row.value)
      ? '-'
      : row.unit === 'hashes/s'
        ? `${(row.value / 1e6).toFixed(2)} M/s`
        : `${row.value} ${row.unit}`;
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const valueWidth = Math.max(...rows.map((r) => format(r).length));
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(nameWidth)}  ${format(row).padStart(valueWidth)}  ${row.note ?? ''}`.trimEnd(),
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  printTable(await runMiningBench());
}
