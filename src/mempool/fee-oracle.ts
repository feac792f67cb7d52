// Gathers what the fee estimator (fee-estimator.ts, pure) reads: the fee rates of the last blocks of
// the active chain and the pool's projected blocks, and keeps the answer until the tip or the pool
// changes, so that any number of callers costs at most one projection per FEES_MIN_INTERVAL_MS.
import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import type { Block } from '../core/block.js';
import { outpointKey, txid, txSize } from '../core/tx.js';
import type { BlockStore } from '../store/block-store.js';
import {
  type BlockFeeStats,
  estimateFees,
  FEE_TARGETS,
  type FeeEstimate,
  HISTORY_BLOCKS,
  type ProjectedBlock,
  projectBlocks,
} from './fee-estimator.js';
import type { Mempool } from './mempool.js';
import { BLOCK_TX_BYTES } from './select.js';

/** At most one computation per this many milliseconds, whatever the number of callers or pool changes. */
export const FEES_MIN_INTERVAL_MS = 500;
/** Projected blocks answered (the longest target). */
export const PROJECTED_BLOCKS = FEE_TARGETS[FEE_TARGETS.length - 1];

export interface FeeReport extends FeeEstimate {
  readonly minFeeRate: number;
  readonly height: number;
  readonly tip: string;
  readonly mempool: { readonly count: number; readonly bytes: number };
  readonly projected: readonly ProjectedBlock[];
}

export interface FeeOracleOptions {
  readonly chain: Chain;
  readonly store: Pick<BlockStore, 'getUndo'>;
  readonly mempool: Mempool;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class FeeOracle {
  /** The last answer, for the tip and pool version it was computed on. */
  private cached: { key: string; report: Promise<FeeReport> } | undefined;
  /** The computation callers wait for when the last one is too recent. */
  private next: Promise<FeeReport> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Bumped on every pool change: an answer is never older than the pool. */
  private poolVersion = 0;
  /** Block stats by hash: a block's fee rates never change. At most a few windows of them. */
  private readonly stats = new Map<string, BlockFeeStats>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: FeeOracleOptions) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    opts.mempool.on('added', () => this.poolVersion++);
    opts.mempool.on('removed', () => this.poolVersion++);
  }

  private key(): string {
    return `${this.opts.chain.tip.hashHex}:${this.poolVersion}`;
  }

  /**
   * The estimates for the current tip and pool. Concurrent callers share one computation, and a new one
   * starts at most every FEES_MIN_INTERVAL_MS (a caller arriving sooner waits for it, never gets a stale answer).
   */
  report(): Promise<FeeReport> {
    if (this.cached?.key === this.key()) return this.cached.report;
    if (this.next) return this.next;
    const wait = Math.max(0, this.lastStart + FEES_MIN_INTERVAL_MS - this.now());
    const next = (wait > 0 ? this.sleep(wait) : Promise.resolve()).then(() => {
      this.lastStart = this.now();
      const key = this.key();
      const report = this.compute(this.opts.chain.tip);
      this.cached = { key, report };
      this.next = undefined;
      report.catch(() => {
        if (this.cached?.report === report) this.cached = undefined;
      });
      return report;
    });
    this.next = next;
    return next;
  }

  private async compute(tip: ChainEntry): Promise<FeeReport> {
    const { chain, mempool } = this.opts;
    // Synchronous, so the pool does not move under it.
    const projected = projectBlocks(
      mempool.selectPackages(PROJECTED_BLOCKS * BLOCK_TX_BYTES),
      BLOCK_TX_BYTES,
      PROJECTED_BLOCKS,
    );
    const pool = { count: mempool.size, bytes: mempool.bytes };
    const history: BlockFeeStats[] = [];
    for (let h = tip.height; h > Math.max(0, tip.height - HISTORY_BLOCKS); h--) {
      const entry = chain.entryAtHeight(h);
      if (!entry) break;
      const s = await this.blockStats(entry);
      if (s) history.push(s);
    }
    const estimate = estimateFees({
      minFeeRate: mempool.minFeeRate,
      history,
      blockTxBytes: BLOCK_TX_BYTES,
      projected,
    });
    return {
      ...estimate,
      minFeeRate: mempool.minFeeRate,
      height: tip.height,
      tip: tip.hashHex,
      mempool: pool,
      projected,
    };
  }

  private async blockStats(entry: ChainEntry): Promise<BlockFeeStats | undefined> {
    const known = this.stats.get(entry.hashHex);
    if (known) return known;
    const block = await this.opts.chain.getBlock(entry.hashHex);
    const undo = await this.opts.store.getUndo(entry.hash);
    if (!block || !undo) return undefined;
    const stats = feeStatsOf(entry.height, block, undo);
    this.stats.set(entry.hashHex, stats);
    // Oldest first in a Map: drop beyond a few windows (side blocks of reorgs included).
    for (const key of this.stats.keys()) {
      if (this.stats.size <= 4 * HISTORY_BLOCKS) break;
      this.stats.delete(key);
    }
    return stats;
  }
}

/** Fee rates of a block's transactions, from the coins they spent (the undo data and the block's own outputs). */
export function feeStatsOf(
  height: number,
  block: Block,
  undo: ReadonlyArray<{ txid: Uint8Array; index: number; coin: { amount: bigint } }>,
): BlockFeeStats {
  const amounts = new Map<string, bigint>();
  for (const u of undo) amounts.set(outpointKey(u.txid, u.index), u.coin.amount);
  for (const tx of block.txs) {
    const id = txid(tx);
    tx.outputs.forEach((o, i) => {
      amounts.set(outpointKey(id, i), o.amount);
    });
  }
  const feeRates: number[] = [];
  let txBytes = 0;
  for (const tx of block.txs.slice(1)) {
    let fee = 0n;
    for (const inp of tx.inputs) fee += amounts.get(outpointKey(inp.prevTxid, inp.prevIndex)) ?? 0n;
    for (const o of tx.outputs) fee -= o.amount;
    const size = txSize(tx);
    txBytes += size;
    feeRates.push(Number(fee) / size);
  }
  return { height, txBytes, feeRates };
}
