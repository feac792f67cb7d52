// The classic tutorial endpoints (/mine, /transactions/new, /chain, /nodes/...), with the JSON shapes
// those tutorials document, on a real chain. JSON and form bodies are both accepted.
import type { FastifyRequest } from 'fastify';
import { fromHex, isHex } from '../core/bytes.js';
import { COIN, formatCoins } from '../core/params.js';
import { txid } from '../core/tx.js';
import { decodeAddress } from '../crypto/address.js';
import type { MempoolEntry } from '../mempool/mempool.js';
import { createChainCache } from './chain-cache.js';
import type { ApiContext } from './context.js';
import { ApiError, badRequest } from './errors.js';
import { parseAmount, parseHttpUrl } from './parse.js';
import { chainPage } from './read-bounds.js';
import { type RouteDef, route } from './route-table.js';
import {
  ClassicMineSchema,
  MAX_MINE_COUNT,
  MineQuery,
  NewTxRequestBody,
  NewTxSchema,
  NodesRegisteredSchema,
  NodesSchema,
  PageQuery,
  PendingSchema,
} from './schemas/index.js';
import { classicBlock, spentCoinsOfBlock, txView } from './views.js';

const TAGS = ['classic tutorial endpoints'];

type NewTxBody = Record<string, unknown>;

const NEW_TX_FIELDS = new Set(['hex', 'sender', 'recipient', 'amount', 'data']);
/** Field names of the RSA-signed tutorial client (sender_address, recipient_address, amount, signature). */
const RSA_TUTORIAL_FIELDS = ['sender_address', 'recipient_address', 'signature'];

/**
 * Why a /transactions/new body is refused before anything else, if it is: a field this route does not
 * take is named, and the RSA tutorial client's shape gets an explanation of what to do instead.
 */
function refusalOf(body: NewTxBody): ApiError | undefined {
  const unknown = Object.keys(body).filter((k) => !NEW_TX_FIELDS.has(k));
  if (unknown.length === 0) return undefined;
  if (unknown.some((k) => RSA_TUTORIAL_FIELDS.includes(k))) {
    return new ApiError(
      400,
      'rsa-signed-transaction',
      'this looks like a transaction from the RSA-signed tutorial client (sender_address, recipient_address, ' +
        'signature). Hashline coins are locked to Ed25519 keys in a UTXO chain, so an RSA signature cannot ' +
        'spend them. Instead, let the node wallet pay: POST {"recipient": "<address>", "amount": <base units>} ' +
        "without a sender, from this machine (curl or the node's dashboard); or sign with the Hashline wallet " +
        '(the web wallet, or `hashline wallet send`) and POST {"hex": "<signed transaction>"}.',
    );
  }
  return badRequest(
    `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: ` +
      '/transactions/new takes {"hex"} (a signed transaction) or {"recipient", "amount", "sender"?, "data"?}',
    'unknown-field',
  );
}

/**
 * A body with `hex` carries a transaction signed elsewhere, and one refused by its shape spends nothing:
 * both may come from any site. Without them the node's own wallet pays: an operator's call.
 */
function newTxAccess(req: FastifyRequest): 'public' | 'operator' {
  const body = (req.body ?? {}) as NewTxBody;
  return typeof body.hex === 'string' || refusalOf(body) ? 'public' : 'operator';
}

/** A page of at most CHAIN_PAGE_MAX blocks; the whole chain only while it is that short (read-bounds.ts). */
function pageOf(
  ctx: ApiContext,
  query: { from?: string; limit?: string },
  route = '/chain',
): { from: number; to: number } {
  return chainPage(ctx.chain.height, query, route);
}

/** `?count=` of GET /mine: 1 when absent, else a whole number from 1 to MAX_MINE_COUNT. */
function parseMineCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^[0-9]{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_MINE_COUNT))
    throw badRequest(`count must be a whole number from 1 to ${MAX_MINE_COUNT}, not "${text}"`);
  return n;
}

export function classicRoutes(ctx: ApiContext): RouteDef[] {
  const { chain, mempool, miner, params } = ctx;
  // The whole-chain answers, built once per block and shared by concurrent requests (chain-cache.ts).
  const chainCache = createChainCache(chain);
  return [
    route<{ Querystring: { count?: string; address?: string } }>({
      method: 'GET',
      url: '/mine',
      access: 'operator',
      schema: {
        tags: TAGS,
        summary: `Mine a block (tutorial shape); ?count=1..${MAX_MINE_COUNT} mines several, ?address= pays another address`,
        querystring: MineQuery,
        response: { 200: ClassicMineSchema },
      },
      handler: async (req) => {
        const count = parseMineCount(req.query.count);
        const address = req.query.address
          ? decodeAddress(params.addressPrefix, req.query.address)
          : undefined;
        const all = await miner.mineMany(count, { address });
        const mined = all.at(-1);
        if (!mined) throw new ApiError(503, 'internal', 'mining was interrupted');
        const entry = chain.getEntry(mined.result.hash)!;
        const spent = await spentCoinsOfBlock(
          chain.store.blocks,
          entry,
          mined.block,
          mined.block.txs.map(txid),
        );
        const view = classicBlock(params, entry, mined.block, chain.height - entry.height + 1, spent);
        return {
          message: 'New Block Forged',
          index: view.index,
          block_number: view.block_number,
          transactions: view.transactions,
          nonce: view.nonce,
          proof: view.proof,
          previous_hash: view.previous_hash,
          hash: view.hash,
          timestamp: view.timestamp,
          hashes: all.map((m) => m.result.hash),
        };
      },
    }),
    route<{ Body: NewTxBody }>({
      method: 'POST',
      url: '/transactions/new',
      access: newTxAccess,
      schema: {
        tags: TAGS,
        summary: 'Submit a signed transaction ({hex}) or pay from the node wallet ({recipient, amount})',
        body: NewTxRequestBody,
        response: { 201: NewTxSchema },
      },
      handler: async (req, reply) => {
        const body = req.body ?? {};
        const refused = refusalOf(body);
        if (refused) throw refused;
        const sent =
          typeof body.hex === 'string'
            ? await submitSigned(ctx, body.hex)
            : await payFromNodeWallet(ctx, body);
        return reply.status(201).send(newTxAnswer(chain.height + 1, sent));
      },
    }),
    route({
      method: 'GET',
      url: '/transactions/get',
      access: 'public',
      schema: { tags: TAGS, summary: 'Pending transactions', response: { 200: PendingSchema } },
      handler: async () => {
        await ctx.settled();
        return {
          transactions: mempool
            .sorted()
            .map((e) => txView(params, e.tx, { confirmations: 0, spent: e.spent })),
        };
      },
    }),
    route<{ Querystring: { from?: string; limit?: string } }>({
      method: 'GET',
      url: '/chain',
      access: 'public',
      schema: {
        tags: TAGS,
        summary:
          'The whole chain up to 1,000 blocks, else a page with ?from=&limit= (1..1000), streamed: {chain: [block…], length}',
        querystring: PageQuery,
      },
      handler: async (req, reply) => {
        const { from, to } = pageOf(ctx, req.query);
        return reply.type('application/json').send(chainCache.stream('chain', from, to, {}));
      },
    }),
    route<{ Body: { nodes?: unknown } }>({
      method: 'POST',
      url: '/nodes/register',
      access: 'operator',
      schema: { tags: TAGS, summary: 'Add peers by http URL', response: { 201: NodesRegisteredSchema } },
      handler: async (req, reply) => {
        const fields = req.body && !Array.isArray(req.body) ? Object.keys(req.body) : [];
        const unknown = fields.filter((k) => k !== 'nodes');
        if (unknown.length > 0) {
          throw badRequest(
            `unknown field ${JSON.stringify(unknown[0])}: /nodes/register takes {"nodes": ["http://host:port", …]}`,
            'unknown-field',
          );
        }
        const raw = req.body?.nodes;
        const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
        if (!list || list.length === 0) throw badRequest('Error: Please supply a valid list of nodes');
        if (list.length > 64) throw badRequest('at most 64 nodes per request');
        const urls = list.map((u) => parseHttpUrl(u));
        await ctx.network.registerHttpPeers(urls);
        return reply
          .status(201)
          .send({ message: 'New nodes have been added', total_nodes: [...ctx.network.httpPeers()] });
      },
    }),
    route<{ Querystring: { from?: string; limit?: string } }>({
      method: 'GET',
      url: '/nodes/resolve',
      access: 'operator',
      schema: {
        tags: TAGS,
        summary:
          'Sync with every peer; adopt the valid chain with most work. Streamed: {message, new_chain|chain, length}',
        querystring: PageQuery,
      },
      handler: async (req, reply) => {
        pageOf(ctx, req.query, '/nodes/resolve'); // a page the answer could not give is refused before syncing
        const before = chain.tip;
        await ctx.network.resolve();
        const replaced = chain.tip !== before;
        const { from, to } = pageOf(ctx, req.query, '/nodes/resolve');
        return reply.type('application/json').send(
          chainCache.stream(replaced ? 'new_chain' : 'chain', from, to, {
            message: replaced ? 'Our chain was replaced' : 'Our chain is authoritative',
          }),
        );
      },
    }),
    route({
      method: 'GET',
      url: '/nodes/get',
      access: 'operator',
      schema: { tags: TAGS, summary: 'Known peers', response: { 200: NodesSchema } },
      handler: async () => {
        const peers = ctx.network.peers();
        return { nodes: [...ctx.network.httpPeers(), ...peers.map((p) => p.address)], peers };
      },
    }),
  ];
}

interface Sent {
  readonly entry: MempoolEntry;
  /** What the node wallet paid the recipient (absent for a signed transaction). */
  readonly amount?: bigint;
}

/**
 * The 201 answer: the tutorials' message and txid, then the amount and fee in base units and coins,
 * and a warning when the fee is more than the amount (`amount: 5` is 5 base units, not 5 coins).
 */
function newTxAnswer(nextHeight: number, { entry, amount }: Sent) {
  const fee = entry.fee;
  const paid = amount === undefined ? '' : `: ${formatCoins(amount)} coins (${amount} base units)`;
  const answer = {
    message: `Transaction will be added to Block ${nextHeight}${paid}, fee ${formatCoins(fee)} coins (${fee} base units)`,
    txid: entry.txidHex,
    ...(amount === undefined ? {} : { amount: amount.toString(), amountCoins: formatCoins(amount) }),
    fee: fee.toString(),
    feeCoins: formatCoins(fee),
  };
  if (amount === undefined || fee <= amount) return answer;
  return {
    ...answer,
    warning:
      `the fee (${fee} base units) is more than the amount sent (${amount}): amounts are in base units, ` +
      `${COIN.toLocaleString('en-US')} to the coin, so 1 coin is "amount": ${COIN}`,
  };
}

async function submitSigned(ctx: ApiContext, hex: string): Promise<Sent> {
  if (!isHex(hex)) throw badRequest('hex must be the serialized transaction in hex', 'bad-encoding');
  return { entry: await ctx.submitTx(fromHex(hex)) };
}

async function payFromNodeWallet(ctx: ApiContext, body: NewTxBody): Promise<Sent> {
  const missing = ['recipient', 'amount'].filter((k) => body[k] === undefined || body[k] === '');
  if (missing.length > 0) throw badRequest(`Missing values: ${missing.join(', ')}`);
  const sender = typeof body.sender === 'string' ? body.sender.trim() : '';
  if (sender !== '' && sender !== ctx.walletAddress) {
    throw new ApiError(
      400,
      'not-your-key',
      `only the owner of ${sender}'s private key can spend its coins, and this node does not hold it. ` +
        'Sign the transaction in a wallet (`hashline wallet send`, or the web wallet) and POST it as {"hex": "..."}, ' +
        `or omit "sender" to pay from this node's own wallet (${ctx.walletAddress}).`,
    );
  }
  if (typeof body.recipient !== 'string')
    throw badRequest('recipient must be an address string', 'bad-address');
  decodeAddress(ctx.params.addressPrefix, body.recipient.trim());
  const amount = parseAmount(body.amount);
  const data = typeof body.data === 'string' ? body.data : undefined;
  const entry = await ctx.sendFromNodeWallet({ recipient: body.recipient.trim(), amount, data });
  return { entry, amount };
}
