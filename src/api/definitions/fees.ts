// The fee market under /api/v1: fee estimates and the projected next blocks.
import { FeesSchema } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const fees = {
  getFees: endpoint({
    method: 'GET',
    url: '/api/v1/fees',
    access: 'public',
    summary:
      'Fee rates likely to confirm within 1, 3 and 6 blocks, from the projected blocks and recent blocks (docs/api.md, "Fee estimates")',
    tags: ['mempool'],
    schemas: { response: { 200: FeesSchema } },
  }),
};
