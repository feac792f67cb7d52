// Blocks whose parent is not known yet. Bounded: the oldest orphan is dropped when the pool is full.

import type { Block } from '../core/block.js';
import { toHex } from '../core/bytes.js';

export class OrphanPool {
  private readonly byHash = new Map<string, Block>();
  private readonly byParent = new Map<string, Set<string>>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  add(hash: string, block: Block): void {
    if (this.byHash.has(hash)) return;
    if (this.byHash.size >= this.capacity) this.remove(this.byHash.keys().next().value!);
    this.byHash.set(hash, block);
    const parent = toHex(block.header.prevHash);
    let children = this.byParent.get(parent);
    if (!children) this.byParent.set(parent, (children = new Set()));
    children.add(hash);
  }

  /** Every orphan held, oldest first. */
  list(): Array<{ hash: string; block: Block }> {
    return [...this.byHash].map(([hash, block]) => ({ hash, block }));
  }

  /** Removes and returns the orphans waiting for this parent. */
  takeChildren(parent: string): Block[] {
    const children = this.byParent.get(parent);
    if (!children) return [];
    const out: Block[] = [];
    for (const hash of children) {
      const block = this.byHash.get(hash);
      if (block) out.push(block);
      this.byHash.delete(hash);
    }
    this.byParent.delete(parent);
    return out;
  }

  private remove(hash: string): void {
    const block = this.byHash.get(hash);
    if (!block) return;
    this.byHash.delete(hash);
    const parent = toHex(block.header.prevHash);
    this.byParent.get(parent)?.delete(hash);
    if (this.byParent.get(parent)?.size === 0) this.byParent.delete(parent);
  }
}
