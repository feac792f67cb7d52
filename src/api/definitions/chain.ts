// The chain under /api/v1: blocks, transactions, addresses, search, the latest transactions and the
// block tree; and submitting a mined block.
import {
  AddressParams,
  AddressSchema,
  BlockHexBody,
  BlockSchema,
  BlocksSchema,
  ChainTreeQuery,
  ChainTreeSchema,
  ErrorSchema,
  HashOrHeightParams,
  OffsetQuery,
  PageQuery,
  SearchQuery,
  SearchSchema,
  SubmitBlockSchema,
  TxidParams,
  TxListQuery,
  TxListSchema,
  TxSchema,
} from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const chain = {
  getBlocks: endpoint({
    method: 'GET',
    url: '/api/v1/blocks',
    access: 'public',
    summary: 'Block summaries, ascending by height',
    tags: ['chain'],
    schemas: { query: PageQuery, response: { 200: BlocksSchema } },
  }),
  getBlock: endpoint({
    method: 'GET',
    url: '/api/v1/blocks/:id',
    access: 'public',
    summary: 'A block by hash or height',
    tags: ['chain'],
    schemas: { params: HashOrHeightParams, response: { 200: BlockSchema, 404: ErrorSchema } },
  }),
  submitBlock: endpoint({
    method: 'POST',
    url: '/api/v1/blocks',
    access: 'operator',
    summary:
      'Submit a mined block, as {hex} or as its bytes (application/octet-stream): 201 connected/side/orphan, 200 duplicate or low-work (not stored), 400 invalid',
    tags: ['chain'],
    accepts: 'application/octet-stream',
    schemas: { body: BlockHexBody, response: { 200: SubmitBlockSchema, 201: SubmitBlockSchema } },
  }),
  getTx: endpoint({
    method: 'GET',
    url: '/api/v1/tx/:txid',
    access: 'public',
    summary: 'A transaction, confirmed or pending, with its Merkle proof',
    tags: ['chain'],
    schemas: { params: TxidParams, response: { 200: TxSchema } },
  }),
  getAddress: endpoint({
    method: 'GET',
    url: '/api/v1/address/:address',
    access: 'public',
    summary: 'Balance, unspent outputs (a page of up to 1,000) and history (a page) of an address',
    tags: ['chain'],
    schemas: { params: AddressParams, query: OffsetQuery, response: { 200: AddressSchema } },
  }),
  search: endpoint({
    method: 'GET',
    url: '/api/v1/search',
    access: 'public',
    summary: 'What a height, hash, txid or address names: {kind: block|tx|address|none}',
    tags: ['chain'],
    schemas: { query: SearchQuery, response: { 200: SearchSchema } },
  }),
  getTxs: endpoint({
    method: 'GET',
    url: '/api/v1/txs',
    access: 'public',
    summary: 'Confirmed transactions, newest first, in pages of whole blocks below a height',
    tags: ['chain'],
    schemas: { query: TxListQuery, response: { 200: TxListSchema } },
  }),
  getChainTree: endpoint({
    method: 'GET',
    url: '/api/v1/chain/tree',
    access: 'public',
    summary:
      'Known blocks from a height up (default the last 20), side branches and orphans included; at most 8 per height and 500 in all',
    tags: ['chain'],
    schemas: { query: ChainTreeQuery, response: { 200: ChainTreeSchema } },
  }),
};
