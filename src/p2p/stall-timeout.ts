// How long a peer may hold up the block download's window before it is dropped as a staller.
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
