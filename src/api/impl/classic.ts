// The classic tutorial endpoints (definitions/classic.ts) on a real chain.
import { fromHex, isHex } from '../../core/bytes.js';
import { COIN, formatCoins } from '../../core/params.js';
import { txid } from '../../core/tx.js';
import { decodeAddress } from '../../crypto/address.js';
import type { MempoolEntry } from '../../mempool/mempool.js';
import { createChainCache } from '../chain-cache.js';
import type { ApiContext } from '../context.js';
import { classic as defs } from '../definitions/classic.js';
import type { BodyOf } from '../definitions/endpoint.js';
import { ApiError, badRequest } from '../errors.js';
import { parseAmount, parseHttpUrl } from '../parse.js';
import { chainPage } from '../read-bounds.js';
import type { RouteDef } from '../route-table.js';
import { MAX_MINE_COUNT } from '../schemas/index.js';
import { classicBlock, spentCoinsOfBlock, txView } from '../views.js';
import { bind } from './bind.js';

type NewTxBody = BodyOf<typeof defs.newTransaction>;

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
const newTxAccess = (body: NewTxBody): 'public' | 'operator' =>
  typeof body.hex === 'string' || refusalOf(body) ? 'public' : 'operator';

/** A page of at most CHAIN_PAGE_MAX blocks; the whole chain only while it is that short (read-bounds.ts). */
function pageOf(
  chain: ApiContext['chain'],
  query: { from?: string; limit?: string },
  route = '/chain',
): { from: number; to: number } {
  return chainPage(chain.height, query, route);
}

/** `?count=` of GET /mine: 1 when absent, else a whole number from 1 to MAX_MINE_COUNT. */
function parseMineCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^[0-9]{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_MINE_COUNT))
    throw badRequest(`count must be a whole number from 1 to ${MAX_MINE_COUNT}, not "${text}"`);
  return n;
}

/** The http URLs of a /nodes/register body: a list, or a comma-separated string (a form). */
function nodesOf(body: unknown): string[] {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  const unknown = Object.keys(record).filter((k) => k !== 'nodes');
  if (unknown.length > 0) {
    throw badRequest(
      `unknown field ${JSON.stringify(unknown[0])}: /nodes/register takes {"nodes": ["http://host:port", …]}`,
      'unknown-field',
    );
  }
  const raw = 'nodes' in record ? record.nodes : undefined;
  const list: unknown[] | undefined =
    typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (!list || list.length === 0) throw badRequest('Error: Please supply a valid list of nodes');
  if (list.length > 64) throw badRequest('at most 64 nodes per request');
  return list.map((u) => parseHttpUrl(u));
}

type ClassicPorts = Pick<
  ApiContext,
  'params' | 'chain' | 'mempool' | 'miner' | 'network' | 'submitter' | 'nodeWallet'
>;

export function classicRoutes(ctx: ClassicPorts): RouteDef[] {
  const { chain, mempool, miner, params, network } = ctx;
  // The whole-chain answers, built once per block and shared by concurrent requests (chain-cache.ts).
  const chainCache = createChainCache(chain);
  return [
    bind(defs.classicMine, async (req) => {
      const count = parseMineCount(req.query.count);
      const address = req.query.address ? decodeAddress(params.addressPrefix, req.query.address) : undefined;
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
    }),
    bind(
      defs.newTransaction,
      async (req, reply) => {
        const body = req.body;
        const refused = refusalOf(body);
        if (refused) throw refused;
        const sent =
          typeof body.hex === 'string'
            ? await submitSigned(ctx, body.hex)
            : await payFromNodeWallet(ctx, body);
        return reply.status(201).send(newTxAnswer(chain.height + 1, sent));
      },
      { accessOf: (req) => newTxAccess(req.body) },
    ),
    bind(defs.pendingTransactions, async () => {
      await mempool.settled();
      return {
        transactions: mempool.sorted().map((e) => txView(params, e.tx, { confirmations: 0, spent: e.spent })),
      };
    }),
    bind(defs.classicChain, async (req, reply) => {
      const { from, to } = pageOf(chain, req.query);
      return reply.type('application/json').send(chainCache.stream('chain', from, to, {}));
    }),
    bind(defs.registerNodes, async (req, reply) => {
      await network.registerHttpPeers(nodesOf(req.body));
      return reply
        .status(201)
        .send({ message: 'New nodes have been added', total_nodes: [...network.httpPeers()] });
    }),
    bind(defs.resolveNodes, async (req, reply) => {
      pageOf(chain, req.query, '/nodes/resolve'); // a page the answer could not give is refused before syncing
      const before = chain.tip;
      await network.resolve();
      const replaced = chain.tip !== before;
      const { from, to } = pageOf(chain, req.query, '/nodes/resolve');
      return reply.type('application/json').send(
        chainCache.stream(replaced ? 'new_chain' : 'chain', from, to, {
          message: replaced ? 'Our chain was replaced' : 'Our chain is authoritative',
        }),
      );
    }),
    bind(defs.getNodes, async () => {
      const peers = network.peers();
      return { nodes: [...network.httpPeers(), ...peers.map((p) => p.address)], peers };
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

async function submitSigned(ctx: Pick<ApiContext, 'submitter'>, hex: string): Promise<Sent> {
  if (!isHex(hex)) throw badRequest('hex must be the serialized transaction in hex', 'bad-encoding');
  return { entry: await ctx.submitter.submitTx(fromHex(hex)) };
}

async function payFromNodeWallet(
  ctx: Pick<ApiContext, 'params' | 'nodeWallet'>,
  body: NewTxBody,
): Promise<Sent> {
  const { nodeWallet } = ctx;
  const missing = (['recipient', 'amount'] as const).filter((k) => body[k] === undefined || body[k] === '');
  if (missing.length > 0) throw badRequest(`Missing values: ${missing.join(', ')}`);
  const sender = typeof body.sender === 'string' ? body.sender.trim() : '';
  if (sender !== '' && sender !== nodeWallet.address) {
    throw new ApiError(
      400,
      'not-your-key',
      `only the owner of ${sender}'s private key can spend its coins, and this node does not hold it. ` +
        'Sign the transaction in a wallet (`hashline wallet send`, or the web wallet) and POST it as {"hex": "..."}, ' +
        `or omit "sender" to pay from this node's own wallet (${nodeWallet.address}).`,
    );
  }
  if (typeof body.recipient !== 'string')
    throw badRequest('recipient must be an address string', 'bad-address');
  decodeAddress(ctx.params.addressPrefix, body.recipient.trim());
  const amount = parseAmount(body.amount);
  const data = typeof body.data === 'string' ? body.data : undefined;
  const entry = await nodeWallet.send({ recipient: body.recipient.trim(), amount, data });
  return { entry, amount };
}
