// The miner's hash rate on one thread and on all threads, as ratios to core's single-thread kernel
// figure (bench/core.ts), using bench/mining.ts for the miner measurements.
//
//   node --import tsx bench/mining-scaling.ts
//
// Run alone, it measures the single-thread kernel figure itself. Under bench/run.ts it takes core's
// figure from this run through BENCH_CORE_HASH_RATE and BENCH_CORE_HASH_KERNEL.
import '../src/polyfill.js';
import { measureHashRates } from './core.js';
import { formatNumber, progress, type Row, runAsScript } from './lib/report.js';
import { runMiningBench } from './mining.js';

export interface SingleThreadFigure {
  readonly rate: number;
  readonly kernel: 'native' | 'js';
}

async function coreFigure(): Promise<SingleThreadFigure> {
  const rate = Number(process.env.BENCH_CORE_HASH_RATE);
  const kernel = process.env.BENCH_CORE_HASH_KERNEL;
  if (rate > 0 && (kernel === 'native' || kernel === 'js')) return { rate, kernel };
  progress('mining-scaling: measuring the single-thread kernel figure (as bench/core.ts does)');
  const r = await measureHashRates();
  return r.native !== undefined ? { rate: r.native, kernel: 'native' } : { rate: r.js, kernel: 'js' };
}

export async function runMiningScalingBench(figure?: SingleThreadFigure): Promise<Row[]> {
  const core = figure ?? (await coreFigure());
  progress('mining-scaling: bench/mining.ts');
  const mining = await runMiningBench();
  const baseline = `${formatNumber(core.rate)} hashes/s (core: ${core.kernel} kernel, 1 thread)`;
  // The same kernel measured by mining.ts moments before the miner: the nearer reference in time.
  const kernelNow = mining.find((r) => r.name === `${core.kernel} kernel (1 thread)`)?.value;
  return mining.map((r): Row => {
    const searcher = /^NonceSearcher (\w+), (\d+) threads?$/.exec(r.name);
    if (!searcher || !Number.isFinite(r.value)) return { ...r };
    const threads = Number(searcher[2]);
    const ratio = r.value / core.rate;
    return {
      ...r,
      name: `miner (${r.name})`,
      baseline,
      ratio,
      note: [
        r.note,
        threads > 1 ? `${(ratio / threads).toFixed(2)}x core's figure per thread` : undefined,
        kernelNow ? `${(r.value / kernelNow).toFixed(2)}x the kernel measured just before it` : undefined,
      ]
        .filter(Boolean)
        .join('; '),
    };
  });
}

await runAsScript(import.meta.url, 'mining-scaling', () => runMiningScalingBench());
