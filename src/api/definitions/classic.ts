// The classic tutorial endpoints (/mine, /transactions/..., /chain, /nodes/...), with the JSON shapes
// those tutorials document. JSON and form bodies are both accepted.
import { Type } from '@sinclair/typebox';
import {
  ChainSchema,
  ClassicMineSchema,
  MAX_MINE_COUNT,
  MineQuery,
  NewTxRequestBody,
  NewTxSchema,
  NodesRegisteredSchema,
  NodesSchema,
  PageQuery,
  PendingSchema,
  ResolveSchema,
} from '../schemas/index.js';
import { endpoint } from './endpoint.js';

const tags = ['classic tutorial endpoints'];

export const classic = {
  classicMine: endpoint({
    method: 'GET',
    url: '/mine',
    access: 'operator',
    summary: `Mine a block (tutorial shape); ?count=1..${MAX_MINE_COUNT} mines several, ?address= pays another address`,
    tags,
    schemas: { query: MineQuery, response: { 200: ClassicMineSchema } },
  }),
  newTransaction: endpoint({
    method: 'POST',
    url: '/transactions/new',
    // A signed transaction ({hex}) may come from anywhere; a node-wallet spend is the operator's.
    access: 'by-body',
    summary: 'Submit a signed transaction ({hex}) or pay from the node wallet ({recipient, amount})',
    tags,
    schemas: { body: NewTxRequestBody, response: { 201: NewTxSchema } },
  }),
  pendingTransactions: endpoint({
    method: 'GET',
    url: '/transactions/get',
    access: 'public',
    summary: 'Pending transactions',
    tags,
    schemas: { response: { 200: PendingSchema } },
  }),
  classicChain: endpoint({
    method: 'GET',
    url: '/chain',
    access: 'public',
    summary:
      'The whole chain up to 1,000 blocks, else a page with ?from=&limit= (1..1000), streamed: {chain: [block…], length}',
    tags,
    // Streamed: the schema documents the answer and types the client; nothing serialises with it.
    schemas: { query: PageQuery, response: { 200: ChainSchema } },
  }),
  registerNodes: endpoint({
    method: 'POST',
    url: '/nodes/register',
    access: 'operator',
    summary: 'Add peers by http URL',
    tags,
    schemas: {
      // Any body: the handler names what is wrong with it in the tutorials' words.
      body: Type.Unknown({
        description: '{"nodes": ["http://host:port", …]}, or the form nodes=http://a:1,http://b:2',
      }),
      response: { 201: NodesRegisteredSchema },
    },
  }),
  resolveNodes: endpoint({
    method: 'GET',
    url: '/nodes/resolve',
    access: 'operator',
    summary:
      'Sync with every peer; adopt the valid chain with most work. Streamed: {message, new_chain|chain, length}',
    tags,
    schemas: { query: PageQuery, response: { 200: ResolveSchema } },
  }),
  getNodes: endpoint({
    method: 'GET',
    url: '/nodes/get',
    access: 'operator',
    summary: 'Known peers',
    tags,
    schemas: { response: { 200: NodesSchema } },
  }),
};
