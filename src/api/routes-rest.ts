// REST v1 under /api/v1 (see docs/api.md). Schemas document the routes in OpenAPI and reject wrong types.
import type { FastifyRequest } from 'fastify';
import { fromHex, isHex } from '../core/bytes.js';
import { decodeAddress, isAddress } from '../crypto/address.js';
import { createBlockJsonCache } from './block-json-cache.js';
import type { ApiContext } from './context.js';
import { ApiError, badRequest } from './errors.js';
import { networkRoutes } from './impl/network.js';
import { parseLimit, parseOffset } from './parse.js';
import { addressInfo, getTxView } from './queries.js';
import { addressPage } from './read-bounds.js';
import { type RouteDef, route } from './route-table.js';
import {
  AddressParams,
  AddressSchema,
  BlockHexBody,
  BlockSchema,
  BlocksSchema,
  ErrorSchema,
  HashOrHeightParams,
  MAX_MINE_COUNT,
  MempoolSchema,
  MineBody,
  MinedBlockSchema,
  MinerSchema,
  MinerStartBody,
  OffsetQuery,
  PageQuery,
  SearchQuery,
  SearchSchema,
  StatusSchema,
  SubmitBlockSchema,
  SubmitTxSchema,
  TxHexBody,
  TxidParams,
  TxSchema,
  WalletSchema,
} from './schemas/index.js';
import { minerAddress, statusView } from './status.js';
import { blockSummary, blockView, txView } from './views.js';

/** Lets `curl -X POST …/mine` (no body at all) mean `{}`: the body schema alone would reject it. */
const emptyBodyIsEmptyObject = async (req: FastifyRequest) => {
  req.body ??= {};
};

export function restRoutes(ctx: ApiContext): RouteDef[] {
  return [...chainRoutes(ctx), ...mempoolRoutes(ctx), ...minerRoutes(ctx), ...networkRoutes(ctx.network)];
}

function chainRoutes(ctx: ApiContext): RouteDef[] {
  const { chain, mempool, params } = ctx;
  // Block views as JSON text rendered once per block (block-json-cache.ts): the most read page.
  const blockJson = createBlockJsonCache(ctx);
  return [
    route({
      method: 'GET',
      url: '/api/v1/status',
      access: 'public',
      schema: { tags: ['node'], summary: 'Node and chain status', response: { 200: StatusSchema } },
      handler: async (req) => statusView(ctx, req.operator),
    }),
    route<{ Querystring: { from?: string; limit?: string } }>({
      method: 'GET',
      url: '/api/v1/blocks',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary: 'Block summaries, ascending by height',
        querystring: PageQuery,
        response: { 200: BlocksSchema },
      },
      handler: async (req) => {
        const limit = parseLimit(req.query.limit, 20, 500);
        const from = parseOffset(req.query.from, 'from') ?? Math.max(0, chain.height - limit + 1);
        const blocks = [];
        for (let h = from; h <= Math.min(chain.height, from + limit - 1); h++) {
          const entry = chain.entryAtHeight(h)!;
          const block = await chain.getBlock(entry.hashHex);
          if (block) blocks.push(blockSummary(params, entry, block));
        }
        return { height: chain.height, blocks };
      },
    }),
    route<{ Params: { id: string } }>({
      method: 'GET',
      url: '/api/v1/blocks/:id',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary: 'A block by hash or height',
        params: HashOrHeightParams,
        response: { 200: BlockSchema, 404: ErrorSchema },
      },
      // Bytes, so Fastify neither serializes nor encodes them; the header is what a string would get.
      handler: async (req, reply) =>
        reply.type('application/json; charset=utf-8').send(await blockJson(req.params.id)),
    }),
    route<{ Body: { hex: string } }>({
      method: 'POST',
      url: '/api/v1/blocks',
      access: 'operator',
      schema: {
        tags: ['chain'],
        summary:
          'Submit a mined block: 201 connected/side/orphan, 200 duplicate or low-work (not stored), 400 invalid',
        body: BlockHexBody,
        response: { 200: SubmitBlockSchema, 201: SubmitBlockSchema },
      },
      handler: async (req, reply) => {
        if (!isHex(req.body.hex)) throw badRequest('hex must be the serialized block in hex', 'bad-encoding');
        const r = await ctx.submitBlock(fromHex(req.body.hex));
        if (r.status === 'invalid')
          throw new ApiError(400, r.error?.code ?? 'bad-request', r.error?.message ?? 'invalid block');
        return reply
          .status(r.status === 'duplicate' || r.status === 'low-work' ? 200 : 201)
          .send({ hash: r.hash, status: r.status });
      },
    }),
    route<{ Params: { txid: string } }>({
      method: 'GET',
      url: '/api/v1/tx/:txid',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary: 'A transaction, confirmed or pending, with its Merkle proof',
        params: TxidParams,
        response: { 200: TxSchema },
      },
      handler: async (req) => {
        if (!isHex(req.params.txid, 32)) throw badRequest('txid must be 64 hex characters');
        await ctx.settled();
        return getTxView(ctx, req.params.txid.toLowerCase());
      },
    }),
    route<{
      Params: { address: string };
      Querystring: { offset?: string; limit?: string; utxoOffset?: string; utxoLimit?: string };
    }>({
      method: 'GET',
      url: '/api/v1/address/:address',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary: 'Balance, unspent outputs (a page of up to 1,000) and history (a page) of an address',
        params: AddressParams,
        querystring: OffsetQuery,
        response: { 200: AddressSchema },
      },
      handler: async (req) => {
        const page = addressPage(req.query);
        await ctx.settled();
        return addressInfo(ctx, req.params.address, page.offset, page.limit, {
          offset: page.utxoOffset,
          limit: page.utxoLimit,
        });
      },
    }),
    route<{ Querystring: { q?: string } }>({
      method: 'GET',
      url: '/api/v1/search',
      access: 'public',
      schema: {
        tags: ['chain'],
        summary: 'What a height, hash, txid or address names: {kind: block|tx|address|none}',
        querystring: SearchQuery,
        response: { 200: SearchSchema },
      },
      handler: async (req) => {
        const q: string = req.query.q?.trim() ?? '';
        const lower = q.toLowerCase();
        if (/^\d{1,10}$/.test(q)) {
          const entry = chain.entryAtHeight(Number(q));
          return entry ? { kind: 'block', hash: entry.hashHex, height: entry.height } : { kind: 'none' };
        }
        if (isHex(q, 32)) {
          const id = q.toLowerCase();
          const entry = chain.getEntry(id);
          if (entry && entry.status !== 'invalid') return { kind: 'block', hash: id, height: entry.height };
          if (mempool.has(id) || (await ctx.explorer.txLocation(fromHex(id))))
            return { kind: 'tx', txid: id };
          return { kind: 'none' };
        }
        if (isAddress(params.addressPrefix, lower)) return { kind: 'address', address: lower };
        return { kind: 'none' };
      },
    }),
  ];
}

function mempoolRoutes(ctx: ApiContext): RouteDef[] {
  const { mempool, params } = ctx;
  return [
    route({
      method: 'GET',
      url: '/api/v1/mempool',
      access: 'public',
      schema: {
        tags: ['mempool'],
        summary: 'Pending transactions by fee rate',
        response: { 200: MempoolSchema },
      },
      handler: async () => {
        await ctx.settled();
        return {
          count: mempool.size,
          bytes: mempool.bytes,
          txs: mempool.sorted().map((e) => txView(params, e.tx, { confirmations: 0, spent: e.spent })),
        };
      },
    }),
    route<{ Body: { hex: string } }>({
      method: 'POST',
      url: '/api/v1/tx',
      access: 'public',
      schema: {
        tags: ['mempool'],
        summary: 'Submit a signed transaction',
        body: TxHexBody,
        response: { 201: SubmitTxSchema },
      },
      handler: async (req, reply) => {
        if (!isHex(req.body.hex))
          throw badRequest('hex must be the serialized transaction in hex', 'bad-encoding');
        const entry = await ctx.submitTx(fromHex(req.body.hex));
        return reply.status(201).send({ txid: entry.txidHex });
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/wallet',
      access: 'operator',
      schema: { tags: ['wallet'], summary: "The node's own wallet", response: { 200: WalletSchema } },
      handler: async () => {
        await ctx.settled();
        const info = await addressInfo(ctx, ctx.walletAddress, 0, 20);
        return { address: ctx.walletAddress, balance: info.balance };
      },
    }),
  ];
}

function minerRoutes(ctx: ApiContext): RouteDef[] {
  const { chain, miner, params } = ctx;
  const minerView = () => ({
    mining: miner.mining,
    threads: ctx.mining.threads,
    hashRate: miner.hashRate(),
    kernel: ctx.mining.kernelName,
    address: minerAddress(ctx),
    found: miner.found
      .slice(-20)
      .reverse()
      .map((m) => {
        const entry = chain.getEntry(m.result.hash);
        return entry ? blockSummary(params, entry, m.block) : null;
      })
      .filter((b) => b !== null),
  });
  return [
    route<{ Body: { address?: string; count?: number } | undefined }>({
      method: 'POST',
      url: '/api/v1/mine',
      access: 'operator',
      schema: {
        tags: ['miner'],
        summary: `Mine blocks now (count 1..${MAX_MINE_COUNT}, default 1), optionally paying another address`,
        body: MineBody,
        response: { 201: MinedBlockSchema },
      },
      preValidation: emptyBodyIsEmptyObject,
      handler: async (req, reply) => {
        const address = req.body?.address ? decodeAddress(params.addressPrefix, req.body.address) : undefined;
        const mined = await miner.mineMany(req.body?.count ?? 1, { address });
        const last = mined.at(-1);
        if (!last) throw new ApiError(503, 'internal', 'mining was interrupted');
        const entry = chain.getEntry(last.result.hash)!;
        const hashes = mined.map((m) => m.result.hash);
        return reply.status(201).send({ ...(await blockView(chain, entry, last.block)), hashes });
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/miner',
      access: 'operator',
      schema: { tags: ['miner'], summary: 'Miner state', response: { 200: MinerSchema } },
      handler: async () => minerView(),
    }),
    route<{ Body: { address?: string; threads?: number } | undefined }>({
      method: 'POST',
      url: '/api/v1/miner/start',
      access: 'operator',
      schema: {
        tags: ['miner'],
        summary: 'Start continuous mining, optionally with another address or thread count',
        body: MinerStartBody,
        response: { 200: MinerSchema },
      },
      preValidation: emptyBodyIsEmptyObject,
      handler: async (req) => {
        if (req.body?.address) miner.address = decodeAddress(params.addressPrefix, req.body.address);
        // The schema bounds threads to 1..256; a running search restarts with the new count.
        if (req.body?.threads !== undefined) miner.setThreads(req.body.threads);
        miner.start();
        return minerView();
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/miner/stop',
      access: 'operator',
      schema: { tags: ['miner'], summary: 'Stop continuous mining', response: { 200: MinerSchema } },
      handler: async () => {
        await miner.stop();
        return minerView();
      },
    }),
  ];
}
