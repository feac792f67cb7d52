// Choosing transactions for a block by ancestor-package fee rate, in one pass (Bitcoin Core's
// BlockAssembler::addPackageTxs, btcd's mining priority queue).
//
// Every pool entry is a candidate together with its ancestors not yet chosen (its package), keyed by the
// package's fee rate. The best package that fits is taken whole, parents first; then the packages of the
// descendants of what was taken shrink by it and go back into the queue (stale copies are skipped). So a
// high-fee child pulls its low-fee parent in (child pays for parent), and the cost is O(n log n) with
// walks bounded by the chain limits (src/mempool/limits.ts), not O(block × pool).
import { BinaryHeap } from './heap.js';
import type { MempoolEntry } from './pool-state.js';

/** What selection reads from a pool: its entries and the links between them. */
export interface PoolGraph {
  readonly entries: ReadonlyMap<string, MempoolEntry>;
  /** In-pool ancestors of a pool entry, each once, itself excluded. */
  ancestors(entry: MempoolEntry): MempoolEntry[];
  /** In-pool descendants of a pool entry, each once, itself excluded. */
  descendants(entry: MempoolEntry): MempoolEntry[];
}

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

/** The entries for a block of at most `maxBytes` of transactions, in block order (parents first). */
export function selectForBlock(pool: PoolGraph, maxBytes: number): MempoolEntry[] {
  const packages = new Map<MempoolEntry, Package>();
  const queue = new BinaryHeap<Candidate>(before);
  let smallest = Number.POSITIVE_INFINITY;
  for (const e of pool.entries.values()) {
    const ancestors = pool.ancestors(e);
    let fee = e.fee;
    let size = e.size;
    for (const a of ancestors) {
      fee += a.fee;
      size += a.size;
    }
    const p: Package = { fee, size, version: 0, depth: ancestors.length };
    packages.set(e, p);
    queue.push(candidate(e, p));
    smallest = Math.min(smallest, e.size);
  }
  const chosen: MempoolEntry[] = [];
  const included = new Set<MempoolEntry>();
  let bytes = 0;
  // Stops when even the smallest transaction no longer fits.
  for (let c = queue.pop(); c && maxBytes - bytes >= smallest; c = queue.pop()) {
    const p = packages.get(c.entry)!;
    if (included.has(c.entry) || c.version !== p.version) continue;
    // Too big now; its descendants' packages contain it, so they are skipped too until it shrinks.
    if (bytes + p.size > maxBytes) continue;
    const members = [c.entry, ...pool.ancestors(c.entry).filter((a) => !included.has(a))];
    members.sort((a, b) => packages.get(a)!.depth - packages.get(b)!.depth);
    const shrunk = new Set<MempoolEntry>();
    for (const m of members) {
      chosen.push(m);
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
