// How long a peer may hold up the block download's window before it is dropped as a staller, and
// which peers did so lately.
/** Core's stall timeout: 2 s, doubled after each staller up to 64 s, halved back on progress. */
export class StallTimeout {
  constructor(
    readonly minMs = 2_000,
    readonly maxMs = 64_000,
    private ms = minMs,
  ) {}
  get current(): number {
    return this.ms;
  }
  stalled(): void {
    this.ms = Math.min(this.maxMs, this.ms * 2);
  }
  progressed(): void {
    this.ms = Math.max(this.minMs, this.ms / 2);
  }
}

/** How long a staller gets no part of a block download, and how many are remembered. */
export const STALLER_LIMITS = { rememberMs: 10 * 60_000, maxKept: 1000 } as const;

/**
 * Peers that stalled a block download in the last 10 minutes. A staller is disconnected, but a
 * bootstrap peer is dialled again at once: without this it would get the next download's early
 * batches and hold up its window again, for a stall timeout each time.
 */
export class RecentStallers {
  /** Peer id → until when it is left out; in insertion order, so the first is the oldest. */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    readonly rememberMs: number = STALLER_LIMITS.rememberMs,
    readonly maxKept: number = STALLER_LIMITS.maxKept,
  ) {}

  add(id: string): void {
    this.until.delete(id);
    this.until.set(id, this.now() + this.rememberMs);
    for (const oldest of this.until.keys()) {
      if (this.until.size <= this.maxKept) break;
      this.until.delete(oldest);
    }
  }

  has(id: string): boolean {
    const until = this.until.get(id);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(id);
    return false;
  }

  get size(): number {
    return this.until.size;
  }
}
