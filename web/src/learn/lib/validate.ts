// The validation step-through: a block with its parent's context and the coins it spends, run rule by
// rule through the core's sanitySteps, contextSteps and connectSteps (the order of docs/protocol.md);
// and ready-made edits, each breaking one rule while keeping every earlier rule satisfied.
import { type Block, commitSignatures, computeMerkleRoot } from '../../../../src/core/block.js';
import { fromHex } from '../../../../src/core/bytes.js';
import {
  isRetargetHeight,
  medianTimePast,
  nextBits,
  retargetWindowStart,
} from '../../../../src/core/difficulty.js';
import { headerHash } from '../../../../src/core/header.js';
import { MAX_FUTURE_SECONDS, type NetworkParams } from '../../../../src/core/params.js';
import { bitsToTarget, hashMeetsTarget, targetToBits } from '../../../../src/core/pow.js';
import { decodeCoinbaseData, encodeCoinbaseData, outpointKey, type Tx } from '../../../../src/core/tx.js';
import type { BlockContext, Coin } from '../../../../src/core/validation.js';
import {
  connectSteps,
  contextSteps,
  type RuleStep,
  sanitySteps,
} from '../../../../src/core/validation-steps.js';
import { decodeAddress } from '../../../../src/crypto/address.js';
import { verify } from '../../../../src/crypto/ed25519.js';
import { solveBlock } from '../../../../src/miner/template.js';
import type { TxJson } from '../../api/types.js';

export interface ValidationRun {
  readonly sanity: readonly RuleStep[];
  /** Empty when an earlier level failed: the node stops there. */
  readonly context: readonly RuleStep[];
  readonly connect: readonly RuleStep[];
}

const failed = (steps: readonly RuleStep[]) => steps.some((s) => s.status === 'fail');

/**
 * Sanity, then (if it passed) context, then (if that passed) connect: as the node runs them. A null
 * context (the genesis block) runs sanity only.
 */
export function runValidation(
  block: Block,
  ctx: BlockContext | null,
  coins: ReadonlyMap<string, Coin>,
  params: NetworkParams,
  now: number,
): ValidationRun {
  const sanity = sanitySteps(block, params, now);
  if (!ctx || failed(sanity)) return { sanity, context: [], connect: [] };
  const context = contextSteps(block, ctx);
  const connect = failed(context) ? [] : connectSteps(block, ctx.height, coins, params, verify);
  return { sanity, context, connect };
}

/** The context of a block at `height` from its ancestors on the active chain (any order, oldest needed). */
export function contextFromAncestors(
  params: NetworkParams,
  height: number,
  ancestors: readonly { height: number; time: number; bits: number }[],
): BlockContext {
  const byHeight = new Map(ancestors.map((a) => [a.height, a]));
  const parent = byHeight.get(height - 1);
  if (!parent) throw new Error(`the parent at height ${height - 1} is missing`);
  const times: number[] = [];
  for (let h = Math.max(0, height - 11); h < height; h++) times.push(byHeight.get(h)!.time);
  const retarget = isRetargetHeight(params, height);
  const window = retarget
    ? { firstTime: byHeight.get(retargetWindowStart(params, height))!.time, lastTime: parent.time }
    : undefined;
  return {
    height,
    expectedBits: nextBits(params, height, parent.bits, window),
    medianTimePast: medianTimePast(times),
    ...(retarget ? { retargetParentTime: parent.time } : {}),
  };
}

/** The coins a block spends, from the transactions that created them (as the API shows them). */
export function coinsFromTxs(prevTxs: readonly TxJson[], addressPrefix: string): Map<string, Coin> {
  const coins = new Map<string, Coin>();
  for (const t of prevTxs) {
    if (!t.block) continue;
    for (const o of t.outputs) {
      coins.set(outpointKey(t.txid, o.index), {
        amount: BigInt(o.amount),
        address: decodeAddress(addressPrefix, o.address),
        height: t.block.height,
        coinbase: t.coinbase,
      });
    }
  }
  return coins;
}

/**
 * The block with its coinbase's signature root and its Merkle root recomputed and a nonce found for
 * its target (bounded), or null.
 */
export function remine(block: Block, maxTries = 2_000_000): Block | null {
  const committed = commitSignatures(block);
  const fixed = { ...committed, header: { ...block.header, merkleRoot: computeMerkleRoot(committed.txs) } };
  return solveBlock(fixed, maxTries);
}

/** A nonce whose hash misses the target: the header no longer proves its work. */
function unmine(block: Block): Block | null {
  const target = bitsToTarget(block.header.bits);
  if (target === null) return null;
  for (let nonce = 0; nonce < 10_000; nonce++) {
    const header = { ...block.header, nonce };
    if (!hashMeetsTarget(headerHash(header), target)) return { ...block, header };
  }
  return null;
}

const withTx = (block: Block, i: number, edit: (tx: Tx) => Tx): Block => ({
  ...block,
  txs: block.txs.map((tx, j) => (j === i ? edit(tx) : tx)),
});
const withHeader = (block: Block, change: Partial<Block['header']>): Block => ({
  ...block,
  header: { ...block.header, ...change },
});

function flipSignatureBit(tx: Tx): Tx {
  return {
    ...tx,
    inputs: tx.inputs.map((input, i) => {
      if (i > 0) return input;
      const signature = input.signature.slice();
      signature[0] = (signature[0] ?? 0) ^ 1;
      return { ...input, signature };
    }),
  };
}

export interface BlockEdit {
  readonly id: string;
  readonly label: string;
  /** The rule code the edited block must fail with. */
  readonly breaks: string;
  readonly apply: (block: Block, ctx: BlockContext, now: number) => Block | null;
}

export const BLOCK_EDITS: readonly BlockEdit[] = [
  {
    id: 'version',
    label: 'Header version 2',
    breaks: 'bad-version',
    apply: (b) => withHeader(b, { version: 2 }),
  },
  { id: 'unmine', label: 'A nonce that misses the target', breaks: 'bad-pow', apply: unmine },
  {
    id: 'future',
    label: 'Time 3 hours ahead (re-mined)',
    breaks: 'time-too-new',
    apply: (b, _c, now) => remine(withHeader(b, { time: now + MAX_FUTURE_SECONDS + 3600 })),
  },
  {
    id: 'merkle',
    label: 'Change one transaction, keep the old Merkle root (re-mined)',
    breaks: 'bad-merkle-root',
    apply: (b) =>
      solveBlock(
        withTx(b, 0, (tx) => ({ ...tx, data: Uint8Array.from([...tx.data, 0]) })),
        2_000_000,
      ),
  },
  {
    id: 'duplicate',
    label: 'List the last transaction twice (re-mined)',
    breaks: 'duplicate-tx',
    apply: (b) => remine({ ...b, txs: [...b.txs, b.txs[b.txs.length - 1]!] }),
  },
  {
    id: 'no-coinbase',
    label: 'Put the coinbase second (re-mined)',
    breaks: 'bad-coinbase',
    apply: (b) => remine({ ...b, txs: [...b.txs.slice(1), b.txs[0]!] }),
  },
  {
    id: 'no-outputs',
    label: 'Remove every output of the last transaction (re-mined)',
    breaks: 'no-outputs',
    apply: (b) => remine(withTx(b, b.txs.length - 1, (tx) => ({ ...tx, outputs: [] }))),
  },
  {
    id: 'old-time',
    label: 'Time at the median of the last 11 blocks (re-mined)',
    breaks: 'time-too-old',
    apply: (b, c) => remine(withHeader(b, { time: c.medianTimePast })),
  },
  {
    id: 'bits',
    label: 'Other bits than the chain requires (re-mined)',
    breaks: 'bad-bits',
    apply: (b, c) => remine(withHeader(b, { bits: targetToBits(bitsToTarget(c.expectedBits)! / 2n) })),
  },
  {
    id: 'coinbase-height',
    label: 'Coinbase claims another height (re-mined)',
    breaks: 'bad-coinbase-height',
    apply: (b) =>
      remine(
        withTx(b, 0, (tx) => {
          const d = decodeCoinbaseData(tx.data);
          return { ...tx, data: encodeCoinbaseData(d.height + 1, d.extraNonce, d.sigRoot, d.text) };
        }),
      ),
  },
  {
    id: 'missing',
    label: 'Transaction 1 spends an output that does not exist (re-mined)',
    breaks: 'missing-inputs',
    apply: (b) =>
      b.txs.length < 2
        ? null
        : remine(
            withTx(b, 1, (tx) => ({
              ...tx,
              inputs: tx.inputs.map((i) => ({ ...i, prevIndex: i.prevIndex + 1000 })),
            })),
          ),
  },
  {
    id: 'overpay',
    label: 'Coinbase pays itself one unit more (re-mined)',
    breaks: 'bad-coinbase-amount',
    apply: (b) =>
      remine(
        withTx(b, 0, (tx) => ({
          ...tx,
          outputs: tx.outputs.map((o, i) => (i === 0 ? { ...o, amount: o.amount + 1n } : o)),
        })),
      ),
  },
  {
    id: 'signature',
    label:
      "Flip one bit of a signature (the txid, root and hash stay the same; the coinbase's signature root does not)",
    breaks: 'bad-sig-commitment',
    apply: (b) => (b.txs.length < 2 ? null : withTx(b, 1, flipSignatureBit)),
  },
  {
    id: 'signature-committed',
    label: 'Flip one bit of a signature and commit to it in the coinbase (re-mined)',
    breaks: 'bad-signature',
    apply: (b) => (b.txs.length < 2 ? null : remine(withTx(b, 1, flipSignatureBit))),
  },
];

/** The hex of a 32-byte field edited by hand, or null when it is not 64 hex characters. */
export const parseHash = (text: string): Uint8Array | null =>
  /^[0-9a-f]{64}$/i.test(text.trim()) ? fromHex(text.trim()) : null;
