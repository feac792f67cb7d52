// Blocks, transactions and addresses as the API sends them (src/api/views.ts, queries.ts).
import { type Static, Type } from '@sinclair/typebox';
import { Hash, Height, Hex, Nullable, Obj, Units } from './common.js';

export const MerkleStepSchema = Obj({
  hash: Hash,
  side: Type.Union([Type.Literal('left'), Type.Literal('right')]),
});

export const PolicyFragmentSchema = Obj({
  depth: Type.Integer({ description: '0 for the whole policy, 1 for its arguments, …' }),
  type: Type.String({ description: 'pk, multi, after, older, sha256, and, or or thresh' }),
  text: Type.String(),
  used: Type.Boolean({ description: 'whether the witness used this fragment (the branch it took)' }),
});

export const PolicyViewSchema = Obj({
  text: Nullable(Type.String(), { description: 'null when the bytes do not decode' }),
  hex: Hex,
  fragments: Type.Array(PolicyFragmentSchema, { description: 'the policy tree in pre-order' }),
});

export const TxInputSchema = Obj({
  prevTxid: Hash,
  prevIndex: Type.Integer(),
  sequence: Type.Integer({ description: '4294967295 (final) for every version 1 input' }),
  publicKey: Hex,
  signature: Hex,
  policy: Nullable(PolicyViewSchema, {
    description: 'a policy spend: the revealed policy; null for a key spend',
  }),
  witness: Nullable(Hex, { description: "a policy spend's witness; null for a key spend" }),
  address: Nullable(Type.String(), { description: 'of the coin spent; null when not known' }),
  amount: Nullable(Units, { description: 'of the coin spent; null when not known' }),
});

export const TxOutputSchema = Obj({
  index: Type.Integer(),
  amount: Units,
  address: Type.String(),
  kind: Type.Union([Type.Literal('key'), Type.Literal('policy')]),
});

export const TxDataSchema = Obj({
  hex: Hex,
  text: Nullable(Type.String(), { description: 'null when the bytes are not UTF-8' }),
  height: Type.Optional(Height),
  extraNonce: Type.Optional(Type.String({ description: 'coinbase only, a decimal string' })),
  sigRoot: Type.Optional(
    Type.String({
      pattern: '^[0-9a-f]{64}$',
      description:
        "coinbase only: the signature root (Merkle root of the block's wtxids, coinbase leaf zero)",
    }),
  ),
});

export const BlockRefSchema = Obj({ hash: Hash, height: Height });

export const TxSchema = Obj({
  txid: Hash,
  version: Type.Integer(),
  lockTime: Type.Integer({ description: '0 when none (and for every version 1 transaction)' }),
  size: Type.Integer(),
  coinbase: Type.Boolean(),
  inputs: Type.Array(TxInputSchema),
  outputs: Type.Array(TxOutputSchema),
  data: TxDataSchema,
  fee: Nullable(Units, {
    description: 'null when a spent coin is not known (a block in the tutorial shape)',
  }),
  feeRate: Nullable(Type.Number(), { description: 'base units per byte' }),
  sender: Nullable(Type.String(), { description: '"0" for a coinbase, else the first input\'s address' }),
  recipient: Nullable(Type.String()),
  amount: Units,
  block: Nullable(BlockRefSchema, { description: 'null while in the mempool' }),
  confirmations: Type.Integer(),
  merkleProof: Nullable(Type.Array(MerkleStepSchema)),
});

const summaryFields = {
  hash: Hash,
  height: Height,
  previousHash: Hash,
  time: Type.Integer({ description: 'Unix seconds' }),
  bits: Type.String({ description: 'compact target, 8 hex digits' }),
  difficulty: Type.Number(),
  nonce: Type.Integer(),
  txCount: Type.Integer(),
  size: Type.Integer(),
  miner: Nullable(Type.String()),
};

export const BlockSummarySchema = Obj(summaryFields);

export const BlockSchema = Obj({
  ...summaryFields,
  version: Type.Integer(),
  merkleRoot: Hash,
  target: Type.String({ description: '64 hex digits' }),
  chainWork: Type.String({ description: 'a decimal string' }),
  confirmations: Type.Integer({ description: '0 off the active chain' }),
  nextHash: Nullable(Hash),
  reward: Units,
  fees: Units,
  txs: Type.Array(TxSchema),
});

export const BlocksSchema = Obj({ height: Height, blocks: Type.Array(BlockSummarySchema) });

export const SubmitBlockSchema = Obj({
  hash: Hash,
  status: Type.Union([
    Type.Literal('connected'),
    Type.Literal('side'),
    Type.Literal('orphan'),
    Type.Literal('duplicate'),
    Type.Literal('low-work'),
  ]),
});

export const UtxoSchema = Obj({
  txid: Hash,
  index: Type.Integer(),
  amount: Units,
  height: Type.Integer({ description: '-1 for an output of a mempool transaction' }),
  coinbase: Type.Boolean(),
  confirmations: Type.Integer(),
  spendable: Type.Boolean({ description: 'mature, and not spent by a mempool transaction' }),
  spentBy: Nullable(Hash, { description: 'the mempool transaction spending it' }),
});

export const HistoryEntrySchema = Obj({
  txid: Hash,
  height: Nullable(Height, { description: 'null while in the mempool' }),
  time: Type.Integer({ description: 'Unix seconds: the block time, or when the mempool took it' }),
  delta: Units,
});

export const BalanceSchema = Obj({ confirmed: Units, unconfirmed: Units });

export const AddressSchema = Obj({
  address: Type.String(),
  balance: BalanceSchema,
  utxos: Type.Array(UtxoSchema, { description: 'one page (utxoOffset, utxoLimit up to 1000)' }),
  utxoTotal: Type.Integer({ description: 'unspent outputs in all pages, pending ones included' }),
  history: Type.Array(HistoryEntrySchema, { description: 'newest first; one page of it' }),
  total: Type.Integer({ description: 'history entries in all pages' }),
});

export const SearchSchema = Type.Union([
  Obj({ kind: Type.Literal('block'), hash: Hash, height: Height }),
  Obj({ kind: Type.Literal('tx'), txid: Hash }),
  Obj({ kind: Type.Literal('address'), address: Type.String() }),
  Obj({ kind: Type.Literal('none') }),
]);

export const TxListEntrySchema = Obj({
  ...TxSchema.properties,
  time: Type.Integer({ description: 'Unix seconds: the time of the confirming block' }),
});

export const TxListSchema = Obj({
  txs: Type.Array(TxListEntrySchema, { description: 'newest first; whole blocks' }),
  next: Nullable(Height, { description: 'the `before` of the next older page; null after genesis' }),
});

export type MerkleStepJson = Static<typeof MerkleStepSchema>;
export type TxInputJson = Static<typeof TxInputSchema>;
export type TxOutputJson = Static<typeof TxOutputSchema>;
export type TxJson = Static<typeof TxSchema>;
export type BlockSummaryJson = Static<typeof BlockSummarySchema>;
export type BlockJson = Static<typeof BlockSchema>;
export type BlocksJson = Static<typeof BlocksSchema>;
export type SubmitBlockJson = Static<typeof SubmitBlockSchema>;
export type UtxoJson = Static<typeof UtxoSchema>;
export type HistoryEntryJson = Static<typeof HistoryEntrySchema>;
export type AddressJson = Static<typeof AddressSchema>;
export type TxListEntryJson = Static<typeof TxListEntrySchema>;
export type TxListJson = Static<typeof TxListSchema>;
export type SearchJson = Static<typeof SearchSchema>;

/** POST /api/v1/mine: the last block mined, and the hashes of every block the call mined, in order. */
export const MinedBlockSchema = Obj({ ...BlockSchema.properties, hashes: Type.Array(Hash) });
