// Choosing transactions for a block by ancestor-package fee rate, in one pass (Bitcoin Core's
// BlockAssembler::addPackageTxs, btcd's mining priority queue).
//
// Every pool entry is a candidate together with its ancestors not yet chosen (its package), keyed by the
// package's fee rate; the pool keeps each entry's full ancestor package up to date, so the queue starts
// from those in linear time. The best package that fits is taken whole, parents first; then the packages
// of the descendants of what was taken shrink by it and go back into the queue (stale copies are
// skipped). So a high-fee child pulls its low-fee parent in (child pays for parent), and the cost is
// O(n log n) with walks bounded by the chain limits (src/mempool/limits.ts), not O(block × pool).
import { MAX_BLOCK_SIGCHECKS, MAX_BLOCK_SIZE } from '../core/params.js';
import { BinaryHeap } from './heap.js';
import type { AncestorPackage, MempoolEntry } from './pool-state.js';

/** What selection reads from a pool: its entries, the links between them, the ancestor packages. */
export interface PoolGraph {
  readonly entries: ReadonlyMap<string, MempoolEntry>;
  /** In-pool ancestors of a pool entry, each once, itself excluded. */
  ancestors(entry: MempoolEntry): MempoolEntry[];
  /** In-pool descendants of a pool entry, each once, itself excluded. */
  descendants(entry: MempoolEntry): MempoolEntry[];
  /** A pool entry with all its in-pool ancestors. */
  ancestorPackage(entry: MempoolEntry): Readonly<AncestorPackage>;
}

/** Room for transactions in a block: the size limit less 1,000 bytes for the header and the coinbase. */
export const BLOCK_TX_BYTES = MAX_BLOCK_SIZE - 1_000;

/** Bitcoin Core's stop: this many packages in a row that do not fit, once the block is this close to full. */
const MAX_CONSECUTIVE_FAILURES = 1_000;
const NEARLY_FULL_BYTES = 4_000;

/** An entry's package: itself and its ancestors not chosen yet. */
interface Package {
  fee: bigint;
  size: number;
  /** Bumped whenever fee and size change: queued copies with an older version are stale. */
  version: number;
  /** In-pool ancestors in all: an ancestor always has fewer, so sorting by it puts parents first. */
  readonly depth: number;
}

interface Candidate {
  readonly entry: MempoolEntry;
  readonly rate: number;
  readonly version: number;
  readonly depth: number;
}

/** Higher package fee rate first; then the shallower package, the older entry, the smaller txid. */
const before = (a: Candidate, b: Candidate): boolean =>
  a.rate !== b.rate
    ? a.rate > b.rate
    : a.depth !== b.depth
      ? a.depth < b.depth
      : a.entry.time !== b.entry.time
        ? a.entry.time < b.entry.time
        : a.entry.txidHex < b.entry.txidHex;

const candidate = (entry: MempoolEntry, p: Package): Candidate => ({
  entry,
  rate: Number(p.fee) / p.size,
  version: p.version,
  depth: p.depth,
});

/** A package as selection took it: its members (parents first) and their total fee and bytes. */
export interface SelectedPackage {
  readonly entries: readonly MempoolEntry[];
  readonly fee: bigint;
  readonly size: number;
}

/**
 * The entries for a block of at most `maxBytes` of transactions and `maxSigChecks` signature checks (the
 * coinbase has none), in block order (parents first).
 */
export function selectForBlock(
  pool: PoolGraph,
  maxBytes: number,
  maxSigChecks = MAX_BLOCK_SIGCHECKS,
): MempoolEntry[] {
  return selectPackages(pool, maxBytes, maxSigChecks).flatMap((p) => p.entries);
}

/**
 * The packages for at most `maxBytes` and `maxSigChecks` signature checks (none by default: the fee oracle
 * projects several blocks by bytes), in the order taken (so by package fee rate, mostly). A package past
 * either limit does not fit (as Core's sigops limit).
 */
export function selectPackages(
  pool: PoolGraph,
  maxBytes: number,
  maxSigChecks = Number.POSITIVE_INFINITY,
): SelectedPackage[] {
  const packages = new Map<MempoolEntry, Package>();
  const initial: Candidate[] = [];
  let smallest = Number.POSITIVE_INFINITY;
  for (const e of pool.entries.values()) {
    const { fee, size, count } = pool.ancestorPackage(e);
    const p: Package = { fee, size, version: 0, depth: count - 1 };
    packages.set(e, p);
    initial.push(candidate(e, p));
    smallest = Math.min(smallest, e.size);
  }
  const queue = new BinaryHeap(before, initial);
  const chosen: SelectedPackage[] = [];
  const included = new Set<MempoolEntry>();
  let bytes = 0;
  let sigChecks = 0;
  let failures = 0;
  for (let c = queue.pop(); c && maxBytes - bytes >= smallest; c = queue.pop()) {
    const p = packages.get(c.entry)!;
    if (included.has(c.entry) || c.version !== p.version) continue;
    const members = [c.entry, ...pool.ancestors(c.entry).filter((a) => !included.has(a))];
    // Counted from the members, not trusted from the queue: a block over the limit would be invalid.
    let size = 0;
    let checks = 0;
    for (const m of members) {
      size += m.size;
      checks += m.sigChecks;
    }
    if (bytes + size > maxBytes || sigChecks + checks > maxSigChecks) {
      // Its descendants' packages contain it, so they do not fit either until it shrinks.
      if (++failures > MAX_CONSECUTIVE_FAILURES && maxBytes - bytes < NEARLY_FULL_BYTES) break;
      continue;
    }
    failures = 0;
    members.sort((a, b) => packages.get(a)!.depth - packages.get(b)!.depth);
    let fee = 0n;
    for (const m of members) fee += m.fee;
    chosen.push({ entries: members, fee, size });
    sigChecks += checks;
    const shrunk = new Set<MempoolEntry>();
    for (const m of members) {
      included.add(m);
      bytes += m.size;
      for (const d of pool.descendants(m)) {
        if (included.has(d)) continue;
        const dp = packages.get(d)!;
        dp.fee -= m.fee;
        dp.size -= m.size;
        shrunk.add(d);
      }
    }
    for (const d of shrunk) {
      if (included.has(d)) continue;
      const dp = packages.get(d)!;
      dp.version++;
      queue.push(candidate(d, dp));
    }
  }
  return chosen;
}
