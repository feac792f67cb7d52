// Orphan blocks: blocks whose parent is not known yet, held until it arrives. A peer can send them
// for the price of proof of work at the easiest bits, so the pool is bounded every way a peer could
// grow it: in count, in bytes, per peer, and in time. Each is held as its serialized bytes (a decoded
// 1 MB block takes several MB of heap). The importer checks a block's sanity (proof of work included)
// and its claimed height before it offers it here.

/** Default limits (see docs/protocol.md, "Fork choice and block processing"). */
export const ORPHAN_LIMITS = {
  /** Orphans held in all. */
  count: 64,
  /** Bytes of orphans held in all. */
  bytes: 16 * 1024 * 1024,
  /** Orphans held for one peer (the node's own API counts as one peer): its oldest goes first. */
  perPeer: 8,
  /** Seconds an orphan is held before it is dropped. */
  ttlSeconds: 600,
  /** An orphan whose coinbase claims a height more than this above the tip is not held. */
  maxHeightAhead: 2000,
} as const;

export type OrphanLimits = { readonly [K in keyof typeof ORPHAN_LIMITS]: number };

export interface Orphan {
  readonly hash: string;
  readonly previousHash: string;
  /** The height its coinbase claims (not checked until its parent is known). */
  readonly height: number;
  readonly bytes: Uint8Array;
  /** Who sent it ('' for the node itself: API, miner, files). */
  readonly peer: string;
  /** When it was added (seconds, the chain's clock). */
  readonly added: number;
}

export class OrphanPool {
  /** Oldest first (Map insertion order). */
  private readonly byHash = new Map<string, Orphan>();
  private readonly byParent = new Map<string, Set<string>>();
  private readonly perPeer = new Map<string, number>();
  private totalBytes = 0;
  readonly limits: OrphanLimits;

  constructor(
    private readonly now: () => number,
    limits: Partial<OrphanLimits> = {},
  ) {
    this.limits = { ...ORPHAN_LIMITS, ...limits };
  }

  get size(): number {
    return this.byHash.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** Holds an orphan, making room by dropping the peer's oldest, then the oldest of all; false if too big. */
  add(orphan: Omit<Orphan, 'added'>): boolean {
    this.expire();
    if (this.byHash.has(orphan.hash)) return true;
    if (orphan.bytes.length > this.limits.bytes || this.limits.count <= 0 || this.limits.perPeer <= 0)
      return false;
    while ((this.perPeer.get(orphan.peer) ?? 0) >= this.limits.perPeer)
      this.remove(this.oldestOf(orphan.peer)!);
    while (
      this.byHash.size >= this.limits.count ||
      this.totalBytes + orphan.bytes.length > this.limits.bytes
    ) {
      this.remove(this.byHash.keys().next().value!);
    }
    const held: Orphan = { ...orphan, added: this.now() };
    this.byHash.set(held.hash, held);
    this.totalBytes += held.bytes.length;
    this.perPeer.set(held.peer, (this.perPeer.get(held.peer) ?? 0) + 1);
    let children = this.byParent.get(held.previousHash);
    if (!children) this.byParent.set(held.previousHash, (children = new Set()));
    children.add(held.hash);
    return true;
  }

  /** Every orphan held, oldest first. */
  list(): Orphan[] {
    this.expire();
    return [...this.byHash.values()];
  }

  /** Removes and returns the orphans waiting for this parent. */
  takeChildren(parent: string): Orphan[] {
    this.expire();
    const children = this.byParent.get(parent);
    if (!children) return [];
    const out: Orphan[] = [];
    for (const hash of [...children]) {
      const orphan = this.byHash.get(hash);
      if (orphan) out.push(orphan);
      this.remove(hash);
    }
    return out;
  }

  /** Drops the orphans held longer than the limit. */
  expire(): void {
    const cutoff = this.now() - this.limits.ttlSeconds;
    for (const orphan of this.byHash.values()) {
      // Oldest first: the first one young enough ends the sweep.
      if (orphan.added > cutoff) break;
      this.remove(orphan.hash);
    }
  }

  private oldestOf(peer: string): string | undefined {
    for (const orphan of this.byHash.values()) if (orphan.peer === peer) return orphan.hash;
    return undefined;
  }

  private remove(hash: string): void {
    const orphan = this.byHash.get(hash);
    if (!orphan) return;
    this.byHash.delete(hash);
    this.totalBytes -= orphan.bytes.length;
    const left = (this.perPeer.get(orphan.peer) ?? 1) - 1;
    if (left > 0) this.perPeer.set(orphan.peer, left);
    else this.perPeer.delete(orphan.peer);
    const siblings = this.byParent.get(orphan.previousHash);
    siblings?.delete(hash);
    if (siblings?.size === 0) this.byParent.delete(orphan.previousHash);
  }
}
