// The chain export endpoint: the active chain's blocks as a chain file (docs/protocol.md, "Chain files").
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '../schemas/common.js';
import { endpoint } from './endpoint.js';

/** The answer is the file's bytes, not JSON: described for /docs, never serialized. */
const ChainFileBytes = Type.Unsafe<Uint8Array>({
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
});

export const chainExport = {
  exportChain: endpoint({
    method: 'GET',
    url: '/api/v1/chain/export',
    access: 'operator',
    summary:
      'Download the active chain from height `from` (default 0) to `to` (default the tip) as a chain file (application/octet-stream, streamed)',
    tags: ['chain'],
    produces: 'application/octet-stream',
    schemas: {
      query: Type.Object({
        from: Type.Optional(Type.String({ maxLength: 12 })),
        to: Type.Optional(Type.String({ maxLength: 12 })),
      }),
      response: { 200: ChainFileBytes, 400: ErrorSchema, 429: ErrorSchema },
    },
  }),
};
