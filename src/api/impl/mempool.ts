// The mempool endpoints (definitions/mempool.ts) and the node wallet's (definitions/wallet.ts).
import { fromHex, isHex } from '../../core/bytes.js';
import type { ApiContext } from '../context.js';
import { mempool as defs } from '../definitions/mempool.js';
import { wallet as walletDefs } from '../definitions/wallet.js';
import { badRequest } from '../errors.js';
import { addressInfo } from '../queries.js';
import type { RouteDef } from '../route-table.js';
import { txView } from '../views.js';
import { bind } from './bind.js';

export function mempoolRoutes(ctx: Pick<ApiContext, 'params' | 'mempool' | 'submitter'>): RouteDef[] {
  const { mempool, params } = ctx;
  return [
    bind(defs.getMempool, async () => {
      await mempool.settled();
      return {
        count: mempool.size,
        bytes: mempool.bytes,
        txs: mempool.sorted().map((e) => txView(params, e.tx, { confirmations: 0, spent: e.spent })),
      };
    }),
    bind(defs.submitTx, async (req, reply) => {
      if (!isHex(req.body.hex))
        throw badRequest('hex must be the serialized transaction in hex', 'bad-encoding');
      const entry = await ctx.submitter.submitTx(fromHex(req.body.hex));
      return reply.status(201).send({ txid: entry.txidHex });
    }),
  ];
}

export function walletRoutes(
  ctx: Pick<ApiContext, 'params' | 'chain' | 'explorer' | 'mempool' | 'nodeWallet'>,
): RouteDef[] {
  return [
    bind(walletDefs.getNodeWallet, async () => {
      await ctx.mempool.settled();
      const info = await addressInfo(ctx, ctx.nodeWallet.address, 0, 20);
      return { address: ctx.nodeWallet.address, balance: info.balance };
    }),
  ];
}
