// The chain endpoints (definitions/chain.ts) over the chain reader, the explorer index and the pool.
import { fromHex, isHex, toHex } from '../../core/bytes.js';
import { isAddress } from '../../crypto/address.js';
import { createBlockJsonCache } from '../block-json-cache.js';
import { blockBytesOf } from '../bytes-body.js';
import type { ApiContext } from '../context.js';
import { chain as defs } from '../definitions/chain.js';
import { ApiError, badRequest } from '../errors.js';
import { parseLimit, parseOffset } from '../parse.js';
import { addressInfo, getTxView, latestTxs } from '../queries.js';
import { addressPage, capTree, TREE_DEPTH_MAX } from '../read-bounds.js';
import type { RouteDef } from '../route-table.js';
import type { SearchJson } from '../schemas/index.js';
import { blockSummary } from '../views.js';
import { bind } from './bind.js';

export const TX_PAGE_DEFAULT = 25;
export const TX_PAGE_MAX = 100;

type ChainPorts = Pick<ApiContext, 'params' | 'chain' | 'explorer' | 'mempool' | 'submitter'>;

export function chainRoutes(ctx: ChainPorts): RouteDef[] {
  const { chain, mempool, params } = ctx;
  // Block views as JSON text rendered once per block (block-json-cache.ts): the most read page.
  const blockJson = createBlockJsonCache(ctx);
  return [
    bind(defs.getBlocks, async (req) => {
      const limit = parseLimit(req.query.limit, 20, 500);
      const from = parseOffset(req.query.from, 'from') ?? Math.max(0, chain.height - limit + 1);
      const blocks = [];
      for (let h = from; h <= Math.min(chain.height, from + limit - 1); h++) {
        const entry = chain.entryAtHeight(h)!;
        const block = await chain.getBlock(entry.hashHex);
        if (block) blocks.push(blockSummary(params, entry, block));
      }
      return { height: chain.height, blocks };
    }),
    // Bytes, so Fastify neither serializes nor encodes them; the header is what a string would get.
    bind(defs.getBlock, async (req, reply) =>
      reply.type('application/json; charset=utf-8').send(await blockJson(req.params.id)),
    ),
    bind(defs.submitBlock, async (req, reply) => {
      const r = await ctx.submitter.submitBlock(blockBytesOf(req.body));
      if (r.status === 'invalid')
        throw new ApiError(400, r.error?.code ?? 'bad-request', r.error?.message ?? 'invalid block');
      return reply
        .status(r.status === 'duplicate' || r.status === 'low-work' ? 200 : 201)
        .send({ hash: r.hash, status: r.status });
    }),
    bind(defs.getTx, async (req) => {
      if (!isHex(req.params.txid, 32)) throw badRequest('txid must be 64 hex characters');
      await mempool.settled();
      return getTxView(ctx, req.params.txid.toLowerCase());
    }),
    bind(defs.getAddress, async (req) => {
      const page = addressPage(req.query);
      await mempool.settled();
      return addressInfo(ctx, req.params.address, page.offset, page.limit, {
        offset: page.utxoOffset,
        limit: page.utxoLimit,
      });
    }),
    bind(defs.search, async (req): Promise<SearchJson> => {
      const q = req.query.q.trim();
      const lower = q.toLowerCase();
      if (/^\d{1,10}$/.test(q)) {
        const entry = chain.entryAtHeight(Number(q));
        return entry ? { kind: 'block', hash: entry.hashHex, height: entry.height } : { kind: 'none' };
      }
      if (isHex(q, 32)) {
        const id = q.toLowerCase();
        const entry = chain.getEntry(id);
        if (entry && entry.status !== 'invalid') return { kind: 'block', hash: id, height: entry.height };
        if (mempool.has(id) || (await ctx.explorer.txLocation(fromHex(id)))) return { kind: 'tx', txid: id };
        return { kind: 'none' };
      }
      if (isAddress(params.addressPrefix, lower)) return { kind: 'address', address: lower };
      return { kind: 'none' };
    }),
    bind(defs.getTxs, async (req) => {
      const limit = parseLimit(req.query.limit, TX_PAGE_DEFAULT, TX_PAGE_MAX);
      const before = parseOffset(req.query.before, 'before');
      await mempool.settled();
      if (before === 0) return { txs: [], next: null };
      return latestTxs(ctx, before === undefined ? chain.height : before - 1, limit);
    }),
    bind(defs.getChainTree, async (req) => {
      const depth = parseLimit(req.query.depth, 20, TREE_DEPTH_MAX, 'depth');
      const from = parseOffset(req.query.from, 'from') ?? Math.max(0, chain.height - depth + 1);
      const sorted = chain
        .entriesFrom(from, from + depth - 1)
        .map((e) => ({
          hash: e.hashHex,
          height: e.height,
          previousHash: toHex(e.header.prevHash),
          bits: e.header.bits.toString(16).padStart(8, '0'),
          chainWork: e.chainWork.toString(),
          status: e.status,
          active: chain.isActive(e),
        }))
        .sort(
          (a, b) =>
            a.height - b.height || Number(b.active) - Number(a.active) || a.hash.localeCompare(b.hash),
        );
      // At most a few blocks per height and a few hundred in all, the active one first (read-bounds.ts).
      const { kept: blocks, omitted } = capTree(sorted);
      const orphans = chain
        .orphanBlocks()
        .map(({ hash, height, previousHash }) => ({ hash, height, previousHash }));
      return { tip: chain.tip.hashHex, from, blocks, omitted, orphans };
    }),
  ];
}
