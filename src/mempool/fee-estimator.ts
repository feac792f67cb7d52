// Fee estimation, pure: from the mempool's projected blocks and the fee rates recent blocks included,
// the fee rate (base units per byte, a whole number) likely to confirm within 1, 3 and 6 blocks.
// docs/api.md ("Fee estimates") states the method; this file is its only home.
import type { SelectedPackage } from './select.js';

/** The confirmation targets answered, in blocks. */
export const FEE_TARGETS = [1, 3, 6] as const;
export type FeeTarget = (typeof FEE_TARGETS)[number];

/** Recent blocks looked at. */
export const HISTORY_BLOCKS = 12;
/** A block whose transactions fill this share of the room a block has for them was full. */
export const FULL_BLOCK_SHARE = 0.95;
/** The chance, over the target's blocks, that a transaction paying the estimate gets in. */
export const CONFIDENCE = 0.8;
/** The percentile of a full block's included fee rates taken as its entry price (robust to a few low CPFP parents). */
export const FULL_BLOCK_PERCENTILE = 0.1;

/** What a recent block shows of its fee market. */
export interface BlockFeeStats {
  readonly height: number;
  /** Serialized bytes of its non-coinbase transactions. */
  readonly txBytes: number;
  /** Fee rates of its non-coinbase transactions (fee / size). */
  readonly feeRates: readonly number[];
}

/** A block the miner would build from the pool now (block 1), then from what is left (2, 3, …). */
export interface ProjectedBlock {
  readonly count: number;
  readonly bytes: number;
  readonly fees: bigint;
  /** Lowest and highest fee rate of its transactions; 0 for an empty block. */
  readonly minFeeRate: number;
  readonly maxFeeRate: number;
  /** Lowest fee rate of the packages taken into it: what a newcomer must beat to get in. */
  readonly minPackageRate: number;
  /** The next package did not fit: a newcomer paying less than minPackageRate waits. */
  readonly full: boolean;
}

export interface FeeInputs {
  /** The node's minimum relay fee rate: no estimate is below it. */
  readonly minFeeRate: number;
  /** Recent blocks, any order; the last HISTORY_BLOCKS by height are used. */
  readonly history: readonly BlockFeeStats[];
  /** Room for transactions in one block, in bytes. */
  readonly blockTxBytes: number;
  readonly projected: readonly ProjectedBlock[];
}

export interface TargetEstimate {
  readonly blocks: FeeTarget;
  /** The estimate: the highest of the three figures below, rounded up, never above a shorter target's. */
  readonly feeRate: number;
  /** The rate that beats the packages filling the projected blocks up to this one; null when they are not full. */
  readonly mempool: number | null;
  /** The percentile of recent blocks' entry prices; null without history. */
  readonly history: number | null;
}

export interface FeeEstimate {
  readonly floor: number;
  readonly targets: readonly TargetEstimate[];
  readonly historyBlocks: number;
  readonly fullBlocks: number;
}

/**
 * Cuts the selection order into consecutive blocks of at most `blockTxBytes`: a package that does not
 * fit closes the block (which is then full) and opens the next. At most `count` blocks.
 */
export function projectBlocks(
  packages: readonly SelectedPackage[],
  blockTxBytes: number,
  count: number,
): ProjectedBlock[] {
  const blocks: ProjectedBlock[] = [];
  let current: SelectedPackage[] = [];
  let bytes = 0;
  const close = (full: boolean) => {
    if (current.length > 0) blocks.push(summarise(current, full));
    current = [];
    bytes = 0;
  };
  for (const p of packages) {
    if (bytes + p.size > blockTxBytes) {
      close(true);
      if (blocks.length >= count) return blocks;
    }
    current.push(p);
    bytes += p.size;
  }
  close(false);
  return blocks.slice(0, count);
}

function summarise(packages: readonly SelectedPackage[], full: boolean): ProjectedBlock {
  let count = 0;
  let bytes = 0;
  let fees = 0n;
  let minFeeRate = Number.POSITIVE_INFINITY;
  let maxFeeRate = 0;
  let minPackageRate = Number.POSITIVE_INFINITY;
  for (const p of packages) {
    bytes += p.size;
    fees += p.fee;
    minPackageRate = Math.min(minPackageRate, Number(p.fee) / p.size);
    for (const e of p.entries) {
      count++;
      minFeeRate = Math.min(minFeeRate, e.feeRate);
      maxFeeRate = Math.max(maxFeeRate, e.feeRate);
    }
  }
  return { count, bytes, fees, minFeeRate, maxFeeRate, minPackageRate, full };
}

/** Nearest-rank percentile of `values` (q in 0..1); undefined for none. */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * The share of blocks a rate must have been enough for, so that one of `blocks` blocks in a row takes
 * it with probability CONFIDENCE: 1 − (1 − CONFIDENCE)^(1/blocks) (0.8 for 1 block, 0.42 for 3, 0.24 for 6).
 */
export const historyShare = (blocks: number): number => 1 - (1 - CONFIDENCE) ** (1 / blocks);

/** The rate a block asked of a newcomer: the low percentile of its rates if it was full, else the floor. */
function entryPrice(block: BlockFeeStats, blockTxBytes: number, floor: number): number {
  if (block.txBytes < FULL_BLOCK_SHARE * blockTxBytes) return floor;
  return Math.max(floor, percentile(block.feeRates, FULL_BLOCK_PERCENTILE) ?? floor);
}

/** The smallest whole rate strictly above `rate` (a tie loses to the older transaction). */
const above = (rate: number): number => Math.floor(rate) + 1;

export function estimateFees(input: FeeInputs): FeeEstimate {
  const floor = Math.max(0, Math.ceil(input.minFeeRate));
  const recent = [...input.history].sort((a, b) => b.height - a.height).slice(0, HISTORY_BLOCKS);
  const prices = recent.map((b) => entryPrice(b, input.blockTxBytes, floor));
  const fullBlocks = prices.filter((_, i) => recent[i]!.txBytes >= FULL_BLOCK_SHARE * input.blockTxBytes);
  const targets: TargetEstimate[] = [];
  let ceiling = Number.POSITIVE_INFINITY;
  for (const blocks of FEE_TARGETS) {
    const projected = input.projected[blocks - 1];
    const mempool = projected?.full ? above(projected.minPackageRate) : null;
    const past = percentile(prices, historyShare(blocks));
    const history = past === undefined ? null : Math.ceil(past);
    const feeRate = Math.min(ceiling, Math.max(floor, mempool ?? floor, history ?? floor));
    ceiling = feeRate;
    targets.push({ blocks, feeRate, mempool, history });
  }
  return { floor, targets, historyBlocks: recent.length, fullBlocks: fullBlocks.length };
}
