// The node's own wallet (the payer of the tutorials' unsigned transactions).
import { WalletSchema } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const wallet = {
  getNodeWallet: endpoint({
    method: 'GET',
    url: '/api/v1/wallet',
    access: 'operator',
    summary: "The node's own wallet",
    tags: ['wallet'],
    schemas: { response: { 200: WalletSchema } },
  }),
};
