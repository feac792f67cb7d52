// A view of the UTXO set during a connect or a reorganisation: pending changes layered over the store,
// so that a whole reorganisation can be computed in memory and then written as one batch.

import type { Block } from '../core/block.js';
import { fromHex } from '../core/bytes.js';
import { outpointKey } from '../core/tx.js';
import type { Coin, CoinView } from '../core/validation.js';
import type { ChainStore } from '../store/store.js';

export class CoinOverlay implements CoinView {
  /** key → coin, or null for a coin spent by a pending change. */
  private readonly changes = new Map<string, Coin | null>();
  /** Coins read from the store for the block being connected. */
  private readonly fetched = new Map<string, Coin>();

  constructor(private readonly store: ChainStore) {}

  get(key: string): Coin | undefined {
    const changed = this.changes.get(key);
    if (changed !== undefined) return changed ?? undefined;
    return this.fetched.get(key);
  }

  set(key: string, coin: Coin): void {
    this.changes.set(key, coin);
  }

  spend(key: string): void {
    this.changes.set(key, null);
  }

  /** Reads from the store, in one call, every coin the block spends that is not already known here. */
  async prefetch(block: Block): Promise<void> {
    const wanted: Array<{ key: string; txid: Uint8Array; index: number }> = [];
    for (let i = 1; i < block.txs.length; i++) {
      for (const input of block.txs[i]!.inputs) {
        const key = outpointKey(input.prevTxid, input.prevIndex);
        if (!this.changes.has(key) && !this.fetched.has(key)) {
          wanted.push({ key, txid: input.prevTxid, index: input.prevIndex });
        }
      }
    }
    const coins = await this.store.getCoins(wanted);
    coins.forEach((coin, i) => {
      if (coin) this.fetched.set(wanted[i]!.key, coin);
    });
  }
}

export function parseOutpointKey(key: string): { txid: Uint8Array; index: number } {
  const [hex, index] = key.split(':');
  return { txid: fromHex(hex!), index: Number(index) };
}
