// The in-memory pool: entries by txid, the outpoints they spend, and the parent/child links between
// them (kept on insert and remove, so graph walks are linear). A rebuild fills a fresh one off to the
// side and the mempool swaps it in at once, so readers never see a half-built pool.
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { outpointKey, type Tx } from '../core/tx.js';
import type { Coin } from '../core/validation.js';
import { entryMemory } from './entry-memory.js';

export interface MempoolEntry {
  readonly tx: Tx;
  readonly txid: Uint8Array;
  readonly txidHex: string;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly fee: bigint;
  /** Base units per byte. */
  readonly feeRate: number;
  /** Seconds since the epoch at acceptance. */
  readonly time: number;
  /** The coins this transaction spends, in input order (for address views). */
  readonly spent: readonly Coin[];
  /** Its signature checks (key spends plus policy witness signatures): a block holds at most MAX_BLOCK_SIGCHECKS. */
  readonly sigChecks: number;
}

/** An entry together with all its in-pool ancestors: what a block must take to take it. */
export interface AncestorPackage {
  fee: bigint;
  size: number;
  /** Transactions, the entry included. */
  count: number;
}

/** An entry's in-pool parents (whose outputs it spends) and children (which spend its outputs). */
interface Links {
  readonly parents: Set<MempoolEntry>;
  readonly children: Set<MempoolEntry>;
  readonly ancestors: AncestorPackage;
}

const NO_ENTRIES: ReadonlySet<MempoolEntry> = new Set();

/** Fee rate, highest first (older first on ties, then by txid: a total order). */
const byFeeRate = (a: MempoolEntry, b: MempoolEntry) =>
  b.feeRate - a.feeRate || a.time - b.time || (a.txidHex < b.txidHex ? -1 : a.txidHex > b.txidHex ? 1 : 0);

/** Where `entry` is, or would go, in `sorted` (ordered by byFeeRate). */
function positionIn(sorted: readonly MempoolEntry[], entry: MempoolEntry): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byFeeRate(sorted[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The address hashes (hex) an entry spends from or pays to. */
function addressesOf(entry: MempoolEntry): Set<string> {
  const out = new Set<string>();
  for (const coin of entry.spent) out.add(toHex(coin.address));
  for (const output of entry.tx.outputs) out.add(toHex(output.address));
  return out;
}

export class PoolState {
  readonly entries = new Map<string, MempoolEntry>();
  /** outpoint key → txid of the pool transaction spending it. */
  readonly spends = new Map<string, string>();
  /** address hash (hex) → the entries spending from or paying to it: an address view reads only these. */
  private readonly byAddress = new Map<string, Set<MempoolEntry>>();
  private readonly links = new Map<MempoolEntry, Links>();
  /**
   * The entries by fee rate, kept sorted on insert and remove (a binary search and a splice), so that
   * eviction in a full pool does not sort it for every newcomer.
   */
  private readonly byRate: MempoolEntry[] = [];
  totalBytes = 0;
  /** What the entries take in memory, as entryMemory counts it: what the limit applies to. */
  totalMemory = 0;

  constructor(readonly maxMemory: number) {}

  /** Entries by fee rate, highest first (older first on ties). */
  sorted(): MempoolEntry[] {
    return this.byRate.slice();
  }

  /** The entries spending from or paying to an address hash (hex), in the order of `sorted()`. */
  touching(addressHex: string): MempoolEntry[] {
    const set = this.byAddress.get(addressHex);
    return set ? [...set].sort(byFeeRate) : [];
  }

  /** Entries in the order they entered this pool, parents first (a restored parent may enter late). */
  byArrival(): MempoolEntry[] {
    return parentsFirst(this.entries);
  }

  /** The pool entries whose outputs `tx` spends. */
  parentsIn(tx: Tx): Set<MempoolEntry> {
    const out = new Set<MempoolEntry>();
    for (const inp of tx.inputs) {
      const parent = this.entries.get(toHex(inp.prevTxid));
      if (parent) out.add(parent);
    }
    return out;
  }

  parentsOf(entry: MempoolEntry): ReadonlySet<MempoolEntry> {
    return this.links.get(entry)?.parents ?? NO_ENTRIES;
  }

  childrenOf(entry: MempoolEntry): ReadonlySet<MempoolEntry> {
    return this.links.get(entry)?.children ?? NO_ENTRIES;
  }

  /**
   * The fee, size and count of a pool entry with all its in-pool ancestors, kept up to date on insert and
   * remove (so a template need not walk every entry's ancestors).
   */
  ancestorPackage(entry: MempoolEntry): Readonly<AncestorPackage> {
    const links = this.links.get(entry);
    if (!links) throw new Error(`${entry.txidHex} is not in this pool`);
    return links.ancestors;
  }

  /** Every in-pool ancestor of a pool entry (not itself), each once; `max` as in walkAncestors. */
  ancestors(entry: MempoolEntry, max = Number.POSITIVE_INFINITY): MempoolEntry[] {
    return this.walkAncestors(this.parentsOf(entry), max);
  }

  /** `from` and their in-pool ancestors, each once; stops once more than `max` are found. */
  walkAncestors(from: Iterable<MempoolEntry>, max = Number.POSITIVE_INFINITY): MempoolEntry[] {
    return this.walk(from, (e) => this.parentsOf(e), max);
  }

  /** Every in-pool descendant of a pool entry (not itself), each once; stops once more than `max` are found. */
  descendants(entry: MempoolEntry, max = Number.POSITIVE_INFINITY): MempoolEntry[] {
    return this.walk(this.childrenOf(entry), (e) => this.childrenOf(e), max);
  }

  /** `entry` and its in-pool ancestors, reached from `parents`. */
  private packageOver(entry: MempoolEntry, parents: Iterable<MempoolEntry>): AncestorPackage {
    const pkg = { fee: entry.fee, size: entry.size, count: 1 };
    for (const a of this.walkAncestors(parents)) {
      pkg.fee += a.fee;
      pkg.size += a.size;
      pkg.count += 1;
    }
    return pkg;
  }

  /** Depth-first over the links, each entry visited once: linear in the entries and links reached. */
  private walk(
    from: Iterable<MempoolEntry>,
    next: (e: MempoolEntry) => ReadonlySet<MempoolEntry>,
    max: number,
  ): MempoolEntry[] {
    const seen = new Set<MempoolEntry>();
    const stack = [...from];
    while (stack.length > 0 && seen.size <= max) {
      const e = stack.pop()!;
      if (seen.has(e)) continue;
      seen.add(e);
      for (const n of next(e)) if (!seen.has(n)) stack.push(n);
    }
    return [...seen];
  }

  insert(entry: MempoolEntry): void {
    // Children too: a rebuild or a load may meet a child before its parent (and it is cheap to look).
    const parents = this.parentsIn(entry.tx);
    const children = new Set<MempoolEntry>();
    entry.tx.outputs.forEach((_, index) => {
      const spender = this.spends.get(outpointKey(entry.txidHex, index));
      const child = spender && this.entries.get(spender);
      if (child) children.add(child);
    });
    this.links.set(entry, { parents, children, ancestors: this.packageOver(entry, parents) });
    for (const p of parents) this.links.get(p)?.children.add(entry);
    for (const c of children) this.links.get(c)?.parents.add(entry);
    // A child that came first gains this entry and its ancestors: count its package again.
    if (children.size > 0)
      for (const d of this.descendants(entry)) {
        const links = this.links.get(d)!;
        Object.assign(links.ancestors, this.packageOver(d, links.parents));
      }
    this.entries.set(entry.txidHex, entry);
    this.byRate.splice(positionIn(this.byRate, entry), 0, entry);
    this.totalBytes += entry.size;
    this.totalMemory += entryMemory(entry);
    for (const inp of entry.tx.inputs)
      this.spends.set(outpointKey(inp.prevTxid, inp.prevIndex), entry.txidHex);
    for (const address of addressesOf(entry)) {
      const set = this.byAddress.get(address);
      if (set) set.add(entry);
      else this.byAddress.set(address, new Set([entry]));
    }
  }

  /** False when the entry was not (or no longer) in the pool. */
  remove(entry: MempoolEntry): boolean {
    return this.removeAll([entry]).length === 1;
  }

  /**
   * Removes the entries still in the pool, in order, and returns them. The fee-rate order loses them in
   * one pass when there are many (a block's worth), not one splice of the whole order each.
   */
  removeAll(entries: Iterable<MempoolEntry>): MempoolEntry[] {
    const removed: MempoolEntry[] = [];
    for (const entry of entries) if (this.unlink(entry)) removed.push(entry);
    if (removed.length <= 16) {
      for (const e of removed) this.byRate.splice(positionIn(this.byRate, e), 1);
    } else {
      const gone = new Set(removed);
      let kept = 0;
      for (const e of this.byRate) if (!gone.has(e)) this.byRate[kept++] = e;
      this.byRate.length = kept;
    }
    return removed;
  }

  /** Everything but the fee-rate order; false when the entry is not in the pool. */
  private unlink(entry: MempoolEntry): boolean {
    if (this.entries.get(entry.txidHex) !== entry) return false;
    this.entries.delete(entry.txidHex);
    this.totalBytes -= entry.size;
    this.totalMemory -= entryMemory(entry);
    // It leaves with its descendants, or after its ancestors (confirmed by a block, parents first), so
    // taking it out of each descendant's package is exact. (Selection re-checks sizes all the same.)
    for (const d of this.descendants(entry)) {
      const pkg = this.links.get(d)!.ancestors;
      pkg.fee -= entry.fee;
      pkg.size -= entry.size;
      pkg.count -= 1;
    }
    const links = this.links.get(entry);
    for (const p of links?.parents ?? []) this.links.get(p)?.children.delete(entry);
    for (const c of links?.children ?? []) this.links.get(c)?.parents.delete(entry);
    this.links.delete(entry);
    for (const inp of entry.tx.inputs) {
      const key = outpointKey(inp.prevTxid, inp.prevIndex);
      if (this.spends.get(key) === entry.txidHex) this.spends.delete(key);
    }
    for (const address of addressesOf(entry)) {
      const set = this.byAddress.get(address);
      set?.delete(entry);
      if (set?.size === 0) this.byAddress.delete(address);
    }
    return true;
  }

  /**
   * Which entries to evict (lowest fee rate first, with their descendants) so that `entry` fits, once
   * the `leaving` ones (what it replaces) are gone. The newcomer's own ancestors are never victims:
   * evicting one would leave it spending a missing output.
   */
  makeRoom(entry: MempoolEntry, leaving: readonly MempoolEntry[] = []): MempoolEntry[] {
    const needed = entryMemory(entry);
    let freed = 0;
    for (const e of leaving) freed += entryMemory(e);
    if (this.totalMemory - freed + needed <= this.maxMemory) return [];
    const ancestors = new Set(this.walkAncestors(this.parentsIn(entry.tx)));
    const evicted = new Map<string, MempoolEntry>(leaving.map((e) => [e.txidHex, e]));
    for (let i = this.byRate.length - 1; i >= 0; i--) {
      const victim = this.byRate[i]!;
      if (this.totalMemory - freed + needed <= this.maxMemory) break;
      if (victim.feeRate >= entry.feeRate) break;
      if (ancestors.has(victim)) continue;
      for (const e of [victim, ...this.descendants(victim)]) {
        if (!evicted.has(e.txidHex)) {
          evicted.set(e.txidHex, e);
          freed += entryMemory(e);
        }
      }
    }
    if (this.totalMemory - freed + needed > this.maxMemory) {
      throw new RuleError(
        'mempool-full',
        `the mempool is full and fee rate ${entry.feeRate.toFixed(3)} is too low to make room`,
      );
    }
    // The replaced ones leave as replaced, not as evicted.
    return [...evicted.values()].filter((e) => !leaving.includes(e));
  }

  /** The entries a connected block takes out: those it confirms, and those spending what it spends. */
  goneWith(txs: readonly Tx[], ids: readonly string[]): Array<[MempoolEntry, 'confirmed' | 'conflict']> {
    const gone = new Map<string, [MempoolEntry, 'confirmed' | 'conflict']>();
    txs.forEach((tx, i) => {
      const confirmed = this.entries.get(ids[i]!);
      if (confirmed) gone.set(confirmed.txidHex, [confirmed, 'confirmed']);
      for (const inp of tx.inputs) {
        const spender = this.spends.get(outpointKey(inp.prevTxid, inp.prevIndex));
        const e = spender && this.entries.get(spender);
        if (e && e !== confirmed) {
          for (const c of [e, ...this.descendants(e)])
            if (!gone.has(c.txidHex)) gone.set(c.txidHex, [c, 'conflict']);
        }
      }
    });
    return [...gone.values()];
  }
}

/** Transactions ordered so that each comes after its parents within the set (Kahn's algorithm). */
export function parentsFirst<T extends { tx: Tx }>(byId: ReadonlyMap<string, T>): T[] {
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const [id, { tx }] of byId) {
    const parents = new Set(tx.inputs.map((i) => toHex(i.prevTxid)).filter((p) => p !== id && byId.has(p)));
    waiting.set(id, parents.size);
    for (const p of parents) {
      const list = children.get(p);
      if (list) list.push(id);
      else children.set(p, [id]);
    }
  }
  const ready = [...waiting].filter(([, n]) => n === 0).map(([id]) => id);
  const out: T[] = [];
  for (let i = 0; i < ready.length; i++) {
    out.push(byId.get(ready[i]!)!);
    for (const child of children.get(ready[i]!) ?? []) {
      const n = waiting.get(child)! - 1;
      waiting.set(child, n);
      if (n === 0) ready.push(child);
    }
  }
  // Valid transactions cannot form a cycle; any left over are tried last (and rejected).
  for (const [id, n] of waiting) if (n > 0) out.push(byId.get(id)!);
  return out;
}
