// The mempool under /api/v1: what is pending, and submitting a signed transaction.
import { MempoolSchema, SubmitTxSchema, TxHexBody } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const mempool = {
  getMempool: endpoint({
    method: 'GET',
    url: '/api/v1/mempool',
    access: 'public',
    summary: 'Pending transactions by fee rate',
    tags: ['mempool'],
    schemas: { response: { 200: MempoolSchema } },
  }),
  submitTx: endpoint({
    method: 'POST',
    url: '/api/v1/tx',
    access: 'public',
    summary: 'Submit a signed transaction',
    tags: ['mempool'],
    schemas: { body: TxHexBody, response: { 201: SubmitTxSchema } },
  }),
};
