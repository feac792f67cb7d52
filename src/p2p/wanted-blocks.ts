// The blocks a download still wants, in chain order, and its front: the first one not handed to the
// chain yet. Positions are indexes into the list; they stay valid until the next reset or compaction.

export class WantedBlocks {
  private hashes: string[] = [];
  private positions = new Map<string, number>();
  /** Position of the first block not handed to the chain yet. */
  front = 0;

  get length(): number {
    return this.hashes.length;
  }

  /** Blocks not handed to the chain yet. */
  get remaining(): number {
    return this.hashes.length - this.front;
  }

  at(position: number): string | undefined {
    return this.hashes[position];
  }

  positionOf(hash: string): number | undefined {
    return this.positions.get(hash);
  }

  /** Wants `hashes` that the chain lacks instead, from the front. */
  reset(hashes: readonly string[], lacks: (hash: string) => boolean): void {
    this.hashes = hashes.filter(lacks);
    this.positions = new Map(this.hashes.map((h, i) => [h, i]));
    this.front = 0;
  }

  /** Wants `hashes` that the chain lacks after the others (none twice). */
  append(hashes: readonly string[], lacks: (hash: string) => boolean): void {
    for (const hash of hashes) {
      if (this.positions.has(hash) || !lacks(hash)) continue;
      this.positions.set(hash, this.hashes.length);
      this.hashes.push(hash);
    }
  }

  /** Forgets what is before the front (handed to the chain), so that a long download keeps only what it wants. */
  compact(): void {
    if (this.front === 0) return;
    this.hashes = this.hashes.slice(this.front);
    this.positions = new Map(this.hashes.map((h, i) => [h, i]));
    this.front = 0;
  }
}
