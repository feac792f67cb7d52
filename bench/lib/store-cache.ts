// Generated chains are kept under bench/.build/stores between runs: building 50,000 blocks takes
// a minute, and the blocks are the same every time. A store is reused only while the code that
// writes it is unchanged (a fingerprint of the consensus, chain and store sources and of the
// generator); BENCH_FRESH=1 always rebuilds.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress } from './report.js';
import { extendChain, openWriterChain, SpendChainGenerator } from './spend-chain.js';

const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(BENCH_DIR, '..');
export const BUILD_DIR = path.join(BENCH_DIR, '.build');
const STORES_DIR = path.join(BUILD_DIR, 'stores');
const BLOCKS_DIR = path.join(BUILD_DIR, 'blocks');
const COMPLETE = 'bench-complete.json';

/** Sources whose change may change what a generated store holds. */
const FINGERPRINT_SOURCES = [
  'src/core',
  'src/chain',
  'src/store',
  'src/miner/template.ts',
  'bench/lib/spend-chain.ts',
];

function listFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (!full.endsWith('.ts')) {
    return readdirSync(full)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => path.join(entry, f));
  }
  return [entry];
}

let cachedFingerprint: string | undefined;

export function codeFingerprint(): string {
  if (cachedFingerprint) return cachedFingerprint;
  const hash = createHash('sha256');
  for (const file of FINGERPRINT_SOURCES.flatMap(listFiles)) {
    hash.update(file).update(readFileSync(path.join(ROOT, file)));
  }
  cachedFingerprint = hash.digest('hex').slice(0, 12);
  return cachedFingerprint;
}

export interface GeneratedStore {
  /** The LevelDB directory (open it with openStore; copy it before a node writes to it). */
  readonly dir: string;
  readonly height: number;
  /** Spending transactions in the chain. */
  readonly txs: number;
  /** Seconds spent generating now (0 when the store came from the cache). */
  readonly generatedSeconds: number;
  readonly cached: boolean;
}

interface Marker {
  height: number;
  txs: number;
  seconds: number;
}

const storeName = (txsPerBlock: number, height: number) => `t${txsPerBlock}-h${height}-${codeFingerprint()}`;

function readMarker(dir: string): Marker | undefined {
  const file = path.join(dir, COMPLETE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Marker) : undefined;
}

/** Removes what older code wrote (another fingerprint), so the cache does not grow forever. */
function pruneStale(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!name.replace(/\.bin$/, '').endsWith(`-${codeFingerprint()}`))
      rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** The largest complete cached store of this shape at or below `height`. */
function bestStart(txsPerBlock: number, height: number): { dir: string; marker: Marker } | undefined {
  if (!existsSync(STORES_DIR)) return undefined;
  let best: { dir: string; marker: Marker } | undefined;
  for (const name of readdirSync(STORES_DIR)) {
    const m = /^t(\d+)-h(\d+)-(\w+)$/.exec(name);
    if (!m || Number(m[1]) !== txsPerBlock || m[3] !== codeFingerprint() || Number(m[2]) > height) continue;
    const dir = path.join(STORES_DIR, name);
    const marker = readMarker(dir);
    if (marker && (!best || marker.height > best.marker.height)) best = { dir, marker };
  }
  return best;
}

/**
 * A store holding the generated chain with `txsPerBlock` payments per block up to `height`, from the
 * cache when possible, else extended from a lower cached one, else generated from genesis.
 */
export async function generatedStore(txsPerBlock: number, height: number): Promise<GeneratedStore> {
  const fresh = process.env.BENCH_FRESH === '1';
  pruneStale(STORES_DIR);
  const dir = path.join(STORES_DIR, storeName(txsPerBlock, height));
  const done = readMarker(dir);
  if (done && !fresh) return { dir, height, txs: done.txs, generatedSeconds: 0, cached: true };

  rmSync(dir, { recursive: true, force: true });
  const start = fresh ? undefined : bestStart(txsPerBlock, height);
  if (start) {
    cpSync(start.dir, dir, { recursive: true });
    rmSync(path.join(dir, COMPLETE), { force: true }); // complete again only once extended
  }
  const begin = performance.now();
  const generator = new SpendChainGenerator({ txsPerBlock });
  // The generator is deterministic: replaying the blocks already stored restores its coins.
  for (let h = 0; h < (start?.marker.height ?? 0); h++) generator.next();
  progress(
    `generating ${height} blocks with ${txsPerBlock} payments each${start ? ` (from the cached ${start.marker.height})` : ''}`,
  );
  const chain = await openWriterChain(dir, generator.params);
  try {
    if (chain.height !== generator.height)
      throw new Error(`cached store at ${chain.height}, expected ${generator.height}`);
    await extendChain(chain, generator, height - generator.height, (h) => {
      if (h % 10_000 === 0) progress(`  ${h} blocks`);
    });
    // Settled before it is cached: otherwise each node started on a copy replays the log and compacts
    // in the background, and its memory readings depend on how far that got (LevelDB maps the files).
    await chain.store.compact();
  } finally {
    await chain.store.close();
  }
  const seconds = (performance.now() - begin) / 1000;
  const marker: Marker = { height, txs: generator.txCount, seconds };
  writeFileSync(path.join(dir, COMPLETE), JSON.stringify(marker));
  return { dir, height, txs: generator.txCount, generatedSeconds: seconds, cached: false };
}

/**
 * Encoded blocks made by `make` (a chain a bench mines itself, not a store), kept in `.build/blocks`
 * under `name` (which must hold every parameter of `make`) while the code that writes them is unchanged.
 */
export function cachedBlocks(
  name: string,
  make: () => Uint8Array[],
): { blocks: Uint8Array[]; cached: boolean } {
  pruneStale(BLOCKS_DIR);
  const file = path.join(BLOCKS_DIR, `${name}-${codeFingerprint()}.bin`);
  if (existsSync(file) && process.env.BENCH_FRESH !== '1')
    return { blocks: splitBlocks(readFileSync(file)), cached: true };
  const blocks = make();
  mkdirSync(BLOCKS_DIR, { recursive: true });
  // Whole or absent: a run stopped while writing leaves no half file under the name.
  writeFileSync(`${file}.tmp`, joinBlocks(blocks));
  renameSync(`${file}.tmp`, file);
  return { blocks, cached: false };
}

/** Each block's bytes after its length (4 bytes, little-endian). */
export function joinBlocks(blocks: readonly Uint8Array[]): Buffer {
  return Buffer.concat(
    blocks.flatMap((b) => {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(b.length);
      return [length, b];
    }),
  );
}

export function splitBlocks(file: Buffer): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < file.length; ) {
    const length = file.readUInt32LE(at);
    blocks.push(new Uint8Array(file.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return blocks;
}
