// Token buckets per key: a burst, refilled steadily. Used for budgets a peer's key may spend (bytes the
// sync server uploads to it, discovery records it may send). The table is bounded: beyond `maxKeys`
// the least recently used bucket goes (its key starts again with a full bucket).

export interface BucketSettings {
  /** Tokens a key starts with, and most it can hold. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
  /** Most keys kept; default 10,000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  private bucket(key: string): Bucket {
    const now = this.now();
    const { burst, perSecond } = this.settings;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= (this.settings.maxKeys ?? 10_000)) {
        this.buckets.delete(this.buckets.keys().next().value!);
      }
      bucket = { tokens: burst, at: now };
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      this.buckets.delete(key);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Tokens `key` holds now (negative while it is in debt). */
  level(key: string): number {
    return this.bucket(key).tokens;
  }

  /** Takes `amount` tokens if the bucket holds them; false (nothing taken) if not. */
  take(key: string, amount = 1): boolean {
    const bucket = this.bucket(key);
    if (bucket.tokens < amount) return false;
    bucket.tokens -= amount;
    return true;
  }

  /** Takes `amount` whatever the bucket holds: it may go into debt, repaid by the refill. */
  charge(key: string, amount: number): void {
    this.bucket(key).tokens -= amount;
  }
}
