// The classic tutorial endpoints' shapes (definitions/classic.ts, views.ts classicBlock).
import { type Static, Type } from '@sinclair/typebox';
import { TxSchema } from './chain.js';
import { Hash, Height, Nullable, Obj, Units } from './common.js';
import { PeerSchema } from './node.js';

/** A transaction of a block in the tutorial shape: under the names adil's client reads, too. */
export const ClassicTxSchema = Obj({
  ...TxSchema.properties,
  sender_address: Nullable(Type.String(), { description: 'the same as sender' }),
  recipient_address: Nullable(Type.String(), { description: 'the same as recipient' }),
  value: Units,
});

const classicHead = {
  index: Height,
  block_number: Height,
  transactions: Type.Array(ClassicTxSchema),
  nonce: Type.Integer(),
  proof: Type.Integer({ description: 'the nonce, under the tutorials’ name' }),
  previous_hash: Hash,
  hash: Hash,
  timestamp: Type.Integer(),
};

export const ClassicBlockSchema = Obj({
  ...classicHead,
  merkle_root: Hash,
  bits: Type.String(),
});

export const ClassicMineSchema = Obj({ message: Type.String(), ...classicHead, hashes: Type.Array(Hash) });

export const NewTxSchema = Obj({
  message: Type.String({ description: 'the block it is expected in, the amount paid and the fee, in coins' }),
  txid: Hash,
  amount: Type.Optional(Units),
  amountCoins: Type.Optional(
    Type.String({ description: 'the amount paid, in coins (node-wallet payments)' }),
  ),
  fee: Units,
  feeCoins: Type.String({ description: 'the fee paid, in coins' }),
  warning: Type.Optional(
    Type.String({ description: 'present when the fee is more than the amount (amounts are in base units)' }),
  ),
});

export const PendingSchema = Obj({ transactions: Type.Array(TxSchema) });

export const NodesRegisteredSchema = Obj({ message: Type.String(), total_nodes: Type.Array(Type.String()) });

export const NodesSchema = Obj({ nodes: Type.Array(Type.String()), peers: Type.Array(PeerSchema) });

/** GET /chain, streamed (no response schema on the route). */
export const ChainSchema = Obj({ chain: Type.Array(ClassicBlockSchema), length: Type.Integer() });

/** GET /nodes/resolve, streamed: `new_chain` when ours was replaced, else `chain`. */
export const ResolveSchema = Obj({
  message: Type.String(),
  chain: Type.Optional(Type.Array(ClassicBlockSchema)),
  new_chain: Type.Optional(Type.Array(ClassicBlockSchema)),
  length: Type.Integer(),
});

export type ClassicBlockJson = Static<typeof ClassicBlockSchema>;
export type ClassicMineJson = Static<typeof ClassicMineSchema>;
export type NewTxJson = Static<typeof NewTxSchema>;
export type PendingJson = Static<typeof PendingSchema>;
export type NodesRegisteredJson = Static<typeof NodesRegisteredSchema>;
export type NodesJson = Static<typeof NodesSchema>;
export type ChainJson = Static<typeof ChainSchema>;
export type ResolveJson = Static<typeof ResolveSchema>;
