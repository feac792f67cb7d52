// Raw bytes and their decoding (src/api/decode/): the fields of a block, header or transaction in hex,
// and for one the node would refuse, the rule code, the check that failed and the protocol's sentence.
import { type Static, Type } from '@sinclair/typebox';
import { TxSchema } from './chain.js';
import { Hash, Height, Hex, Nullable, Obj } from './common.js';

export const RawHexSchema = Obj({ hex: Hex });

export const DecodeKindSchema = Type.Union([
  Type.Literal('block'),
  Type.Literal('header'),
  Type.Literal('tx'),
]);

export const DecodeBody = Type.Object(
  {
    // The handler bounds the length (2,000,000 hex characters, a block's maximum) with a rule code.
    hex: Type.String({ maxLength: 2_200_000 }),
    kind: Type.Optional(DecodeKindSchema),
  },
  { additionalProperties: false },
);

export const HeaderFieldsSchema = Obj({
  hash: Hash,
  version: Type.Integer(),
  previousHash: Hash,
  merkleRoot: Hash,
  time: Type.Integer({ description: 'Unix seconds' }),
  bits: Type.String({ description: 'compact target, 8 hex digits' }),
  target: Type.String({ description: '64 hex digits; all zero when the bits encode none' }),
  difficulty: Type.Number(),
  nonce: Type.Integer(),
});

const Level = Type.String({ description: 'decoding, sanity, context, connect, chain or policy' });

export const RuleStepSchema = Obj({
  level: Level,
  rule: Type.String({ description: 'the check, in words' }),
  code: Type.String(),
  status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('not-reached')]),
  error: Type.Optional(Obj({ code: Type.String(), message: Type.String() })),
});

export const RefusalSchema = Obj({
  code: Type.String({ description: 'the rule code (docs/protocol.md, Rule codes)' }),
  level: Level,
  check: Type.String({ description: 'the check that failed' }),
  message: Type.String({ description: 'what exactly failed' }),
  sentence: Type.String({ description: "the rule's sentence in docs/protocol.md's rule-code table" }),
  source: Type.String({ description: 'where the sentence is' }),
  malleated: Type.Boolean({ description: 'a corrupted copy: the same header may belong to a valid block' }),
});

export const DecodeSchema = Obj({
  kind: DecodeKindSchema,
  size: Type.Integer({ description: 'bytes' }),
  hash: Nullable(Hash, { description: 'the block hash or txid; null when the bytes do not decode' }),
  header: Nullable(HeaderFieldsSchema, { description: 'null for a transaction' }),
  height: Nullable(Height, {
    description: "a block's: from the chain when its parent is known, else its coinbase's",
  }),
  txs: Type.Array(TxSchema, { description: "a block's transactions, or the one transaction" }),
  known: Nullable(
    Type.Union([
      Type.Literal('active'),
      Type.Literal('side'),
      Type.Literal('invalid'),
      Type.Literal('mempool'),
      Type.Literal('confirmed'),
    ]),
    { description: 'what the node already knows of this hash' },
  ),
  valid: Type.Boolean({ description: 'every check that was run passed' }),
  checks: Type.Array(RuleStepSchema),
  skipped: Type.Array(Obj({ level: Level, reason: Type.String() }), {
    description: 'levels not run, and why',
  }),
  refusal: Nullable(RefusalSchema),
});

export type DecodeKind = Static<typeof DecodeKindSchema>;
export type HeaderFieldsJson = Static<typeof HeaderFieldsSchema>;
export type RuleStepJson = Static<typeof RuleStepSchema>;
export type RefusalJson = Static<typeof RefusalSchema>;
export type DecodeJson = Static<typeof DecodeSchema>;
