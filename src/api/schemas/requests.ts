// Request schemas: Fastify validates params, queries and bodies with them before a handler runs.
// Limits are generous caps that cut junk off early; the handlers check the content.
import { Type } from '@sinclair/typebox';

export const PageQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 12 })),
  limit: Type.Optional(Type.String({ maxLength: 12 })),
});

export const OffsetQuery = Type.Object({
  offset: Type.Optional(Type.String({ maxLength: 12 })),
  limit: Type.Optional(Type.String({ maxLength: 12 })),
  utxoOffset: Type.Optional(Type.String({ maxLength: 12 })),
  utxoLimit: Type.Optional(Type.String({ maxLength: 12 })),
});

/** GET /api/v1/txs: a page of whole blocks below a height. */
export const TxListQuery = Type.Object({
  before: Type.Optional(Type.String({ maxLength: 12 })),
  limit: Type.Optional(Type.String({ maxLength: 12 })),
});

/** GET /api/v1/chain/tree: from a height, so many heights up. */
export const ChainTreeQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 12 })),
  depth: Type.Optional(Type.String({ maxLength: 4 })),
});

export const HashOrHeightParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const TxidParams = Type.Object({ txid: Type.String({ maxLength: 64 }) });
export const AddressParams = Type.Object({ address: Type.String({ maxLength: 120 }) });
export const SearchQuery = Type.Object({ q: Type.String({ maxLength: 200 }) });

/**
 * POST /api/v1/blocks as JSON. No maxLength: ajv would walk the whole string counting characters; the
 * body limit bounds it and the handler checks the length and the hex in one pass as it decodes.
 */
export const BlockHexBody = Type.Object({ hex: Type.String() });
export const TxHexBody = Type.Object({ hex: Type.String({ maxLength: 2 * 200_000 }) });

/** Blocks one mine request may ask for (POST /api/v1/mine, GET /mine). */
export const MAX_MINE_COUNT = 100;

export const MineBody = Type.Optional(
  Type.Object(
    {
      address: Type.Optional(Type.String({ maxLength: 120 })),
      count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MINE_COUNT })),
    },
    { additionalProperties: false },
  ),
);

export const MineQuery = Type.Object({
  address: Type.Optional(Type.String({ maxLength: 120 })),
  count: Type.Optional(Type.String({ maxLength: 12 })),
});

export const MinerStartBody = Type.Optional(
  Type.Object(
    {
      address: Type.Optional(Type.String({ maxLength: 120 })),
      // Worker threads of the nonce search from now on (the node starts with --threads).
      threads: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    },
    { additionalProperties: false },
  ),
);

export const PeerBody = Type.Object({ address: Type.String({ minLength: 1, maxLength: 500 }) });

export const NewTxRequestBody = Type.Object(
  {
    hex: Type.Optional(Type.String()),
    sender: Type.Optional(Type.String()),
    recipient: Type.Optional(Type.String()),
    // Any JSON value: parseAmount answers `bad-amount` for every wrong one (1.5, true, null, "1e3"…).
    amount: Type.Optional(
      Type.Unknown({ description: 'base units: a JSON integer or a string of decimal digits' }),
    ),
    data: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: true },
);
