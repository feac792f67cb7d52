// Every JSON answer of a real in-process node against its schema in src/api/schemas. Fastify serialises
// with the response schemas and silently drops what they lack, so each handler's own payload (caught
// before serialisation) is checked against a closed copy of its schema, and must equal what was served.
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressInfo, getBlockView, getTxView } from '../../../src/api/queries.js';
import {
  AddressSchema,
  BlockSchema,
  BlocksSchema,
  ChainSchema,
  ClassicMineSchema,
  ErrorSchema,
  MempoolSchema,
  MinedBlockSchema,
  MinerSchema,
  NewTxSchema,
  NodesRegisteredSchema,
  NodesSchema,
  PeerAddedSchema,
  PeersSchema,
  PendingSchema,
  ResolveSchema,
  SearchSchema,
  StatusSchema,
  SubmitBlockSchema,
  SubmitTxSchema,
  TxSchema,
  WalletSchema,
} from '../../../src/api/schemas/index.js';
import { buildServer } from '../../../src/api/server.js';
import { statusView } from '../../../src/api/status.js';
import { encodeBlock } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { HashlineNode } from '../../../src/node/node.js';
import { buildTransaction } from '../../../src/wallet/build-tx.js';
import { tempDir } from '../../support/chain-fixture.js';
import { inProcessNodeConfig } from '../../support/in-process-node.js';
import { other, wallet } from '../wallet/helpers.js';

/** A copy of the schema with every object closed, whatever the module says. */
function strict<T extends TSchema>(schema: T): T {
  const walk = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(walk);
    if (typeof s !== 'object' || s === null) return s;
    // Spread keeps TypeBox's symbol keys, which Value needs.
    const copy: Record<string, unknown> = { ...s };
    for (const key of Object.keys(copy)) copy[key] = walk(copy[key]);
    if (copy.type === 'object') copy.additionalProperties = false;
    return copy;
  };
  return walk(schema) as T;
}

function expectShape(schema: TSchema, body: unknown, what: string): void {
  const errors = [...Value.Errors(strict(schema), body)].map((e) => `${e.path || '/'}: ${e.message}`);
  expect(errors, what).toEqual([]);
  expect(Value.Check(strict(schema), body), what).toBe(true);
}

/** The JSON a view becomes without any schema (what the handlers sent before response schemas). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const config = (dataDir: string) => inProcessNodeConfig(dataDir);

const dirA = tempDir('hashline-schemas-a-');
const dirB = tempDir('hashline-schemas-b-');
let node: HashlineNode;
let peer: HashlineNode;
let app: FastifyInstance;
/** What each handler returned, by request id, before the serializer saw it. */
const raw = new Map<string, unknown>();
const payee = other.receiveAddress(0);
const history = { paidTxid: '', paidBlock: '', pendingTxid: '', signedTxid: '', coinbaseTxid: '' };

/**
 * The served JSON. For a serialised (not streamed) answer, the handler's payload must match the schema
 * with every object closed, and serialisation must have kept all of it, unchanged.
 */
async function call(method: 'GET' | 'POST', url: string, status: number, payload?: Record<string, unknown>) {
  const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  const served = res.json() as unknown;
  const id = res.headers['x-request-id'];
  const handled = typeof id === 'string' && raw.has(id) ? plain(raw.get(id)) : undefined;
  if (handled !== undefined) expect(served, `${method} ${url}`).toEqual(handled);
  return { served, handled };
}

/** Streamed answers skip the serializer: what was served is what the handler wrote. */
const STREAMED = /^\/(chain|nodes\/resolve)(\?|$)/;

async function checked(schema: TSchema, method: 'GET' | 'POST', url: string, status: number, body?: object) {
  const { served, handled } = await call(method, url, status, body as Record<string, unknown> | undefined);
  if (!STREAMED.test(url)) expect(handled, `the payload of ${method} ${url}`).toBeDefined();
  expectShape(schema, handled ?? served, `${method} ${url}`);
  return served;
}

const get = async (url: string, status = 200) => (await call('GET', url, status)).served;
const post = async (url: string, payload: Record<string, unknown>, status = 201) =>
  (await call('POST', url, status, payload)).served;

/** A transaction signed outside the node, spending a coinbase of the test wallet. */
async function signedPayment(): Promise<{ hex: string; txid: string }> {
  const info = (await get(`/api/v1/address/${wallet.receiveAddress(0)}`)) as {
    utxos: Array<{ txid: string; index: number; amount: string; spendable: boolean }>;
  };
  const built = buildTransaction({
    params: node.params,
    utxos: info.utxos
      .filter((u) => u.spendable)
      .map((u) => ({ ...u, amount: BigInt(u.amount), address: wallet.receiveAddress(0) })),
    payments: [{ address: payee, amount: 7_000n }],
    feeRate: 2n,
    changeAddress: wallet.changeAddress(0),
    data: 'signed elsewhere',
    keyFor: (a) => wallet.keyForAddress(a),
  });
  return { hex: built.hex, txid: built.txid };
}

beforeAll(async () => {
  node = await HashlineNode.start(config(dirA.path));
  peer = await HashlineNode.start(config(dirB.path));
  // A second server on the node's API context, with a hook that keeps each handler's payload.
  app = await buildServer(node.apiContext(), {
    host: '127.0.0.1',
    token: 'unused',
    allowHosts: [],
    corsOrigins: [],
    web: false,
  });
  app.addHook('preSerialization', async (req, reply, payload) => {
    raw.set(req.id, payload);
    void reply.header('x-request-id', req.id);
    return payload;
  });
  // A handler that sends JSON it rendered itself (the block view, as bytes) skips serialisation: keep it.
  app.addHook('onSend', async (req, reply, payload) => {
    if (
      !raw.has(req.id) &&
      (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
      reply.getHeader('content-type')?.toString().startsWith('application/json')
    ) {
      raw.set(req.id, JSON.parse(payload.toString()));
      void reply.header('x-request-id', req.id);
    }
    return payload;
  });
  await app.ready();
  // History: coins for the test wallet and the node wallet, a confirmed payment, then pending ones.
  const first = (await post('/api/v1/mine', { address: wallet.receiveAddress(0) })) as {
    txs: { txid: string }[];
  };
  history.coinbaseTxid = first.txs[0]!.txid;
  await post('/api/v1/mine', {});
  await post('/api/v1/mine', {});
  history.paidTxid = (
    (await post('/transactions/new', { recipient: payee, amount: 1_000 })) as { txid: string }
  ).txid;
  history.paidBlock = ((await post('/api/v1/mine', {})) as { hash: string }).hash;
  history.pendingTxid = (
    (await post('/transactions/new', { recipient: payee, amount: '2500' })) as { txid: string }
  ).txid;
  const signed = await signedPayment();
  await checked(SubmitTxSchema, 'POST', '/api/v1/tx', 201, { hex: signed.hex });
  history.signedTxid = signed.txid;
  // A connected peer, so that the peer lists are not empty.
  const peerAddr = peer.apiContext().network.addrs()[0]!;
  await checked(PeerAddedSchema, 'POST', '/api/v1/peers', 201, { address: peerAddr });
  const deadline = Date.now() + 10_000;
  while (
    node
      .apiContext()
      .network.peers()
      .every((p) => p.height < 0) &&
    Date.now() < deadline
  )
    await new Promise((r) => setTimeout(r, 50));
}, 30_000);

afterAll(async () => {
  await app?.close();
  await peer?.stop();
  await node?.stop();
  dirA.cleanup();
  dirB.cleanup();
});

describe('every JSON answer matches its schema, with no field left out of it', () => {
  const reads: Array<[string, () => string, TSchema]> = [
    ['status', () => '/api/v1/status', StatusSchema],
    ['blocks', () => '/api/v1/blocks?from=0&limit=10', BlocksSchema],
    ['genesis block', () => '/api/v1/blocks/0', BlockSchema],
    ['block with a payment', () => `/api/v1/blocks/${history.paidBlock}`, BlockSchema],
    ['confirmed tx', () => `/api/v1/tx/${history.paidTxid}`, TxSchema],
    ['coinbase tx', () => `/api/v1/tx/${history.coinbaseTxid}`, TxSchema],
    ['pending tx', () => `/api/v1/tx/${history.pendingTxid}`, TxSchema],
    ['address with pending coins', () => `/api/v1/address/${payee}`, AddressSchema],
    ['address, a later page', () => `/api/v1/address/${payee}?offset=1&limit=1`, AddressSchema],
    ['search by height', () => '/api/v1/search?q=1', SearchSchema],
    ['search by block hash', () => `/api/v1/search?q=${history.paidBlock}`, SearchSchema],
    ['search by txid', () => `/api/v1/search?q=${history.pendingTxid}`, SearchSchema],
    ['search by address', () => `/api/v1/search?q=${payee}`, SearchSchema],
    ['search for nothing', () => '/api/v1/search?q=nothing', SearchSchema],
    ['mempool', () => '/api/v1/mempool', MempoolSchema],
    ['node wallet', () => '/api/v1/wallet', WalletSchema],
    ['miner', () => '/api/v1/miner', MinerSchema],
    ['peers', () => '/api/v1/peers', PeersSchema],
    ['classic pending', () => '/transactions/get', PendingSchema],
    ['classic nodes', () => '/nodes/get', NodesSchema],
    ['classic chain (streamed)', () => '/chain', ChainSchema],
  ];
  for (const [what, url, schema] of reads) {
    it(`GET ${what}`, async () => {
      await checked(schema, 'GET', url(), 200);
    });
  }

  it('has a peer to describe, and pending and confirmed history to describe', async () => {
    const peers = (await get('/api/v1/peers')) as { peers: Array<{ height: number }> };
    expect(peers.peers.length).toBeGreaterThan(0);
    const mempool = (await get('/api/v1/mempool')) as { txs: Array<{ txid: string }> };
    expect(mempool.txs.map((t) => t.txid).sort()).toEqual([history.pendingTxid, history.signedTxid].sort());
  });

  it('POST /api/v1/blocks: a known block is a 200 duplicate', async () => {
    const ctx = node.apiContext();
    const block = (await ctx.chain.getBlock(history.paidBlock))!;
    const body = await checked(SubmitBlockSchema, 'POST', '/api/v1/blocks', 200, {
      hex: toHex(encodeBlock(block)),
    });
    expect(body).toEqual({ hash: history.paidBlock, status: 'duplicate' });
  });

  it('POST /nodes/register and GET /nodes/resolve (streamed)', async () => {
    await checked(NodesRegisteredSchema, 'POST', '/nodes/register', 201, { nodes: ['http://127.0.0.1:9'] });
    await checked(ResolveSchema, 'GET', '/nodes/resolve', 200);
  });

  it('errors are {error, message}', async () => {
    await checked(ErrorSchema, 'GET', '/api/v1/blocks/99999', 404);
    await checked(ErrorSchema, 'GET', `/api/v1/tx/${'ab'.repeat(32)}`, 404);
  });
});

describe('serialisation keeps every field the handlers produce', () => {
  const ctx = () => node.apiContext();

  it('GET /api/v1/status', async () => {
    const served = (await get('/api/v1/status')) as Record<string, unknown>;
    // The hash rate is a decaying average: only its type is stable between two reads.
    expect(served.hashRate).toEqual(expect.any(Number));
    expect({ ...served, hashRate: 0 }).toEqual({ ...(plain(statusView(ctx())) as object), hashRate: 0 });
    expect(Object.keys(served)).toEqual(expect.arrayContaining(['walletAddress', 'genesis', 'p2p', 'sync']));
  });

  it('GET /api/v1/blocks/:id', async () => {
    const served = (await get(`/api/v1/blocks/${history.paidBlock}`)) as {
      txs: Array<Record<string, unknown>>;
    };
    expect(served).toEqual(plain(await getBlockView(ctx(), history.paidBlock)));
    const paid = served.txs.find((t) => t.txid === history.paidTxid)!;
    expect(paid.fee).toMatch(/^[1-9][0-9]*$/);
    // A block view leaves Merkle proofs to the tx view.
    expect(paid.merkleProof).toBeNull();
    expect(served.txs[0]!.data).toMatchObject({ height: expect.any(Number), extraNonce: expect.any(String) });
  });

  it('GET /api/v1/tx/:txid, confirmed and pending', async () => {
    for (const id of [history.paidTxid, history.pendingTxid, history.signedTxid]) {
      expect(await get(`/api/v1/tx/${id}`)).toEqual(plain(await getTxView(ctx(), id)));
    }
    const pending = (await get(`/api/v1/tx/${history.signedTxid}`)) as Record<string, unknown>;
    expect(pending).toMatchObject({ block: null, merkleProof: null, confirmations: 0 });
    expect(pending.data).toEqual({ hex: expect.any(String), text: 'signed elsewhere' });
  });

  it('GET /api/v1/address/:address: an unconfirmed coin has height -1, pending history height null', async () => {
    const served = (await get(`/api/v1/address/${payee}`)) as {
      utxos: Array<{ height: number; spentBy: string | null }>;
      history: Array<{ height: number | null }>;
    };
    expect(served).toEqual(plain(await addressInfo(ctx(), payee, 0, 50)));
    expect(served.utxos.map((u) => u.height)).toContain(-1);
    expect(served.utxos.every((u) => 'spentBy' in u)).toBe(true);
    expect(served.history.map((h) => h.height)).toContain(null);
  });

  it('a tutorial block names the sender and fee of a confirmed payment, from the coins it spent', async () => {
    const chain = (await get('/chain?from=4&limit=1')) as {
      chain: Array<{ transactions: Array<Record<string, unknown> & { inputs: Record<string, unknown>[] }> }>;
    };
    const paid = chain.chain[0]!.transactions.find((t) => t.txid === history.paidTxid)!;
    const pending = (await get(`/api/v1/tx/${history.paidTxid}`)) as Record<string, unknown>;
    expect(paid.sender).toBe(pending.sender);
    expect(paid.fee).toBe(pending.fee);
    expect(paid.sender).toMatch(/^hlrt1/);
    expect(BigInt(paid.fee as string)).toBeGreaterThan(0n);
    expect(paid.inputs[0]).toMatchObject({ address: paid.sender });
    expect(paid.inputs[0]!.amount).toMatch(/^\d+$/);
    expect(paid.merkleProof).toBeNull();
  });
});

describe('OpenAPI at /docs', () => {
  it('documents the answers with the response schemas', async () => {
    const doc = (await get('/docs/json')) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const status = doc.paths['/api/v1/status']!.get!.responses['200'] as {
      content: { 'application/json': { schema: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(status.content['application/json'].schema.properties)).toEqual(
      Object.keys(StatusSchema.properties),
    );
    expect(doc.paths['/api/v1/tx']!.post!.responses).toHaveProperty('201');
    expect(doc.paths['/api/v1/address/{address}']!.get!.responses).toHaveProperty('200');
  });
});

describe('operator writes answer in their schema', () => {
  it('GET /mine (tutorial shape)', async () => {
    await checked(ClassicMineSchema, 'GET', '/mine', 200);
  });

  it('POST /transactions/new', async () => {
    await checked(NewTxSchema, 'POST', '/transactions/new', 201, { recipient: payee, amount: 10 });
  });

  it('POST /api/v1/mine, then the miner started and stopped', async () => {
    const mined = await checked(MinedBlockSchema, 'POST', '/api/v1/mine', 201, {});
    const ctx = node.apiContext();
    const { hash, hashes, ...block } = mined as { hash: string; hashes: string[] };
    expect(hashes).toEqual([hash]);
    expect({ hash, ...block }).toEqual(plain(await getBlockView(ctx, hash)));
    await checked(MinerSchema, 'POST', '/api/v1/miner/start', 200, {});
    await checked(MinerSchema, 'POST', '/api/v1/miner/stop', 200, {});
    const miner = (await get('/api/v1/miner')) as { found: unknown[] };
    expect(miner.found.length).toBeGreaterThan(0);
  });
});
