// The explorer index, off the consensus path: tx locations ('T'), address history ('A') with its
// per-address counts ('C'), and coins by address ('X'). It has its own tip (meta 'index-tip') and
// follows the chain after connects, many blocks per batch: when the chain has been quiet for a moment,
// when it falls `lagBlocks` behind, and whenever a reader asks. Its reads (ExplorerIndex) wait for it
// to reach the chain's tip first, so a read after a block's answer sees the block. While blocks keep
// coming (a sync), it waits: connecting is consensus work only, and the index catches up after.
// Nothing on the consensus or mempool path reads the index (the mempool asks the coins instead).
//
// It needs only stored data: blocks and their undo data, which the chain keeps for blocks it takes off
// the active chain, so the indexer can take them out of its entries later.
import { toHex } from '../core/bytes.js';
import { outpointKey } from '../core/tx.js';
import type { Coin } from '../core/validation.js';
import type { BlockStore } from '../store/block-store.js';
import type { SpentCoin } from '../store/codec.js';
import type { CoinStore } from '../store/coin-store.js';
import type { AddressDelta, ExplorerStore, ExplorerWrites, TxLocation } from '../store/explorer-store.js';
import { unrefTimer } from '../util/timers.js';
import { addressDeltas } from './address-deltas.js';
import { type DecodedBlock, loadForConnect } from './connect.js';
import { type ChainEntry, findFork } from './entry.js';

export interface IndexerOptions {
  /** Blocks behind the chain that start a catch-up at once, even while blocks keep coming (default 1,000). */
  readonly lagBlocks?: number;
  /** Quiet time after a connect before catching up, ms (default 25). */
  readonly idleMs?: number;
  /**
   * Most blocks in one batch (default 32). A batch is one LevelDB write, which LevelDB holds whole in its
   * memtable: batches of 256 blocks of 100 payments (~150,000 writes) raised a long import's peak RSS by
   * 150-250 MB, and smaller ones index as fast (bench/long-import.ts).
   */
  readonly batchBlocks?: number;
}

/**
 * Size of the blocks kept decoded for the indexer, at most, counted in transactions plus their inputs
 * and outputs (what a decoded block's heap grows with: a block of 100 payments, 402 items, takes
 * ~220 kB, ~550 bytes an item, so ~11 MB at most, about 50 such blocks); beyond, it reads blocks back
 * from the store. Counting transactions alone let a few big transactions per block hold gigabytes; at
 * 100,000 items the window held ~55 MB during a long import.
 */
export const RECENT_ITEMS_LIMIT = 20_000;

/** What a decoded block weighs in the indexer's memory (see RECENT_ITEMS_LIMIT). */
function itemsOf(decoded: DecodedBlock): number {
  let items = 0;
  for (const tx of decoded.block.txs) items += 1 + tx.inputs.length + tx.outputs.length;
  return items;
}

/** The explorer's reads: each waits for the index to reach the chain's tip (as of the call). */
export interface ExplorerIndex {
  /** Where a confirmed transaction is. */
  txLocation(txid: Uint8Array): Promise<TxLocation | undefined>;
  /** Unspent outputs paying to an address hash. */
  addressCoins(address: Uint8Array): Promise<Array<{ txid: Uint8Array; index: number; coin: Coin }>>;
  /** Balance changes of an address, newest first. */
  addressDeltas(address: Uint8Array, opts?: { offset?: number; limit?: number }): Promise<AddressDelta[]>;
  /** How many confirmed history entries an address has (a kept count, not a scan). */
  addressTxCount(address: Uint8Array): Promise<number>;
}

/** What the indexer reads (blocks, undo data, coins) and writes (the explorer store). */
export interface IndexerStores {
  readonly explorer: ExplorerStore;
  readonly blocks: Pick<BlockStore, 'getBlockBytes' | 'getUndo'>;
  readonly coins: Pick<CoinStore, 'getCoins'>;
}

export class ExplorerIndexer implements ExplorerIndex {
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly recent = new Map<string, DecodedBlock>();
  private recentItems = 0;
  private readonly lagBlocks: number;
  private readonly idleMs: number;
  private readonly batchBlocks: number;

  constructor(
    private readonly stores: IndexerStores,
    /** The chain's active tip, read at each step. */
    private readonly chainTip: () => ChainEntry,
    /** The block the index is at. */
    private indexed: ChainEntry,
    opts: IndexerOptions = {},
    /** True while the chain imports blocks: quiet means no import running, not just no connect lately. */
    private readonly chainBusy: () => boolean = () => false,
  ) {
    this.lagBlocks = opts.lagBlocks ?? 1_000;
    this.idleMs = opts.idleMs ?? 25;
    this.batchBlocks = opts.batchBlocks ?? 32;
  }

  get tip(): ChainEntry {
    return this.indexed;
  }

  async txLocation(txid: Uint8Array): Promise<TxLocation | undefined> {
    await this.caughtUp();
    return this.stores.explorer.txLocation(txid);
  }

  async addressCoins(address: Uint8Array): Promise<Array<{ txid: Uint8Array; index: number; coin: Coin }>> {
    await this.caughtUp();
    const outpoints = await this.stores.explorer.addressOutpoints(address);
    const coins = await this.stores.coins.getCoins(outpoints);
    const out: Array<{ txid: Uint8Array; index: number; coin: Coin }> = [];
    coins.forEach((coin, i) => {
      if (coin) out.push({ ...outpoints[i]!, coin });
    });
    return out;
  }

  async addressDeltas(
    address: Uint8Array,
    opts?: { offset?: number; limit?: number },
  ): Promise<AddressDelta[]> {
    await this.caughtUp();
    return this.stores.explorer.addressDeltas(address, opts);
  }

  async addressTxCount(address: Uint8Array): Promise<number> {
    await this.caughtUp();
    return (await this.stores.explorer.addressCounts([address]))[0]!;
  }

  /** The chain connected a block: keep it decoded for the catch-up, and schedule one. */
  noteConnected(entry: ChainEntry, decoded: DecodedBlock): void {
    const items = itemsOf(decoded);
    if (this.recentItems + items <= RECENT_ITEMS_LIMIT) {
      this.recent.set(entry.hashHex, decoded);
      this.recentItems += items;
    }
    this.schedule();
  }

  /** Catches up soon: now if far behind, otherwise once the chain is quiet. */
  schedule(): void {
    if (this.closed) return;
    if (this.chainTip().height - this.indexed.height >= this.lagBlocks) {
      void this.caughtUp().catch(() => undefined);
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.chainBusy()) this.schedule();
      else void this.caughtUp().catch(() => undefined);
    }, this.idleMs);
    unrefTimer(this.timer);
  }

  /** Resolves once the index is at the chain's tip (as of the call, or later). */
  caughtUp(): Promise<void> {
    if (this.closed || this.indexed === this.chainTip()) return this.queue;
    const run = this.queue.then(() => this.catchUp());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops scheduling and waits for the batch in flight (the index resumes from its tip next time). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.queue;
  }

  private async catchUp(): Promise<void> {
    // Bounded: each round moves at least one block, and the chain cannot outrun it forever.
    for (let round = 0; round < 10_000 && !this.closed; round++) {
      const target = this.chainTip();
      if (target === this.indexed) return;
      await this.step(target);
    }
  }

  /** One batch towards `target`: take blocks off to the fork, then index up to batchBlocks blocks. */
  private async step(target: ChainEntry): Promise<void> {
    const fork = findFork(this.indexed, target);
    const batch = this.stores.explorer.writes();
    const counts = new Map<string, { address: Uint8Array; change: number }>();
    let at = this.indexed;
    let moved = 0;
    while (at !== fork && moved < this.batchBlocks) {
      await this.writeBlock(batch, counts, at, -1);
      at = at.parent!;
      moved++;
    }
    if (at === fork) {
      const up: ChainEntry[] = [];
      for (let e: ChainEntry = target; e !== fork; e = e.parent!) up.push(e);
      for (let i = up.length - 1; i >= 0 && moved < this.batchBlocks; i--, moved++) {
        await this.writeBlock(batch, counts, up[i]!, 1);
        at = up[i]!;
      }
    }
    await this.writeCounts(batch, counts);
    await batch.putIndexTip(at.hash).write();
    this.indexed = at;
    // At the tip, what is left was taken off the chain before it was indexed.
    if (at === this.chainTip()) {
      this.recent.clear();
      this.recentItems = 0;
    }
  }

  /** Adds (direction 1) or removes (-1) a block's explorer entries. */
  private async writeBlock(
    batch: ExplorerWrites,
    counts: Map<string, { address: Uint8Array; change: number }>,
    entry: ChainEntry,
    direction: 1 | -1,
  ): Promise<void> {
    const kept = this.recent.get(entry.hashHex);
    const decoded = kept ?? (await loadForConnect(this.stores.blocks, entry));
    if (kept && direction === 1) {
      this.recent.delete(entry.hashHex);
      this.recentItems -= itemsOf(kept);
    }
    const { block, txids } = decoded;
    const undo: SpentCoin[] = (await this.stores.blocks.getUndo(entry.hash)) ?? [];
    txids.forEach((id, i) => {
      if (direction === 1) batch.putTxLocation(id, entry.hash, i);
      else batch.delTxLocation(id);
    });
    for (const d of addressDeltas(block, txids, undo)) {
      if (direction === 1) batch.putAddressDelta(d.address, entry.height, d.txid, d.delta);
      else batch.delAddressDelta(d.address, entry.height, d.txid);
      const hex = toHex(d.address);
      const c = counts.get(hex);
      if (c) c.change += direction;
      else counts.set(hex, { address: d.address, change: direction });
    }
    // Coins by address: the block's outputs that it did not spend itself, and the coins it spent.
    const spentHere = new Set<string>();
    for (const tx of block.txs)
      for (const input of tx.inputs) spentHere.add(outpointKey(input.prevTxid, input.prevIndex));
    block.txs.forEach((tx, i) => {
      tx.outputs.forEach((out, index) => {
        if (spentHere.has(outpointKey(txids[i]!, index))) return;
        if (direction === 1) batch.putAddressCoin(out.address, txids[i]!, index);
        else batch.delAddressCoin(out.address, txids[i]!, index);
      });
    });
    for (const u of undo) {
      if (direction === 1) batch.delAddressCoin(u.coin.address, u.txid, u.index);
      else batch.putAddressCoin(u.coin.address, u.txid, u.index);
    }
  }

  private async writeCounts(
    batch: ExplorerWrites,
    counts: Map<string, { address: Uint8Array; change: number }>,
  ): Promise<void> {
    const changed = [...counts.values()].filter((c) => c.change !== 0);
    const now = await this.stores.explorer.addressCounts(changed.map((c) => c.address));
    changed.forEach((c, i) => {
      batch.putAddressCount(c.address, now[i]! + c.change);
    });
  }
}
