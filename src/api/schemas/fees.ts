// GET /api/v1/fees: fee estimates for 1, 3 and 6 blocks, how they were reached, and the projected blocks.
import { type Static, Type } from '@sinclair/typebox';
import { Hash, Height, Nullable, Obj, Units } from './common.js';

const Rate = Type.Integer({ minimum: 0, description: 'base units per byte' });

export const ProjectedBlockSchema = Obj({
  count: Type.Integer(),
  bytes: Type.Integer(),
  fees: Units,
  minFeeRate: Type.Number({ description: 'lowest fee rate of its transactions (0 when empty)' }),
  maxFeeRate: Type.Number(),
  full: Type.Boolean({ description: 'the next package in the pool did not fit' }),
});

export const FeeTargetSchema = Obj({
  blocks: Type.Integer(),
  feeRate: Rate,
  mempool: Nullable(Rate, {
    description: 'the rate that beats the projected blocks; null when they are not full',
  }),
  history: Nullable(Rate, {
    description: "the percentile of recent blocks' entry prices; null without history",
  }),
});

export const FeesSchema = Obj({
  nextBlock: Rate,
  within3Blocks: Rate,
  within6Blocks: Rate,
  minFeeRate: Type.Number({ description: "the node's minimum relay fee rate: the floor of every estimate" }),
  targets: Type.Array(FeeTargetSchema),
  history: Obj({ blocks: Type.Integer(), fullBlocks: Type.Integer() }),
  mempool: Obj({ count: Type.Integer(), bytes: Type.Integer() }),
  projected: Type.Array(ProjectedBlockSchema, { description: 'the next block first, at most 6' }),
  height: Height,
  tip: Hash,
});

export type FeesJson = Static<typeof FeesSchema>;
export type ProjectedBlockJson = Static<typeof ProjectedBlockSchema>;
