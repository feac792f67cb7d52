// A view of the UTXO set during a connect or a reorganisation: pending changes layered over the coins
// cache, so that a whole reorganisation is computed in memory, its batch written, and only then applied.

import type { Block } from '../core/block.js';
import { outpointKey } from '../core/tx.js';
import type { Coin, CoinView } from '../core/validation.js';
import type { CoinsCache } from '../store/coins-cache.js';

interface Change {
  readonly coin: Coin | null;
  /** False for an output created here that cannot be on disk (see CoinsCache.add). */
  readonly mayBeOnDisk: boolean;
}

export class CoinOverlay implements CoinView {
  private readonly changes = new Map<string, Change>();
  /** Coins read for the blocks being connected. */
  private readonly fetched = new Map<string, Coin>();

  constructor(private readonly coins: CoinsCache) {}

  get(key: string): Coin | undefined {
    const changed = this.changes.get(key);
    if (changed !== undefined) return changed.coin ?? undefined;
    return this.fetched.get(key);
  }

  /** An output created by a connect. */
  create(key: string, coin: Coin): void {
    this.changes.set(key, { coin, mayBeOnDisk: this.changes.has(key) || this.fetched.has(key) });
  }

  /** A coin given back by a disconnect (from undo data). */
  restore(key: string, coin: Coin): void {
    this.changes.set(key, { coin, mayBeOnDisk: true });
  }

  spend(key: string): void {
    const prev = this.changes.get(key);
    // Created here and never on disk nor in the cache: nothing to remember.
    if (prev?.coin && !prev.mayBeOnDisk && !this.coins.has(key)) this.changes.delete(key);
    else this.changes.set(key, { coin: null, mayBeOnDisk: true });
  }

  /**
   * Reads, in one call, every coin the block spends that is not already known here. Resolves to the
   * outpoint keys of each transaction's inputs (the coinbase's: none), for BlockConnector.
   */
  async prefetch(block: Block): Promise<string[][]> {
    const keys: string[][] = [[]];
    const wanted: Array<{ key: string; txid: Uint8Array; index: number }> = [];
    for (let i = 1; i < block.txs.length; i++) {
      const txKeys: string[] = [];
      for (const input of block.txs[i]!.inputs) {
        const key = outpointKey(input.prevTxid, input.prevIndex);
        txKeys.push(key);
        if (!this.changes.has(key) && !this.fetched.has(key)) {
          wanted.push({ key, txid: input.prevTxid, index: input.prevIndex });
        }
      }
      keys.push(txKeys);
    }
    if (wanted.length === 0) return keys;
    const coins = await this.coins.getMany(wanted);
    coins.forEach((coin, i) => {
      if (coin) this.fetched.set(wanted[i]!.key, coin);
    });
    return keys;
  }

  /** Hands the changes to the cache (once their batch is written). */
  applyTo(cache: CoinsCache): void {
    for (const [key, change] of this.changes) {
      if (change.coin) cache.add(key, change.coin, change.mayBeOnDisk);
      else cache.spend(key);
    }
  }
}
