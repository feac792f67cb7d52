// The UTXO set in memory, over the coins on disk, as Bitcoin Core's coins cache:
//
//   - an entry is a coin, or null for a coin spent since the last flush;
//   - dirty: differs from the disk (written at the next flush);
//   - fresh: the disk does not have it, so if it is spent before a flush it is simply forgotten (a coin
//     created and spent between two flushes never touches the disk).
//
// The chain applies each connect here after the block's own batch (block, index, undo, tip) is written,
// and flushes every few blocks or when the cache outgrows its budget: one batch with every dirty coin
// and the marker "coins are valid up to block X" (meta 'coins-tip'). After a crash the chain reconnects
// the blocks after X from the stored blocks (see src/chain/load.ts).
import { fromHex } from '../core/bytes.js';
import { outpointKey } from '../core/tx.js';
import type { Coin } from '../core/validation.js';
import { decodeCoin, encodeCoin } from './codec.js';
import type { Op } from './database.js';
import { KEYS, META } from './layout.js';

type Bytes = Uint8Array;

interface CacheEntry {
  coin: Coin | null;
  dirty: boolean;
  fresh: boolean;
}

/**
 * Heap cost of one entry, measured (test/unit/store/coins-cache-size.test.ts checks it within 15%):
 * ~180 bytes for the key (a flat 66-character string, see toHex) and its Map slot, ~230 for the coin's
 * 20-byte address (a Uint8Array: the view, its buffer and the bytes), ~120 for the entry, the coin and
 * its amount. It was counted as 240, so a 32 MiB budget let the cache hold over 60 MB.
 */
export const COIN_ENTRY_BYTES = 540;

export interface CoinsDisk {
  getMany(keys: Bytes[]): Promise<Array<Bytes | undefined>>;
  batch(ops: Op[]): Promise<void>;
}

export class CoinsCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** The block whose connect the coins here reflect (undefined until the chain says). */
  bestBlock: Bytes | undefined;
  /** What the disk's coins reflect (the 'coins-tip' marker last written). */
  flushedBlock: Bytes | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly disk: CoinsDisk,
    /** Budget in bytes (COIN_ENTRY_BYTES per entry); over it, a flush also empties the cache. */
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.size * COIN_ENTRY_BYTES;
  }

  /** Changes not yet on disk. */
  get dirtyCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.dirty) n++;
    return n;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Something in memory is not on disk yet (changed coins, or the marker). */
  get needsFlush(): boolean {
    if (this.bestBlock && !sameBytes(this.bestBlock, this.flushedBlock)) return true;
    for (const e of this.entries.values()) if (e.dirty) return true;
    return false;
  }

  get overBudget(): boolean {
    return this.bytes > this.maxBytes;
  }

  /** Coins by outpoint; those not in memory are read from disk in one call and kept (clean). */
  async getMany(
    outpoints: ReadonlyArray<{ txid: Bytes; index: number; key?: string }>,
  ): Promise<Array<Coin | undefined>> {
    const out: Array<Coin | undefined> = new Array(outpoints.length);
    const missing: number[] = [];
    const keysOf: string[] = [];
    outpoints.forEach((o, i) => {
      const key = o.key ?? outpointKey(o.txid, o.index);
      keysOf.push(key);
      const e = this.entries.get(key);
      if (e) out[i] = e.coin ?? undefined;
      else missing.push(i);
    });
    if (missing.length === 0) return out;
    const values = await this.disk.getMany(
      missing.map((i) => KEYS.coin.key({ txid: outpoints[i]!.txid, index: outpoints[i]!.index })),
    );
    values.forEach((v, j) => {
      const i = missing[j]!;
      const key = keysOf[i]!;
      // A write may have landed while the disk was read: memory is newer.
      const now = this.entries.get(key);
      if (now) {
        out[i] = now.coin ?? undefined;
        return;
      }
      if (v === undefined) return;
      const coin = decodeCoin(v);
      this.entries.set(key, { coin, dirty: false, fresh: false });
      out[i] = coin;
    });
    return out;
  }

  /**
   * Adds a coin. `mayBeOnDisk` is false only for an output created by a connect and not touched
   * before in the same change set: then it cannot be on disk, and if spent before a flush it is forgotten.
   */
  add(key: string, coin: Coin, mayBeOnDisk: boolean): void {
    const e = this.entries.get(key);
    if (e) {
      e.coin = coin;
      e.dirty = true;
      // A spent entry not yet written may still be on disk: overwriting it must reach the disk.
      e.fresh = e.fresh && !mayBeOnDisk;
      return;
    }
    this.entries.set(key, { coin, dirty: true, fresh: !mayBeOnDisk });
  }

  spend(key: string): void {
    const e = this.entries.get(key);
    if (e?.fresh) {
      this.entries.delete(key);
      return;
    }
    if (e) {
      e.coin = null;
      e.dirty = true;
    } else {
      this.entries.set(key, { coin: null, dirty: true, fresh: false });
    }
  }

  /** Writes every dirty coin and the marker in one batch; then forgets spent entries (and all, if over budget). */
  flush(extra: Op[] = []): Promise<void> {
    const run = this.flushing.then(() => this.write(extra));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async write(extra: Op[]): Promise<void> {
    const ops: Op[] = [...extra];
    const written: Array<[string, CacheEntry, Coin | null]> = [];
    for (const [key, e] of this.entries) {
      if (!e.dirty) continue;
      const colon = key.indexOf(':');
      const coinKey = KEYS.coin.key({
        txid: fromHex(key.slice(0, colon)),
        index: Number(key.slice(colon + 1)),
      });
      ops.push(
        e.coin ? { type: 'put', key: coinKey, value: encodeCoin(e.coin) } : { type: 'del', key: coinKey },
      );
      written.push([key, e, e.coin]);
    }
    const marker = this.bestBlock;
    if (marker) ops.push({ type: 'put', key: META.coinsTip.key, value: META.coinsTip.value.encode(marker) });
    if (ops.length > 0) await this.disk.batch(ops);
    this.flushedBlock = marker;
    for (const [key, e, coin] of written) {
      e.fresh = false;
      // Changed again while the batch was written: still dirty.
      if (e.coin !== coin || this.entries.get(key) !== e) continue;
      if (coin === null) this.entries.delete(key);
      else e.dirty = false;
    }
    if (this.overBudget) for (const [key, e] of this.entries) if (!e.dirty) this.entries.delete(key);
  }
}

function sameBytes(a: Bytes, b: Bytes | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
