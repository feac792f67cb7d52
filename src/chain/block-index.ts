// The block index in memory and the fork choice over it: most work wins, the first seen on ties.
// No I/O: the chain decides here, then writes.
import { isRetargetHeight, medianTimePast, nextBits, retargetWindowStart } from '../core/difficulty.js';
import type { NetworkParams } from '../core/params.js';
import type { BlockContext } from '../core/validation.js';
import { type ChainEntry, findFork } from './entry.js';
import { EntryMap } from './entry-map.js';

export class BlockIndex {
  private readonly entries = new EntryMap();
  /** The active chain by height. */
  private active: ChainEntry[] = [];
  /** Entries off the active chain (side branches, invalid ones): what pruning looks through. */
  private readonly side = new Set<ChainEntry>();
  private sequence = 0;

  constructor(private readonly params: NetworkParams) {}

  /** The arrival number of the next entry (keeps the first seen on work ties). */
  nextSequence(): number {
    return this.sequence++;
  }

  get tip(): ChainEntry {
    return this.active[this.active.length - 1]!;
  }

  get height(): number {
    return this.active.length - 1;
  }

  get genesis(): ChainEntry {
    return this.active[0]!;
  }

  get size(): number {
    return this.entries.size;
  }

  values(): IterableIterator<ChainEntry> {
    return this.entries.values();
  }

  get(hash: string): ChainEntry | undefined {
    return this.entries.get(hash);
  }

  getByBytes(hash: Uint8Array): ChainEntry | undefined {
    return this.entries.getByBytes(hash);
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  add(entry: ChainEntry): void {
    const replaced = this.entries.getByBytes(entry.hash);
    if (replaced) this.side.delete(replaced);
    this.entries.set(entry);
    if (!this.isActive(entry)) this.side.add(entry);
  }

  delete(hash: string): void {
    const entry = this.entries.get(hash);
    if (entry) this.side.delete(entry);
    this.entries.delete(hash);
  }

  /** Entries off the active chain. */
  sideEntries(): IterableIterator<ChainEntry> {
    return this.side.values();
  }

  get sideCount(): number {
    return this.side.size;
  }

  atHeight(height: number): ChainEntry | undefined {
    return this.active[height];
  }

  isActive(entry: ChainEntry): boolean {
    return this.active[entry.height] === entry;
  }

  /** Makes `tip` and its ancestors the active chain. */
  setTip(tip: ChainEntry): void {
    const fork = this.active.length > 0 ? findFork(this.tip, tip) : undefined;
    const from = fork && this.isActive(fork) ? fork.height + 1 : 0;
    for (let h = from; h < this.active.length; h++) this.side.add(this.active[h]!);
    this.active.length = from;
    const branch: ChainEntry[] = [];
    for (let e: ChainEntry | undefined = tip; e && e.height >= from; e = e.parent) branch.push(e);
    for (let i = branch.length - 1; i >= 0; i--) {
      this.active.push(branch[i]!);
      this.side.delete(branch[i]!);
    }
  }

  /** Active blocks above `height`, highest first. */
  activeAbove(height: number): ChainEntry[] {
    return this.active.slice(height + 1).reverse();
  }

  isBetter(a: ChainEntry, b: ChainEntry): boolean {
    return a.chainWork > b.chainWork;
  }

  /** The stored, not-invalid entry with more work than the tip and the most work (first seen on ties). */
  bestCandidate(): ChainEntry | undefined {
    let best: ChainEntry | undefined;
    for (const e of this.entries.values()) {
      if (e.status === 'invalid' || !this.isBetter(e, this.tip)) continue;
      if (
        !best ||
        e.chainWork > best.chainWork ||
        (e.chainWork === best.chainWork && e.sequence < best.sequence)
      ) {
        best = e;
      }
    }
    return best;
  }

  /** `bad` and every entry descending from it. */
  descendantsOf(bad: ChainEntry): ChainEntry[] {
    return [...this.entries.values()].filter((e) => {
      for (let x: ChainEntry | undefined = e; x && x.height >= bad.height; x = x.parent)
        if (x === bad) return true;
      return false;
    });
  }

  /** Median time past of `entry`: a block built on it must be later. */
  medianTimePast(entry: ChainEntry = this.tip): number {
    const times: number[] = [];
    for (let e: ChainEntry | undefined = entry; e && times.length < 11; e = e.parent) times.unshift(e.time);
    return medianTimePast(times);
  }

  /** The context a block built on `parent` must satisfy. */
  contextFor(parent: ChainEntry): BlockContext {
    const height = parent.height + 1;
    const retarget = isRetargetHeight(this.params, height);
    const window = retarget
      ? {
          firstTime: this.ancestor(parent, retargetWindowStart(this.params, height)).time,
          lastTime: parent.time,
        }
      : undefined;
    return {
      height,
      expectedBits: nextBits(this.params, height, parent.bits, window),
      medianTimePast: this.medianTimePast(parent),
      ...(retarget ? { retargetParentTime: parent.time } : {}),
    };
  }

  private ancestor(entry: ChainEntry, height: number): ChainEntry {
    let e: ChainEntry = entry;
    while (e.height > height) {
      if (this.isActive(e)) return this.active[height]!;
      e = e.parent!;
    }
    return e;
  }

  /** Active-chain hashes, tip first, 10 consecutive then exponentially spaced, genesis last. */
  locator(): string[] {
    const out: string[] = [];
    let step = 1;
    for (let h = this.height; h > 0; h -= step) {
      out.push(this.active[h]!.hashHex);
      if (out.length >= 10) step *= 2;
    }
    out.push(this.genesis.hashHex);
    return out;
  }

  /** Headers of the active chain after the first locator hash found on it. */
  headersAfter(locator: readonly string[], max: number): Uint8Array[] {
    let start = 0;
    for (const hash of locator) {
      const entry = this.entries.get(hash);
      if (entry && this.isActive(entry)) {
        start = entry.height + 1;
        break;
      }
    }
    const out: Uint8Array[] = [];
    for (let h = start; h <= this.height && out.length < max; h++)
      out.push(this.active[h]!.headerBytes.slice());
    return out;
  }
}
