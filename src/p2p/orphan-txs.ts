// Transactions refused only because we lack what they spend (`missing-inputs`): a child may arrive
// before its parent (an inventory is ordered by fee rate, not by parentage, and parent and child may
// come from different peers). Their txids are not fetched again for a while, so the bytes are kept
// here, bounded in count, size and age, and submitted again once other transactions got in.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface OrphanLimits {
  maxCount: number;
  maxBytes: number;
  maxAgeMs: number;
}

export const ORPHAN_LIMITS: OrphanLimits = { maxCount: 100, maxBytes: 5_000_000, maxAgeMs: 10 * 60_000 };

export interface Orphan {
  bytes: Uint8Array;
  /** The peer it came from: answerable for it if it turns out invalid. */
  from: string;
}

export class OrphanTxs {
  /** Keyed by a digest of the bytes (the layer cannot compute txids), oldest first. */
  private readonly entries = new Map<string, Orphan & { until: number }>();
  private bytes = 0;

  constructor(
    private readonly now: () => number,
    private readonly limits: OrphanLimits = ORPHAN_LIMITS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(bytes: Uint8Array, from: string): void {
    if (bytes.length > this.limits.maxBytes) return;
    const key = bytesToHex(sha256(bytes));
    if (this.entries.has(key)) return;
    this.expire();
    while (this.entries.size >= this.limits.maxCount || this.bytes + bytes.length > this.limits.maxBytes) {
      this.drop(this.entries.keys().next().value!);
    }
    this.entries.set(key, { bytes, from, until: this.now() + this.limits.maxAgeMs });
    this.bytes += bytes.length;
  }

  /** Removes and returns every orphan still worth a try (the caller adds back those still orphaned). */
  take(): Orphan[] {
    this.expire();
    const out = [...this.entries.values()].map(({ bytes, from }) => ({ bytes, from }));
    this.entries.clear();
    this.bytes = 0;
    return out;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes.length;
  }
}
