// The address book the dialer chooses from, as btcd's addrmgr (and Core's addrman) keep it: peers
// we only heard of sit in "new" buckets, peers we dialled and completed a handshake with in "tried"
// buckets. Which bucket is a keyed hash of network groups (netgroup.ts), so that addresses of one
// group, or told by one group, can fill only a few buckets whatever their number; and selection
// picks a random bucket first, so a crowd of sybil ids of one group is chosen no more often than
// the few buckets it holds. Pure bookkeeping: the key and the random source are injected.
import { sha256 } from '@noble/hashes/sha2.js';
import { readU32, utf8 } from './portable.js';

export interface AddrBookSettings {
  newBuckets: number;
  triedBuckets: number;
  /** Entries per bucket; a full bucket drops its oldest entry for a new one. */
  bucketSize: number;
  /** Of the new buckets, how many the addresses told by one source group can land in. */
  newBucketsPerSourceGroup: number;
  /** Of the tried buckets, how many the addresses of one group can land in. */
  triedBucketsPerGroup: number;
}

/** btcd's 1024/64 buckets of 64 scaled to a network of at most about a thousand peers. */
export const ADDR_BOOK_DEFAULTS: AddrBookSettings = {
  newBuckets: 64,
  triedBuckets: 16,
  bucketSize: 16,
  newBucketsPerSourceGroup: 8,
  triedBucketsPerGroup: 2,
};

export interface BookEntry {
  id: string;
  /** Network group of the peer's address. */
  group: string;
  /** Network group of whoever told us (the peer itself when it told us its own record). */
  source: string;
  tried: boolean;
  /** When it was added or last moved (for choosing whom a full bucket drops). */
  at: number;
}

export class AddrBook {
  private readonly entries = new Map<string, BookEntry & { bucket: number }>();
  private readonly newTable: Set<string>[];
  private readonly triedTable: Set<string>[];

  constructor(
    private readonly key: Uint8Array,
    /** A uniform number in [0, 1). */
    private readonly random: () => number,
    private readonly settings: AddrBookSettings = ADDR_BOOK_DEFAULTS,
  ) {
    this.newTable = Array.from({ length: settings.newBuckets }, () => new Set());
    this.triedTable = Array.from({ length: settings.triedBuckets }, () => new Set());
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): BookEntry | undefined {
    const e = this.entries.get(id);
    return e && { id: e.id, group: e.group, source: e.source, tried: e.tried, at: e.at };
  }

  /** Bucket of an address told by `source`: up to newBucketsPerSourceGroup buckets per source group. */
  newBucket(group: string, source: string): number {
    const { newBucketsPerSourceGroup, newBuckets } = this.settings;
    const slot = this.hash(group, source) % newBucketsPerSourceGroup;
    return this.hash(source, String(slot)) % newBuckets;
  }

  /** Bucket of a tried peer: up to triedBucketsPerGroup buckets per address group. */
  triedBucket(id: string, group: string): number {
    const { triedBucketsPerGroup, triedBuckets } = this.settings;
    const slot = this.hash(id) % triedBucketsPerGroup;
    return this.hash(group, String(slot)) % triedBuckets;
  }

  /**
   * Adds a peer heard of (a tried one stays tried); returns the ids a full bucket dropped. An entry
   * already known keeps its place: a source repeating an address gains nothing.
   */
  addNew(id: string, group: string, source: string, now: number): string[] {
    if (this.entries.has(id)) return [];
    return this.place({ id, group, source, tried: false, at: now });
  }

  /** A peer we dialled completed the handshake: into (or within) the tried table. */
  markTried(id: string, group: string, now: number): string[] {
    const old = this.entries.get(id);
    if (old?.tried && old.group === group) return [];
    if (old) this.remove(id);
    return this.place({ id, group, source: old?.source ?? group, tried: true, at: now });
  }

  remove(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    (e.tried ? this.triedTable : this.newTable)[e.bucket]!.delete(id);
    this.entries.delete(id);
  }

  /**
   * Up to `count` distinct ids that `usable` accepts, each drawn as btcd draws: tried or new table
   * with even odds (when both have entries), a random non-empty bucket, a random entry of it.
   * Bounded: at most 8 draws per bucket of the book.
   */
  select(count: number, usable: (id: string) => boolean): string[] {
    const chosen = new Set<string>();
    const tables = [this.triedTable, this.newTable].filter((t) => t.some((b) => b.size > 0));
    const maxDraws = 8 * (this.settings.newBuckets + this.settings.triedBuckets);
    for (let draw = 0; draw < maxDraws && chosen.size < count && tables.length > 0; draw++) {
      const table = tables[Math.floor(this.random() * tables.length)]!;
      const bucket = table[Math.floor(this.random() * table.length)]!;
      if (bucket.size === 0) continue;
      const id = [...bucket][Math.floor(this.random() * bucket.size)]!;
      if (!chosen.has(id) && usable(id)) chosen.add(id);
    }
    return [...chosen];
  }

  private place(entry: BookEntry): string[] {
    const bucket = entry.tried
      ? this.triedBucket(entry.id, entry.group)
      : this.newBucket(entry.group, entry.source);
    const set = (entry.tried ? this.triedTable : this.newTable)[bucket]!;
    const displaced: BookEntry[] = [];
    while (set.size >= this.settings.bucketSize) {
      let oldest: BookEntry | undefined;
      for (const id of set) {
        const e = this.entries.get(id)!;
        if (oldest === undefined || e.at < oldest.at) oldest = e;
      }
      this.remove(oldest!.id);
      displaced.push(oldest!);
    }
    set.add(entry.id);
    this.entries.set(entry.id, { ...entry, bucket });
    if (!entry.tried) return displaced.map((e) => e.id);
    // As btcd: a peer pushed out of the tried table goes back to the new one.
    return displaced.flatMap((e) => this.place({ ...e, tried: false }));
  }

  private hash(...parts: string[]): number {
    const h = sha256.create().update(this.key);
    for (const p of parts) h.update(utf8.encode(`${p}\u0000`));
    return readU32(h.digest());
  }
}
