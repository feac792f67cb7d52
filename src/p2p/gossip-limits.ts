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
 * Copies being looked at count too, so copies that arrive together cannot all get in before the
 * first ones fail (one valid block's copies are the same bytes: gossipsub delivers it once).
 */
export class CopyLimiter {
  private readonly failures = new Map<string, { count: number; until: number }>();
  /** Copies of each header being looked at now (bounded by the validations in flight). */
  private readonly looking = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly settings: CopySettings = COPY_DEFAULTS,
  ) {}

  get size(): number {
    return this.failures.size;
  }

  /** Enough copies of this header failed lately, or are being looked at: do not look at another. */
  exhausted(hash: string): boolean {
    const looking = this.looking.get(hash) ?? 0;
    const entry = this.failures.get(hash);
    if (entry !== undefined && entry.until <= this.now()) this.failures.delete(hash);
    const failed = entry !== undefined && entry.until > this.now() ? entry.count : 0;
    return failed + looking >= this.settings.maxFailures;
  }

  /** Starts looking at a copy of this header, unless exhausted(); then call done(). */
  tryLook(hash: string): boolean {
    if (this.exhausted(hash)) return false;
    this.looking.set(hash, (this.looking.get(hash) ?? 0) + 1);
    return true;
  }

  /** The copy is judged (call noteFailure() first if it failed). */
  done(hash: string): void {
    const n = (this.looking.get(hash) ?? 1) - 1;
    if (n > 0) this.looking.set(hash, n);
    else this.looking.delete(hash);
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
