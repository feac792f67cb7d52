// Raw data and explanations under /api/v1: a block, its header or a transaction as bytes (hex in JSON,
// or the bytes themselves with `Accept: application/octet-stream`), and decoding of pasted hex.
import {
  DecodeBody,
  DecodeSchema,
  ErrorSchema,
  HashOrHeightParams,
  RawHexSchema,
  TxidParams,
} from '../schemas/index.js';
import { endpoint } from './endpoint.js';

const RAW = 'hex as JSON {hex}; the bytes themselves with Accept: application/octet-stream';

export const raw = {
  getBlockRaw: endpoint({
    method: 'GET',
    url: '/api/v1/blocks/:id/raw',
    access: 'public',
    summary: `A block's serialization by hash or height: ${RAW}`,
    tags: ['chain'],
    schemas: { params: HashOrHeightParams, response: { 200: RawHexSchema, 404: ErrorSchema } },
  }),
  getBlockHeader: endpoint({
    method: 'GET',
    url: '/api/v1/blocks/:id/header',
    access: 'public',
    summary: `A block's 80-byte header by hash or height: ${RAW}`,
    tags: ['chain'],
    schemas: { params: HashOrHeightParams, response: { 200: RawHexSchema, 404: ErrorSchema } },
  }),
  getTxRaw: endpoint({
    method: 'GET',
    url: '/api/v1/tx/:txid/raw',
    access: 'public',
    summary: `A transaction's serialization, confirmed or pending: ${RAW}`,
    tags: ['chain'],
    schemas: {
      params: TxidParams,
      response: { 200: RawHexSchema, 400: ErrorSchema, 404: ErrorSchema },
    },
  }),
  decode: endpoint({
    method: 'POST',
    url: '/api/v1/decode',
    access: 'public',
    summary:
      'Decode a block, header or transaction in hex: every field, every check run (nothing stored or relayed), and for one the node would refuse, the rule, the failed check and its sentence in docs/protocol.md',
    tags: ['chain'],
    schemas: { body: DecodeBody, response: { 200: DecodeSchema, 400: ErrorSchema, 503: ErrorSchema } },
  }),
};
