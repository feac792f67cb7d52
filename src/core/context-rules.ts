// The contextual rules: a header, then a block, on its parent. In the order checkBlockContext runs them.
import type { Block } from './block.js';
import type { BlockHeader } from './header.js';
import { isFinalTx } from './locks.js';
import { MAX_TIMEWARP_SECONDS } from './params.js';
import { broken, type Rule } from './rule.js';
import { decodeCoinbaseData, isCoinbase, txLockTime } from './tx.js';

// ---------------------------------------------------------------------------------------------
// Context: the block on its parent

/** What a block needs to know about its place in the chain. */
export interface BlockContext {
  readonly height: number;
  /** Bits the chain requires at this height (see nextBits). */
  readonly expectedBits: number;
  /** Median time past of the previous 11 blocks (see medianTimePast). */
  readonly medianTimePast: number;
  /**
   * At a retarget height (see isRetargetHeight), the parent's time: the last block of the previous
   * window, which the block may precede by at most MAX_TIMEWARP_SECONDS. Absent at other heights.
   */
  readonly retargetParentTime?: number;
}

export interface HeaderInContext {
  readonly header: BlockHeader;
  readonly ctx: BlockContext;
}

export const HEADER_CONTEXT_RULES: readonly Rule<HeaderInContext>[] = [
  {
    level: 'context',
    code: 'bad-bits',
    description: 'bits are the ones the chain requires',
    check: ({ header, ctx }) => {
      if (header.bits !== ctx.expectedBits) {
        broken(
          'bad-bits',
          `bits 0x${header.bits.toString(16)} but the chain requires 0x${ctx.expectedBits.toString(16)}`,
        );
      }
    },
  },
  {
    level: 'context',
    code: 'time-too-old',
    description: 'time above the median of the last 11 blocks',
    check: ({ header, ctx }) => {
      if (header.time <= ctx.medianTimePast) {
        broken(
          'time-too-old',
          `block time ${header.time} is not above the median time past ${ctx.medianTimePast}`,
        );
      }
    },
  },
  {
    // Without this, a miner can date each window's last block far ahead and the next window's first
    // far back, so every window looks slow and the difficulty falls without bound (time-warp attack).
    level: 'context',
    code: 'time-timewarp-attack',
    description: `at a retarget height, time at most ${MAX_TIMEWARP_SECONDS} s before the parent's`,
    check: ({ header, ctx }) => {
      if (
        ctx.retargetParentTime !== undefined &&
        header.time < ctx.retargetParentTime - MAX_TIMEWARP_SECONDS
      ) {
        broken(
          'time-timewarp-attack',
          `block time ${header.time} is more than ${MAX_TIMEWARP_SECONDS} s before its parent's ${ctx.retargetParentTime}`,
        );
      }
    },
  },
];

export interface BlockInContext extends HeaderInContext {
  readonly block: Block;
}

export const BLOCK_CONTEXT_RULES: readonly Rule<BlockInContext>[] = [
  ...HEADER_CONTEXT_RULES,
  {
    level: 'context',
    code: 'bad-coinbase-height',
    description: 'the coinbase carries the block height',
    check: ({ block, ctx }) => {
      if (decodeCoinbaseData(block.txs[0]!.data).height !== ctx.height) {
        broken('bad-coinbase-height', `the coinbase does not carry height ${ctx.height}`);
      }
    },
  },
  {
    level: 'context',
    code: 'non-final',
    description: "every transaction's lock time is reached",
    check: ({ block, ctx }) => {
      for (const [i, tx] of block.txs.entries()) {
        if (!isCoinbase(tx) && !isFinalTx(tx, ctx.height, ctx.medianTimePast)) {
          broken(
            'non-final',
            `transaction ${i}'s lock time ${txLockTime(tx)} is not reached at height ${ctx.height} (median time past ${ctx.medianTimePast})`,
          );
        }
      }
    },
  },
];
