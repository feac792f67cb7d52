// The blocks a download still wants, in chain order, and its front: the first one not handed to the
// chain yet. Positions are absolute: dropping what the chain has (compact) does not move them, so a
// position held while a run is with the chain stays right. A reset starts them again from 0.

export class WantedBlocks {
  private hashes: string[] = [];
  private positions = new Map<string, number>();
  /** Positions below this were dropped. */
  private dropped = 0;
  /** Position of the first block not handed to the chain yet. */
  front = 0;

  /** The position after the last wanted block. */
  get end(): number {
    return this.dropped + this.hashes.length;
  }

  /** Blocks not handed to the chain yet. */
  get remaining(): number {
    return this.end - this.front;
  }

  at(position: number): string | undefined {
    return position < this.dropped ? undefined : this.hashes[position - this.dropped];
  }

  positionOf(hash: string): number | undefined {
    return this.positions.get(hash);
  }

  /** Wants `hashes` that the chain lacks instead, from the front. */
  reset(hashes: readonly string[], lacks: (hash: string) => boolean): void {
    this.hashes = hashes.filter(lacks);
    this.positions = new Map(this.hashes.map((h, i) => [h, i]));
    this.dropped = 0;
    this.front = 0;
  }

  /** Wants `hashes` that the chain lacks after the others (none twice). */
  append(hashes: readonly string[], lacks: (hash: string) => boolean): void {
    for (const hash of hashes) {
      if (this.positions.has(hash) || !lacks(hash)) continue;
      this.positions.set(hash, this.end);
      this.hashes.push(hash);
    }
  }

  /**
   * Forgets the blocks before `keep` (at most the front: those handed to the chain), so that a long
   * download holds only what it still wants.
   */
  compact(keep: number = this.front): void {
    const count = Math.min(keep, this.front) - this.dropped;
    if (count <= 0) return;
    for (const hash of this.hashes.splice(0, count)) this.positions.delete(hash);
    this.dropped += count;
  }
}
