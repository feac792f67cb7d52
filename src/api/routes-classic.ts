// The classic tutorial endpoints (/mine, /transactions/new, /chain, /nodes/...), with the JSON shapes
// those tutorials document, on a real chain. JSON and form bodies are both accepted.
import { Readable } from 'node:stream';
import type {} from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { fromHex, isHex } from '../core/bytes.js';
import { decodeAddress } from '../crypto/address.js';
import type { HashlineNode } from '../node/node.js';
import { ApiError, badRequest } from './errors.js';
import { parseAmount, parseHttpUrl, parseLimit, parseOffset } from './parse.js';
import { classicBlock, txView } from './views.js';

const TAGS = ['classic tutorial endpoints'];

/** Streams `{"chain":[...],"length":N}` block by block, so a long chain never sits in memory whole. */
function streamChain(
  node: HashlineNode,
  key: string,
  from: number,
  to: number,
  extra: Record<string, unknown>,
): Readable {
  const { chain, params } = node;
  const tipHeight = chain.height;
  async function* generate() {
    const head = Object.entries(extra)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
      .join('');
    yield `{${head}${JSON.stringify(key)}:[`;
    for (let h = from; h <= to; h++) {
      const entry = chain.entryAtHeight(h);
      const block = entry && (await chain.getBlock(entry.hashHex));
      if (!entry || !block) break;
      yield (h > from ? ',' : '') + JSON.stringify(classicBlock(params, entry, block, tipHeight - h + 1));
    }
    yield `],"length":${tipHeight + 1}}`;
  }
  return Readable.from(generate());
}

export function registerClassicRoutes(
  app: FastifyInstance,
  node: HashlineNode,
  mutating: { preHandler: preHandlerHookHandler },
): void {
  const { chain, mempool, miner, params } = node;

  app.get(
    '/mine',
    { schema: { tags: TAGS, summary: 'Mine one block (tutorial shape)' }, ...mutating },
    async () => {
      const mined = await miner.mineOne();
      if (!mined) throw new ApiError(503, 'internal', 'mining was interrupted');
      const entry = chain.getEntry(mined.result.hash)!;
      const view = classicBlock(params, entry, mined.block, chain.height - entry.height + 1);
      return {
        message: 'New Block Forged',
        index: view.index,
        transactions: view.transactions,
        nonce: view.nonce,
        proof: view.proof,
        previous_hash: view.previous_hash,
        hash: view.hash,
        timestamp: view.timestamp,
      };
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/transactions/new',
    {
      schema: {
        tags: TAGS,
        summary: 'Submit a signed transaction ({hex}) or pay from the node wallet ({recipient, amount})',
        body: Type.Object(
          {
            hex: Type.Optional(Type.String()),
            sender: Type.Optional(Type.String()),
            recipient: Type.Optional(Type.String()),
            // Any JSON value: parseAmount answers `bad-amount` for every wrong one (1.5, true, null, "1e3"…).
            amount: Type.Optional(
              Type.Unknown({ description: 'base units: a JSON integer or a string of decimal digits' }),
            ),
            data: Type.Optional(Type.String({ maxLength: 1024 })),
          },
          { additionalProperties: true },
        ),
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      let txid: string;
      if (typeof body.hex === 'string') {
        if (!isHex(body.hex))
          throw badRequest('hex must be the serialized transaction in hex', 'bad-encoding');
        txid = (await node.submitTx(fromHex(body.hex))).txidHex;
      } else {
        const missing = ['recipient', 'amount'].filter((k) => body[k] === undefined || body[k] === '');
        if (missing.length > 0) throw badRequest(`Missing values: ${missing.join(', ')}`);
        const sender = typeof body.sender === 'string' ? body.sender.trim() : '';
        if (sender !== '' && sender !== node.wallet.address) {
          throw new ApiError(
            400,
            'not-your-key',
            `only the owner of ${sender}'s private key can spend its coins, and this node does not hold it. ` +
              'Sign the transaction in a wallet (`hashline wallet send`, or the web wallet) and POST it as {"hex": "..."}, ' +
              `or omit "sender" to pay from this node's own wallet (${node.wallet.address}).`,
          );
        }
        if (typeof body.recipient !== 'string')
          throw badRequest('recipient must be an address string', 'bad-address');
        decodeAddress(params.addressPrefix, body.recipient.trim());
        const amount = parseAmount(body.amount);
        const data = typeof body.data === 'string' ? body.data : undefined;
        const entry = await node.sendFromNodeWallet({ recipient: body.recipient.trim(), amount, data });
        txid = entry.txidHex;
      }
      return reply
        .status(201)
        .send({ message: `Transaction will be added to Block ${chain.height + 1}`, txid });
    },
  );

  app.get('/transactions/get', { schema: { tags: TAGS, summary: 'Pending transactions' } }, async () => ({
    transactions: mempool.sorted().map((e) => txView(params, e.tx, { confirmations: 0, spent: e.spent })),
  }));

  app.get<{ Querystring: { from?: string; limit?: string } }>(
    '/chain',
    { schema: { tags: TAGS, summary: 'The whole chain (or a page with ?from=&limit=)' } },
    async (req, reply) => {
      const from = parseOffset(req.query.from, 'from') ?? 0;
      const limit =
        req.query.limit === undefined ? Number.MAX_SAFE_INTEGER : parseLimit(req.query.limit, 100, 100_000);
      const to = Math.min(chain.height, from + limit - 1);
      return reply.type('application/json').send(streamChain(node, 'chain', from, to, {}));
    },
  );

  app.post<{ Body: { nodes?: unknown } }>(
    '/nodes/register',
    { schema: { tags: TAGS, summary: 'Add peers by http URL' }, ...mutating },
    async (req, reply) => {
      const raw = req.body?.nodes;
      const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
      if (!list || list.length === 0) throw badRequest('Error: Please supply a valid list of nodes');
      if (list.length > 64) throw badRequest('at most 64 nodes per request');
      const urls = list.map((u) => parseHttpUrl(u));
      await node.registerHttpPeers(urls);
      return reply
        .status(201)
        .send({ message: 'New nodes have been added', total_nodes: [...node.httpPeers] });
    },
  );

  app.get(
    '/nodes/resolve',
    { schema: { tags: TAGS, summary: 'Sync with every peer; adopt the valid chain with most work' } },
    async (_req, reply) => {
      const before = chain.tip;
      for (const url of node.httpPeers) await node.connectHttpPeer(url);
      await node.p2p.syncWith().catch(() => ({ blocks: 0 }));
      const replaced = chain.tip !== before;
      return reply.type('application/json').send(
        streamChain(node, replaced ? 'new_chain' : 'chain', 0, chain.height, {
          message: replaced ? 'Our chain was replaced' : 'Our chain is authoritative',
        }),
      );
    },
  );

  app.get('/nodes/get', { schema: { tags: TAGS, summary: 'Known peers' } }, async () => ({
    nodes: [...node.httpPeers, ...node.p2p.peers().map((p) => p.address)],
    peers: node.p2p.peers(),
  }));
}
