// Bounds on the work gossip can make the node do (gossip.ts): validations in flight, in total and per
// peer key, and copies of one block header that failed. Whatever is beyond them is Ignored unseen.

/** At most `total` tasks at once, and `perKey` per key. */
export class InflightLimit {
  private running = 0;
  private readonly byKey = new Map<string, number>();

  constructor(
    readonly total: number,
    readonly perKey: number,
  ) {}

  get size(): number {
    return this.running;
  }

  /** Takes a slot for `key`; false when the total or the key's share is used up. */
  tryEnter(key: string): boolean {
    const mine = this.byKey.get(key) ?? 0;
    if (this.running >= this.total || mine >= this.perKey) return false;
    this.running++;
    this.byKey.set(key, mine + 1);
    return true;
  }

  leave(key: string): void {
    const mine = this.byKey.get(key) ?? 0;
    if (mine <= 0) return;
    this.running--;
    if (mine === 1) this.byKey.delete(key);
    else this.byKey.set(key, mine - 1);
  }
}

export interface CopySettings {
  /** Failing copies of one header after which further copies are not looked at... */
  maxFailures: number;
  /** ...for this long after the last failure. */
  windowMs: number;
  /** Most headers remembered (the least recently failed go first). */
  maxHeaders: number;
}

export const COPY_DEFAULTS: CopySettings = { maxFailures: 2, windowMs: 10 * 60_000, maxHeaders: 1000 };

/**
 * Copies of one block header that failed (mutated bodies, or refused for their time): gossipsub ids a
 * message by its bytes, so each different body of one header is a new message and would be checked
 * again. After `maxFailures` of them from anyone within `windowMs`, further copies are not submitted.
 */
export class CopyLimiter {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly now: () => number,
    private readonly settings: CopySettings = COPY_DEFAULTS,
  ) {}

  get size(): number {
    return this.failures.size;
  }

  /** Enough copies of this header failed lately: do not look at another. */
  exhausted(hash: string): boolean {
    const entry = this.failures.get(hash);
    if (entry === undefined) return false;
    if (entry.until <= this.now()) {
      this.failures.delete(hash);
      return false;
    }
    return entry.count >= this.settings.maxFailures;
  }

  noteFailure(hash: string): void {
    const now = this.now();
    const entry = this.failures.get(hash);
    const count = entry !== undefined && entry.until > now ? entry.count + 1 : 1;
    this.failures.delete(hash);
    if (this.failures.size >= this.settings.maxHeaders)
      this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(hash, { count, until: now + this.settings.windowMs });
  }
}
