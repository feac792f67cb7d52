// Hashline's miner against the proof of work of the Python blockchain tutorials (tutorial_pow.py,
// run with python3 in the same run): attempts per second on one core and on all cores.
//
//   node --import tsx bench/peers/peers.ts
//
// The tutorial's attempt is one SHA-256 of a short string plus a hex comparison; Hashline's is a
// double SHA-256 of an 80-byte header (Bitcoin's proof of work), so the ratio understates the
// difference in hashing work.
import '../../src/polyfill.js';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NonceSearcher } from '../../src/miner/nonce-search.js';
import { jsPowKernel } from '../../src/miner/pow-kernel.js';
import { HEADER, IMPOSSIBLE_TARGET } from '../core.js';
import { bestOf, formatNumber, progress, type Row, rateFor, runAsScript } from '../lib/report.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tutorial_pow.py');
const PYTHON_SECONDS = 3;

interface PythonResult {
  python: string;
  hashes_per_second: number;
  best_window_hashes_per_second: number;
  blocks: number;
  block_hashes_per_second: number;
}

function runPython(): PythonResult | { skipped: string } {
  const python = process.env.PYTHON ?? 'python3';
  const run = spawnSync(python, [SCRIPT, String(PYTHON_SECONDS)], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) return { skipped: `${python} did not run: ${run.error.message}` };
  if (run.status !== 0) return { skipped: `${python} failed: ${run.stderr.trim().split('\n').pop()}` };
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as PythonResult;
}

/**
 * NonceSearcher's hashes/s over ranges sized to about `seconds`, best of 3 after a warm-up search
 * (bench/mining.ts measures the same way but does not export its helper).
 */
async function searcherRate(threads: number, seconds: number): Promise<{ rate: number; kernel: string }> {
  const searcher = new NonceSearcher({ threads });
  try {
    const warm = await searcher.search(HEADER, IMPOSSIBLE_TARGET, {
      range: { start: 0, count: 2 ** 18 * threads },
    });
    let count = warm.hashes;
    // Size the range from a first timed run so each measured search lasts about `seconds`.
    const t0 = performance.now();
    await searcher.search(HEADER, IMPOSSIBLE_TARGET, { range: { start: 0, count: count * 4 } });
    count = Math.min(2 ** 32, Math.round(((count * 4) / ((performance.now() - t0) / 1000)) * seconds));
    const rate = await bestOf(3, async () => {
      const start = performance.now();
      const outcome = await searcher.search(HEADER, IMPOSSIBLE_TARGET, { range: { start: 0, count } });
      return (outcome.hashes * 1000) / (performance.now() - start);
    });
    return { rate, kernel: searcher.kernelName };
  } finally {
    await searcher.close();
  }
}

export async function runPeersBench(): Promise<Row[]> {
  progress(`peers: the Python tutorial's proof of work for ${PYTHON_SECONDS} s`);
  const py = runPython();
  progress('peers: Hashline miner');
  const threads = availableParallelism();
  const one = await searcherRate(1, 0.7);
  const all = await searcherRate(threads, 0.7);
  const js = jsPowKernel();
  const jsRate = await bestOf(3, () =>
    rateFor(0.5, () => js.scan(HEADER, IMPOSSIBLE_TARGET, 0, 2 ** 14).hashes),
  );
  const pyRate = 'skipped' in py ? undefined : py.best_window_hashes_per_second;
  const baseline = pyRate ? `${formatNumber(pyRate)} tries/s (Python tutorial, 1 core)` : undefined;
  const vs = (value: number) => (pyRate ? value / pyRate : undefined);
  const rows: Row[] = [];
  if ('skipped' in py) {
    rows.push({
      name: 'Python tutorial valid_proof tries/s',
      value: Number.NaN,
      unit: 'tries/s',
      note: `skipped: ${py.skipped}`,
    });
  } else {
    rows.push({
      name: 'Python tutorial valid_proof tries/s, 1 core',
      value: py.best_window_hashes_per_second,
      unit: 'tries/s',
      note: `baseline; Python ${py.python}, best 1 s window of ${PYTHON_SECONDS} s (overall ${formatNumber(
        py.hashes_per_second,
      )}/s, ${py.blocks} proofs found); one sha256 of a short string per try`,
    });
    rows.push({
      name: 'Python tutorial block hash (json.dumps + sha256)',
      value: py.block_hashes_per_second,
      unit: 'hashes/s',
      note: 'reference: hashing the block itself, once per found proof',
    });
  }
  rows.push(
    {
      name: `Hashline miner (NonceSearcher, ${one.kernel}), 1 thread`,
      value: one.rate,
      unit: 'hashes/s',
      baseline,
      ratio: vs(one.rate),
      note: 'double SHA-256 of an 80-byte header per try; best of 3',
    },
    {
      name: `Hashline miner (NonceSearcher, ${all.kernel}), ${threads} threads`,
      value: all.rate,
      unit: 'hashes/s',
      baseline,
      ratio: vs(all.rate),
      note: 'machine shared with other work; best of 3',
    },
    {
      name: 'Hashline JS kernel (no native addon), 1 thread',
      value: jsRate,
      unit: 'hashes/s',
      baseline,
      ratio: vs(jsRate),
      note: 'the fallback when the addon is not built',
    },
  );
  return rows;
}

await runAsScript(import.meta.url, 'peers', runPeersBench);
