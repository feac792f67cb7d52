// REST v1 under /api/v1 (see docs/api.md). Schemas document the routes in OpenAPI and reject wrong types.

import type {} from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { fromHex, isHex } from '../core/bytes.js';
import { MAX_BLOCK_SIZE } from '../core/params.js';
import { decodeAddress, isAddress } from '../crypto/address.js';
import type { HashlineNode } from '../node/node.js';
import { ApiError, badRequest } from './errors.js';
import { parseHttpUrl, parseLimit, parseOffset } from './parse.js';
import { addressInfo, getBlockView, getTxView } from './queries.js';
import { statusView } from './status.js';
import { blockSummary, blockView, txView } from './views.js';

/** Lets `curl -X POST …/mine` (no body at all) mean `{}`: the body schema alone would reject it. */
const emptyBodyIsEmptyObject = async (req: FastifyRequest) => {
  req.body ??= {};
};

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String() });
const HashOrHeight = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function registerRestRoutes(
  app: FastifyInstance,
  node: HashlineNode,
  mutating: { preHandler: preHandlerHookHandler },
): void {
  const { chain, mempool, miner, params } = node;

  app.get('/api/v1/status', { schema: { tags: ['node'], summary: 'Node and chain status' } }, async () =>
    statusView(node),
  );

  app.get<{ Querystring: { from?: string; limit?: string } }>(
    '/api/v1/blocks',
    {
      schema: {
        tags: ['chain'],
        summary: 'Block summaries, ascending by height',
        querystring: Type.Object({ from: Type.Optional(Type.String()), limit: Type.Optional(Type.String()) }),
      },
    },
    async (req) => {
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
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/blocks/:id',
    {
      schema: {
        tags: ['chain'],
        summary: 'A block by hash or height',
        params: HashOrHeight,
        response: { 404: ErrorReply },
      },
    },
    async (req) => getBlockView(node, req.params.id),
  );

  app.get<{ Params: { txid: string } }>(
    '/api/v1/tx/:txid',
    { schema: { tags: ['chain'], summary: 'A transaction, confirmed or pending, with its Merkle proof' } },
    async (req) => {
      if (!isHex(req.params.txid, 32)) throw badRequest('txid must be 64 hex characters');
      return getTxView(node, req.params.txid.toLowerCase());
    },
  );

  app.get<{ Params: { address: string }; Querystring: { offset?: string; limit?: string } }>(
    '/api/v1/address/:address',
    { schema: { tags: ['chain'], summary: 'Balance, unspent outputs and history of an address' } },
    async (req) =>
      addressInfo(
        node,
        req.params.address,
        parseOffset(req.query.offset) ?? 0,
        parseLimit(req.query.limit, 50, 500),
      ),
  );

  app.get<{ Querystring: { q?: string } }>(
    '/api/v1/search',
    {
      schema: {
        tags: ['chain'],
        summary: 'What a height, hash, txid or address names: {kind: block|tx|address|none}',
        querystring: Type.Object({ q: Type.String({ maxLength: 200 }) }),
      },
    },
    async (req) => {
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
        if (mempool.has(id) || (await node.store.getTxLocation(fromHex(id)))) return { kind: 'tx', txid: id };
        return { kind: 'none' };
      }
      if (isAddress(params.addressPrefix, lower)) return { kind: 'address', address: lower };
      return { kind: 'none' };
    },
  );

  app.get(
    '/api/v1/mempool',
    { schema: { tags: ['mempool'], summary: 'Pending transactions by fee rate' } },
    async () => ({
      count: mempool.size,
      bytes: mempool.bytes,
      txs: mempool.sorted().map((e) => txView(params, e.tx, { confirmations: 0, spent: e.spent })),
    }),
  );

  app.post<{ Body: { hex: string } }>(
    '/api/v1/tx',
    {
      schema: {
        tags: ['mempool'],
        summary: 'Submit a signed transaction',
        body: Type.Object({ hex: Type.String({ maxLength: 2 * 200_000 }) }),
      },
    },
    async (req, reply) => {
      if (!isHex(req.body.hex))
        throw badRequest('hex must be the serialized transaction in hex', 'bad-encoding');
      const entry = await node.submitTx(fromHex(req.body.hex));
      return reply.status(201).send({ txid: entry.txidHex });
    },
  );

  app.post<{ Body: { hex: string } }>(
    '/api/v1/blocks',
    {
      schema: {
        tags: ['chain'],
        summary: 'Submit a mined block',
        body: Type.Object({ hex: Type.String({ maxLength: 2 * MAX_BLOCK_SIZE + 2 }) }),
      },
      ...mutating,
    },
    async (req, reply) => {
      if (!isHex(req.body.hex)) throw badRequest('hex must be the serialized block in hex', 'bad-encoding');
      const r = await node.submitBlock(fromHex(req.body.hex));
      if (r.status === 'invalid')
        throw new ApiError(400, r.error?.code ?? 'bad-request', r.error?.message ?? 'invalid block');
      return reply.status(r.status === 'duplicate' ? 200 : 201).send({ hash: r.hash, status: r.status });
    },
  );

  app.post<{ Body: { address?: string } | undefined }>(
    '/api/v1/mine',
    {
      schema: {
        tags: ['miner'],
        summary: 'Mine one block now',
        body: Type.Optional(Type.Object({ address: Type.Optional(Type.String({ maxLength: 120 })) })),
      },
      preValidation: emptyBodyIsEmptyObject,
      ...mutating,
    },
    async (req, reply) => {
      const address = req.body?.address ? decodeAddress(params.addressPrefix, req.body.address) : undefined;
      const mined = await miner.mineOne({ address });
      if (!mined) throw new ApiError(503, 'internal', 'mining was interrupted');
      const entry = chain.getEntry(mined.result.hash)!;
      return reply.status(201).send(await blockView(chain, entry, mined.block));
    },
  );

  const minerView = () => ({
    mining: miner.mining,
    threads: node.searcher.threads,
    hashRate: miner.hashRate(),
    kernel: node.searcher.kernelName,
    address: statusView(node).minerAddress,
    found: miner.found
      .slice(-20)
      .reverse()
      .map((m) => {
        const entry = chain.getEntry(m.result.hash);
        return entry ? blockSummary(params, entry, m.block) : null;
      })
      .filter((b) => b !== null),
  });

  app.get('/api/v1/miner', { schema: { tags: ['miner'], summary: 'Miner state' } }, async () => minerView());

  app.post<{ Body: { address?: string } | undefined }>(
    '/api/v1/miner/start',
    {
      schema: {
        tags: ['miner'],
        summary: 'Start continuous mining',
        body: Type.Optional(Type.Object({ address: Type.Optional(Type.String({ maxLength: 120 })) })),
      },
      preValidation: emptyBodyIsEmptyObject,
      ...mutating,
    },
    async (req) => {
      if (req.body?.address) miner.address = decodeAddress(params.addressPrefix, req.body.address);
      miner.start();
      return minerView();
    },
  );

  app.post(
    '/api/v1/miner/stop',
    { schema: { tags: ['miner'], summary: 'Stop continuous mining' }, ...mutating },
    async () => {
      await miner.stop();
      return minerView();
    },
  );

  app.get('/api/v1/peers', { schema: { tags: ['network'], summary: 'Connected peers' } }, async () => ({
    peers: node.p2p.peers(),
    http: [...node.httpPeers],
  }));

  app.post<{ Body: { address: string } }>(
    '/api/v1/peers',
    {
      schema: {
        tags: ['network'],
        summary: 'Connect to a peer by http URL or multiaddr',
        body: Type.Object({ address: Type.String({ minLength: 1, maxLength: 500 }) }),
      },
      ...mutating,
    },
    async (req, reply) => {
      const address = req.body.address.trim();
      if (address.startsWith('/')) {
        try {
          await node.p2p.dial(address);
        } catch (e) {
          throw badRequest(`cannot connect to ${address}: ${(e as Error).message}`, 'peer-unreachable');
        }
      } else {
        const url = parseHttpUrl(address);
        await node.registerHttpPeers([url]);
      }
      return reply.status(201).send({ peers: node.p2p.peers() });
    },
  );

  app.get('/api/v1/wallet', { schema: { tags: ['wallet'], summary: "The node's own wallet" } }, async () => {
    const info = await addressInfo(node, node.wallet.address, 0, 20);
    return { address: node.wallet.address, balance: info.balance };
  });
}
