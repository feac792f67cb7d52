// The latest confirmed transactions across blocks, newest first, a page at a time (see docs/api.md).
import { Type } from '@sinclair/typebox';
import { txid } from '../core/tx.js';
import type { ApiContext } from './context.js';
import { parseLimit, parseOffset } from './parse.js';
import { type RouteDef, route } from './route-table.js';
import { TxListSchema } from './schemas/index.js';
import { addressMemo, spentCoinsOfBlock, txView } from './views.js';

export const TX_PAGE_DEFAULT = 25;
export const TX_PAGE_MAX = 100;

const TxListQuery = Type.Object({
  before: Type.Optional(Type.String({ maxLength: 12 })),
  limit: Type.Optional(Type.String({ maxLength: 12 })),
});

/**
 * Walks the active chain down from `start` until the page holds `limit` transactions. A page ends at a
 * block boundary, so that `next` (a height) loses or repeats nothing: a block is taken whole, and one
 * that would overflow the page waits for the next one, unless it is the page's first (then it is taken
 * whole, even past `limit`, so paging always advances).
 */
export async function latestTxs(ctx: ApiContext, start: number, limit: number) {
  const { chain, params } = ctx;
  const address = addressMemo(params);
  const tip = chain.height;
  const txs = [];
  let height = Math.min(start, tip);
  for (; height >= 0 && txs.length < limit; height--) {
    const entry = chain.entryAtHeight(height);
    // Gone when a reorganisation shortened the chain meanwhile: the page ends here.
    if (!entry) break;
    const block = await chain.getBlock(entry.hashHex);
    if (!block) continue;
    if (txs.length > 0 && txs.length + block.txs.length > limit) break;
    const ids = block.txs.map(txid);
    const spent = await spentCoinsOfBlock(chain.store.blocks, entry, block, ids);
    // Newest first within the block too: the list is the chain's transactions in reverse order.
    for (let index = block.txs.length - 1; index >= 0; index--) {
      const view = txView(params, block.txs[index]!, {
        block: { hash: entry.hashHex, height, index },
        confirmations: tip - height + 1,
        spent: spent[index],
        txid: ids[index],
        address,
      });
      txs.push({ ...view, time: entry.header.time });
    }
  }
  return { txs, next: height >= 0 ? height + 1 : null };
}

export function txListRoutes(ctx: ApiContext): RouteDef[] {
  return [
    route<{ Querystring: { before?: string; limit?: string } }>({
      method: 'GET',
      url: '/api/v1/txs',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary: 'Confirmed transactions, newest first, in pages of whole blocks below a height',
        querystring: TxListQuery,
        response: { 200: TxListSchema },
      },
      handler: async (req) => {
        const limit = parseLimit(req.query.limit, TX_PAGE_DEFAULT, TX_PAGE_MAX);
        const before = parseOffset(req.query.before, 'before');
        await ctx.settled();
        if (before === 0) return { txs: [], next: null };
        return latestTxs(ctx, before === undefined ? ctx.chain.height : before - 1, limit);
      },
    }),
  ];
}
