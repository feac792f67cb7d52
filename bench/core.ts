// Core throughput: header hashing, Merkle roots, Ed25519 verification, and connecting blocks from a
// store, each against a baseline measured in this run.
//
//   node --import tsx bench/core.ts [--profile]
//
// Connecting: 1,002 regtest blocks (a coinbase block, a fan-out block, then 1,000 blocks of 100
// one-input two-output payments plus the coinbase) are generated into a source LevelDB through the
// Chain (cached in bench/.build/stores), then a fresh Chain on an empty store imports them from the
// raw bytes read back from the source store (one run of all 1,000 blocks gives blocks/s). The
// validation goals compare imports of the first 100 full blocks with each signature verifier (best of
// ROUNDS, interleaved) with the raw Ed25519 verify rate, measured in turns with them. --profile also
// writes a CPU profile of a one-thread import to bench/.build/connect-1thread.cpuprofile and prints
// where the time goes (the same profiler as `node --cpu-prof`). The last row compares 2-of-3 multi
// spends with single-key spends per signature check (bench/lib/policy-connect.ts).
import '../src/polyfill.js';
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { type SignatureVerifier, verifyOnMainThread } from '../src/chain/chain.js';
import { sha256Name } from '../src/core/hash.js';
import { merkleRoot } from '../src/core/merkle.js';
import { verify as nobleVerify } from '../src/crypto/ed25519.js';
import { nodeVerifier, verifyNode, verifyOpenSsl } from '../src/crypto/ed25519-node.js';
import { installNativeSha256 } from '../src/crypto/sha256-native.js';
import {
  jsPowKernel,
  nativePowKernel,
  nativeUnavailableReason,
  type PowKernel,
} from '../src/miner/pow-kernel.js';
import { openStore } from '../src/node/level-store.js';
import { SignatureVerifierPool } from '../src/node/verifier.js';
import type { ChainStore } from '../src/store/store.js';

import { policyConnectRows } from './lib/policy-connect.js';
import { profiled, summarizeProfile } from './lib/profile.js';
import { formatNumber, progress, type Row, rateFor, runAsScript } from './lib/report.js';
import {
  type ImportResult,
  RUN_BLOCKS,
  type SignedCase,
  signedCases,
  skipSignatures,
  timeImportFromStore,
} from './lib/spend-chain.js';
import { BUILD_DIR, generatedStore } from './lib/store-cache.js';

// ------------------------------------------------------------------------------------------------
// Header hashing

export const HEADER = Uint8Array.from({ length: 80 }, (_, i) => i);
/** No hash is <= 0 in practice, so a kernel always scans its whole range. */
export const IMPOSSIBLE_TARGET = new Uint8Array(32);

export interface HashRates {
  /** node:crypto createHash twice per header: the plain Node way, the baseline. */
  readonly createHash: number;
  readonly js: number;
  /** Undefined when the native addon does not load (see nativeError). */
  readonly native?: number;
  readonly nativeError?: string;
}

function createHashRate(seconds: number): number {
  const header = Buffer.from(HEADER);
  let nonce = 0;
  return rateFor(seconds, () => {
    for (let i = 0; i < 2048; i++) {
      header.writeUInt32LE(nonce++ >>> 0, 76);
      createHash('sha256').update(createHash('sha256').update(header).digest()).digest();
    }
    return 2048;
  });
}

function kernelRate(kernel: PowKernel, chunk: number, seconds: number): number {
  let start = 0;
  return rateFor(seconds, () => {
    const { hashes } = kernel.scan(HEADER, IMPOSSIBLE_TARGET, start, chunk);
    start = (start + chunk) % 2 ** 31;
    return hashes;
  });
}

/** Single-thread header hashes/s of each path, best of `rounds`, the paths taking turns. */
export async function measureHashRates(rounds = 4): Promise<HashRates> {
  const js = jsPowKernel();
  js.scan(HEADER, IMPOSSIBLE_TARGET, 0, 2 ** 12); // warm up the JIT
  let native: PowKernel | undefined;
  let nativeError: string | undefined;
  try {
    native = nativePowKernel();
    native.scan(HEADER, IMPOSSIBLE_TARGET, 0, 2 ** 12);
  } catch {
    nativeError = nativeUnavailableReason() ?? 'unavailable';
  }
  let base = 0;
  let jsRate = 0;
  let nativeRate = 0;
  for (let i = 0; i < rounds; i++) {
    base = Math.max(base, createHashRate(0.3));
    jsRate = Math.max(jsRate, kernelRate(js, 2 ** 14, 0.4));
    if (native) nativeRate = Math.max(nativeRate, kernelRate(native, 2 ** 18, 0.4));
  }
  return native
    ? { createHash: base, js: jsRate, native: nativeRate }
    : { createHash: base, js: jsRate, nativeError };
}

export const NATIVE_HASH_ROW = 'header hashes/s, native kernel, 1 thread';
export const JS_HASH_ROW = 'header hashes/s, JS kernel, 1 thread';

function hashRows(r: HashRates): Row[] {
  const baseline = `${formatNumber(r.createHash)} hashes/s (createHash ×2 per header)`;
  const rows: Row[] = [
    {
      name: 'header hashes/s, node:crypto createHash, 1 thread',
      value: r.createHash,
      unit: 'hashes/s',
      note: 'baseline',
    },
    { name: JS_HASH_ROW, value: r.js, unit: 'hashes/s', baseline, ratio: r.js / r.createHash },
  ];
  if (r.native !== undefined) {
    rows.push({
      name: NATIVE_HASH_ROW,
      value: r.native,
      unit: 'hashes/s',
      baseline,
      ratio: r.native / r.createHash,
    });
  } else {
    rows.push({
      name: NATIVE_HASH_ROW,
      value: Number.NaN,
      unit: 'hashes/s',
      note: `skipped: ${r.nativeError}`,
    });
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------
// Merkle root

const sha256dNode = (data: Uint8Array): Buffer =>
  createHash('sha256').update(createHash('sha256').update(data).digest()).digest();

/** The same tree with node:crypto, written plainly: the baseline. */
function merkleRootNode(leaves: readonly Uint8Array[]): Uint8Array {
  let level: Uint8Array[] = leaves.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(sha256dNode(Buffer.concat([level[i]!, level[i + 1] ?? level[i]!])));
    }
    level = next;
  }
  return level[0]!;
}

function bestMs(times: number, run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function merkleRows(): Row[] {
  const leaves = Array.from(
    { length: 10_000 },
    (_, i) => new Uint8Array(sha256dNode(Buffer.from(String(i)))),
  );
  const ours = merkleRoot(leaves);
  if (Buffer.compare(Buffer.from(ours), Buffer.from(merkleRootNode(leaves))) !== 0) {
    throw new Error('merkleRoot disagrees with the node:crypto baseline');
  }
  const base = bestMs(7, () => merkleRootNode(leaves));
  const ms = bestMs(7, () => merkleRoot(leaves));
  return [
    {
      name: `Merkle root of 10,000 txids (core/merkle.ts, ${sha256Name()})`,
      value: ms,
      unit: 'ms',
      baseline: `${formatNumber(base)} ms (same tree with node:crypto)`,
      ratio: ms / base,
      note: 'ratio = time / baseline time (lower is faster); best of 7',
    },
  ];
}

// ------------------------------------------------------------------------------------------------
// Ed25519

/** Imports a raw 32-byte public key through JWK: OpenSSL takes the raw bytes, no DER decoding. */
const publicKeyFromRaw = (publicKey: Uint8Array) =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });

/** node:crypto verification from raw key bytes, importing the key the cheapest way (the baseline). */
export function verifyRaw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return cryptoVerify(null, message, publicKeyFromRaw(publicKey), signature);
  } catch {
    return false;
  }
}

function verifyRate(
  cases: readonly SignedCase[],
  seconds: number,
  check: (c: SignedCase, i: number) => boolean,
): number {
  return rateFor(seconds, () => {
    for (let i = 0; i < cases.length; i++)
      if (!check(cases[i]!, i)) throw new Error('a valid signature failed');
    return cases.length;
  });
}

export interface VerifyRates {
  /** node:crypto, key imported from raw bytes per call (JWK): the raw verify rate. */
  readonly raw: number;
  /** verifyNode, what the node uses: libsodium with the rule's checks, or node:crypto without it. */
  readonly node: number;
  /** node:crypto with every key imported beforehand. */
  readonly prepared: number;
  readonly noble: number;
}

/** Measures every verifier once (0.3 s each), keeping the best rate seen so far in `best`. */
export class VerifyRateMeter {
  readonly best: { -readonly [K in keyof VerifyRates]: number } = {
    raw: 0,
    node: 0,
    prepared: 0,
    noble: 0,
  };
  rounds = 0;
  private readonly cases = signedCases();
  private readonly checks: Record<keyof VerifyRates, (c: SignedCase, i: number) => boolean>;

  constructor() {
    const prepared = this.cases.map((c) => publicKeyFromRaw(c.publicKey));
    this.checks = {
      raw: (c) => verifyRaw(c.publicKey, c.message, c.signature),
      node: (c) => verifyNode(c.publicKey, c.message, c.signature),
      prepared: (c, i) => cryptoVerify(null, c.message, prepared[i]!, c.signature),
      noble: (c) => nobleVerify(c.publicKey, c.message, c.signature),
    };
  }

  /** One turn of each verifier, so that they meet the same load. */
  round(): void {
    for (const name of Object.keys(this.best) as Array<keyof VerifyRates>) {
      if (name === 'noble' && this.rounds >= 3) continue; // slow, and only a reference
      this.best[name] = Math.max(this.best[name], verifyRate(this.cases, 0.3, this.checks[name]));
    }
    this.rounds++;
  }
}

function verifyRows(r: VerifyRates, rounds: number): Row[] {
  const baseline = `${formatNumber(r.raw)} verifies/s (node:crypto, raw key)`;
  const us = (rate: number) => 1e6 / rate;
  return [
    {
      name: 'Ed25519 verifies/s, node:crypto from raw key bytes, 1 core',
      value: r.raw,
      unit: 'verifies/s',
      note: `baseline: the raw verify rate (key imported per call via JWK); best of ${rounds}, taking turns with the verifiers below and the connect runs`,
    },
    {
      name: "Ed25519 verifies/s, verifyNode (the node's path), 1 core",
      value: r.node,
      unit: 'verifies/s',
      baseline,
      ratio: r.node / r.raw,
      note: `${nodeVerifier.name}: ${formatNumber(us(r.node))} µs per verify, against ${formatNumber(us(r.raw))} µs for the baseline (bench/verifiers.ts compares every library)`,
    },
    {
      name: 'Ed25519 verifies/s, node:crypto with keys imported beforehand',
      value: r.prepared,
      unit: 'verifies/s',
      baseline,
      ratio: r.prepared / r.raw,
      note: 'reference: the signature check alone',
    },
    {
      name: 'Ed25519 verifies/s, @noble/curves, 1 core',
      value: r.noble,
      unit: 'verifies/s',
      baseline,
      ratio: r.noble / r.raw,
      note: 'reference: the wallet/browser path; best of 3',
    },
  ];
}

// ------------------------------------------------------------------------------------------------
// Connecting blocks from a store

export const CONNECT_BLOCKS = 1_000;
export const CONNECT_TXS_PER_BLOCK = 100;
/** Blocks 1 (coinbase) and 2 (fan-out) are imported before timing starts. */
const SETUP_BLOCKS = 2;
/**
 * The validation ratios compare verifiers on the same first ROUND_BLOCKS full blocks, in ROUNDS
 * interleaved rounds (one of each verifier per round), keeping each verifier's best: on a shared
 * machine a single long run mostly measures the neighbours.
 */
const ROUND_BLOCKS = 100;
const ROUNDS = 4;

const verifyOnMainThreadWith =
  (verify: typeof verifyOpenSsl): SignatureVerifier =>
  async (checks) => {
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i]!;
      if (!verify(c.publicKey, c.message, c.signature)) return i;
    }
    return -1;
  };

async function importWith(
  source: ChainStore,
  verifier: SignatureVerifier,
  blocks: number,
): Promise<ImportResult> {
  return timeImportFromStore(source, {
    to: SETUP_BLOCKS + blocks,
    untimedTo: SETUP_BLOCKS,
    verifySignatures: verifier,
  });
}

interface Verifiers {
  /** verifyOnMainThread: verifyNode on the main thread, the default of a Chain. */
  one: SignatureVerifier;
  /** verifyOpenSsl on the main thread: the node's fallback when libsodium does not load. */
  openssl: SignatureVerifier;
  /** SignatureVerifierPool on 2 worker threads, as the node runs. */
  pool: SignatureVerifier;
  /** No verification: what everything else costs. */
  none: SignatureVerifier;
}

/**
 * Best tx/s of each verifier over the same blocks, rounds interleaved; each round also measures the
 * verify rates again, so that the baseline meets the same load as the imports.
 */
async function bestRates(
  source: ChainStore,
  verifiers: Verifiers,
  meter: VerifyRateMeter,
): Promise<Record<keyof Verifiers, number>> {
  const best = { one: 0, openssl: 0, pool: 0, none: 0 };
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`connecting the first ${ROUND_BLOCKS} blocks with each verifier, round ${round} of ${ROUNDS}`);
    for (const name of Object.keys(best) as Array<keyof Verifiers>) {
      const r = await importWith(source, verifiers[name], ROUND_BLOCKS);
      best[name] = Math.max(best[name], r.txs / r.seconds);
    }
    meter.round();
  }
  return best;
}

async function connectRows(meter: VerifyRateMeter, opts: { profile: boolean }): Promise<Row[]> {
  const generated = await generatedStore(CONNECT_TXS_PER_BLOCK, SETUP_BLOCKS + CONNECT_BLOCKS);
  const source = await openStore(generated.dir);
  const pool = new SignatureVerifierPool({ threads: 2 });
  try {
    const label = `${formatNumber(CONNECT_BLOCKS)} blocks × ${CONNECT_TXS_PER_BLOCK} tx`;
    progress(`connecting ${label} on 1 thread`);
    const full = await timeImportFromStore(source, {
      to: SETUP_BLOCKS + CONNECT_BLOCKS,
      untimedTo: SETUP_BLOCKS,
      verifySignatures: verifyOnMainThread,
      timeIndexer: true,
    });
    meter.round();
    const rates = await bestRates(
      source,
      {
        one: verifyOnMainThread,
        openssl: verifyOnMainThreadWith(verifyOpenSsl),
        pool: pool.asChainVerifier(),
        none: skipSignatures,
      },
      meter,
    );
    const verify = meter.best;
    if (opts.profile) await profileImport(source);

    const fullTx = full.txs / full.seconds;
    const usPerTx = (rate: number) => 1e6 / rate;
    const otherUs = usPerTx(rates.none);
    const nodeVerifyUs = usPerTx(verify.node);
    const rawVerifyUs = usPerTx(verify.raw);
    const cause =
      `per tx: verifyNode ≈ ${formatNumber(nodeVerifyUs)} µs (${nodeVerifier.name}) ` +
      `+ everything else ≈ ${formatNumber(otherUs)} µs (import without signatures)`;
    const generatedNote = generated.cached
      ? 'source store from the bench cache'
      : `source store generated in ${formatNumber(generated.generatedSeconds)} s`;
    const bestOfNote = `best of ${ROUNDS} interleaved imports of blocks 3..${SETUP_BLOCKS + ROUND_BLOCKS}, ${RUN_BLOCKS} blocks per Chain.processBlocks call as a sync hands them over`;
    const rawBaseline = `${formatNumber(verify.raw)} verifies/s (raw node:crypto Ed25519, 1 core)`;
    const nodeBaseline = `${formatNumber(verify.node)} verifies/s (verifyNode raw, ${nodeVerifier.name}, 1 core)`;
    const indexerTx = full.txs / (full.indexerSeconds ?? Number.NaN);
    return [
      {
        name: `connect ${label} from a store, 1 thread`,
        value: full.blocks / full.seconds,
        unit: 'blocks/s',
        note: `${formatNumber(fullTx)} tx/s over ${full.seconds.toFixed(1)} s (one run); fastest 100-block window ${formatNumber(
          full.bestWindowBlocksPerSecond,
        )} blocks/s; consensus work only: the explorer index waits while blocks keep coming; ${generatedNote}`,
      },
      {
        name: `explorer indexer catch-up after the ${label} import`,
        value: indexerTx,
        unit: 'tx/s',
        note: `${formatNumber(full.indexerSeconds ?? Number.NaN)} s for tx locations, address history, counts and coins of every block, in batches of 32 blocks, after the connects (reads before it is done wait for it)`,
      },
      {
        name: 'connect tx/s (1-in-2-out), 1 thread, against raw node:crypto verification',
        value: rates.one,
        unit: 'tx/s',
        baseline: rawBaseline,
        ratio: rates.one / verify.raw,
        goal: '≥ 1.5x',
        met: rates.one / verify.raw >= 1.5,
        note: `${bestOfNote}; ${cause}, against ${formatNumber(rawVerifyUs)} µs per raw node:crypto verify`,
      },
      {
        name: "validation tx/s (1-in-2-out), 1 thread, against the node verifier's raw rate",
        value: rates.one,
        unit: 'tx/s',
        baseline: nodeBaseline,
        ratio: rates.one / verify.node,
        goal: '≥ 0.80x',
        met: rates.one / verify.node >= 0.8,
        note: `${bestOfNote}; 0.8x needs everything else ≤ ${formatNumber(nodeVerifyUs / 4)} µs per tx`,
      },
      {
        name: 'validation tx/s (1-in-2-out), 1 thread, with the node:crypto fallback',
        value: rates.openssl,
        unit: 'tx/s',
        baseline: `${formatNumber(rates.one)} tx/s (1 thread, ${nodeVerifier.name}, same blocks)`,
        ratio: rates.openssl / rates.one,
        note: `${bestOfNote}; verifyOpenSsl instead of verifyNode: what HASHLINE_NO_NATIVE=1 or a failed load costs`,
      },
      {
        name: 'validation tx/s (1-in-2-out), SignatureVerifierPool 2 threads',
        value: rates.pool,
        unit: 'tx/s',
        baseline: `${formatNumber(rates.one)} tx/s (1 thread, same blocks)`,
        ratio: rates.pool / rates.one,
        goal: '≥ 1.7x',
        met: rates.pool / rates.one >= 1.7,
        note: `${bestOfNote}; each block's signatures are checked on the workers while the next blocks connect on the main thread (${formatNumber(otherUs)} µs/tx there); the machine has ${availableParallelism()} cores for the main thread and both workers`,
      },
      {
        name: 'non-signature work per tx (import with signatures skipped)',
        value: otherUs,
        unit: 'µs/tx',
        baseline: `${formatNumber(nodeVerifyUs)} µs per verifyNode`,
        ratio: otherUs / nodeVerifyUs,
        goal: '≤ 0.25x (needed for 0.8x)',
        met: otherUs / nodeVerifyUs <= 0.25,
        note: `${bestOfNote} (${formatNumber(rates.none)} tx/s): decoding, hashing (${sha256Name()}), UTXO reads and writes (coins cache), undo data, the LevelDB batch`,
      },
    ];
  } finally {
    await pool.close();
    await source.close();
  }
}

/** A CPU profile of a one-thread import of 200 blocks, summarised on stderr. */
async function profileImport(source: ChainStore): Promise<void> {
  mkdirSync(BUILD_DIR, { recursive: true });
  const file = path.join(BUILD_DIR, 'connect-1thread.cpuprofile');
  progress(`profiling a one-thread import of 200 blocks into ${file}`);
  await profiled(file, () => importWith(source, verifyOnMainThread, 200));
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), 25);
  progress(`self time:\n${summary.self.join('\n')}\n\ninclusive time:\n${summary.inclusive.join('\n')}`);
}

// ------------------------------------------------------------------------------------------------

export interface CoreResult {
  rows: Row[];
  hashRates: HashRates;
  verifyRates: VerifyRates;
}

export async function runCoreBenchDetailed(opts: { profile?: boolean } = {}): Promise<CoreResult> {
  // The node's hashing (what Chain.open installs), for every row of this bench.
  installNativeSha256();
  progress('core: header hashing');
  const hashRates = await measureHashRates();
  progress('core: Merkle root');
  const merkle = merkleRows();
  progress('core: Ed25519');
  const meter = new VerifyRateMeter();
  for (let i = 0; i < 3; i++) meter.round();
  const connect = await connectRows(meter, { profile: opts.profile ?? false });
  progress('core: policy spends per signature check');
  const policy = policyConnectRows();
  const verifyRates: VerifyRates = { ...meter.best };
  return {
    rows: [
      ...hashRows(hashRates),
      ...merkle,
      ...verifyRows(verifyRates, meter.rounds),
      ...connect,
      ...policy,
    ],
    hashRates,
    verifyRates,
  };
}

export async function runCoreBench(opts: { profile?: boolean } = {}): Promise<Row[]> {
  return (await runCoreBenchDetailed(opts)).rows;
}

await runAsScript(import.meta.url, 'core', () =>
  runCoreBench({ profile: process.argv.includes('--profile') }),
);
