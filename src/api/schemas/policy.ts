// Spending policies decoded (docs/api.md, "Spending policies"): a policy's canonical text and bytes, its
// hash and address, its keys and fragments, and how many signatures a spend of it checks.
import { type Static, Type } from '@sinclair/typebox';
import { MAX_POLICY_SIZE } from '../../core/params.js';
import { Hash, Hex, Obj } from './common.js';

/**
 * Characters of policy text read. The largest policy (1,024 bytes) prints in under 3,600 characters;
 * the rest leaves room for the spaces parsers accept around arguments.
 */
export const POLICY_TEXT_MAX = 8_192;

const PolicyText = Type.String({
  minLength: 1,
  maxLength: POLICY_TEXT_MAX,
  description: `the text form, e.g. multi(2,<key>,<key>,<key>); at most ${POLICY_TEXT_MAX} characters`,
});

export const PolicyDecodeQuery = Type.Object({ text: PolicyText });

/** Exactly one of the two (the handler says so when both or neither come). */
export const PolicyDecodeBody = Type.Object(
  {
    text: Type.Optional(PolicyText),
    hex: Type.Optional(
      Type.String({
        maxLength: 2 * MAX_POLICY_SIZE,
        description: `the encoding in hex, at most ${MAX_POLICY_SIZE} bytes`,
      }),
    ),
  },
  { additionalProperties: false },
);

export const PolicyDecodeFragmentSchema = Obj({
  depth: Type.Integer({ description: 'nesting level: 0 for the whole policy, 1 for its children…' }),
  type: Type.String({ description: 'pk, multi, after, older, sha256, and, or or thresh' }),
  text: Type.String({ description: "the fragment's canonical text" }),
});

export const PolicyDecodeSchema = Obj({
  text: Type.String({ description: 'the canonical text' }),
  hex: Hex,
  hash: Hash,
  address: Type.String({ description: "the policy address on this node's network" }),
  size: Type.Integer({ description: 'bytes of the encoding' }),
  depth: Type.Integer({ description: 'nesting depth: 1 for a single fragment (at most 8)' }),
  keys: Type.Array(Hash, { description: 'every distinct key, in order of appearance' }),
  fragments: Type.Array(PolicyDecodeFragmentSchema, { description: 'every fragment, pre-order' }),
  sigChecks: Obj(
    {
      min: Type.Integer({ description: 'signatures in the cheapest satisfaction' }),
      max: Type.Integer({ description: 'signatures in the dearest' }),
    },
    { description: 'signature checks a spend of this policy costs (counted against the limits)' },
  ),
});

export type PolicyDecodeJson = Static<typeof PolicyDecodeSchema>;
export type PolicyDecodeFragmentJson = Static<typeof PolicyDecodeFragmentSchema>;
