// GET /api/v1/chain/tree: the block index around the tip, side branches and orphans included.
import { type Static, Type } from '@sinclair/typebox';
import { Hash, Height, Obj } from './common.js';

export const TreeBlockSchema = Obj({
  hash: Hash,
  height: Height,
  previousHash: Hash,
  bits: Type.String({ description: 'compact target, 8 hex digits' }),
  chainWork: Type.String({ description: 'cumulative work up to this block, a decimal string' }),
  status: Type.Union([Type.Literal('valid'), Type.Literal('stored'), Type.Literal('invalid')], {
    description: 'valid: connected once; stored: a side block never connected; invalid: broke a rule',
  }),
  active: Type.Boolean({ description: 'on the active chain' }),
});

export const OrphanSchema = Obj({
  hash: Hash,
  height: Type.Integer({ description: 'from its coinbase' }),
  previousHash: Hash,
});

export const ChainTreeSchema = Obj({
  tip: Hash,
  from: Height,
  blocks: Type.Array(TreeBlockSchema, { description: 'ascending height, active first at each height' }),
  omitted: Type.Integer({
    description: 'blocks in the range left out by the caps (8 per height, 500 in all); side ones go first',
  }),
  orphans: Type.Array(OrphanSchema, { description: 'blocks waiting for their parent' }),
});

export type TreeBlockJson = Static<typeof TreeBlockSchema>;
export type ChainTreeJson = Static<typeof ChainTreeSchema>;
