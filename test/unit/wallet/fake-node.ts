// A stand-in for the node's REST API (the routes the wallet uses), on 127.0.0.1. Posted transactions are
// checked with the real consensus code (sanity, inputs, node:crypto signatures) before they are accepted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo as SocketAddress } from 'node:net';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { COIN, type NetworkParams } from '../../../src/core/params.js';
import { decodeTx, outpointKey, txidHex } from '../../../src/core/tx.js';
import { checkTxInputs, checkTxSanity, verifySigChecks } from '../../../src/core/validation.js';
import { decodeAddress, encodeAddress } from '../../../src/crypto/address.js';
import { verifyNode } from '../../../src/crypto/ed25519-node.js';

interface FakeCoin {
  readonly txid: string;
  readonly index: number;
  readonly amount: bigint;
  readonly address: string;
  height: number | null;
  readonly coinbase: boolean;
  /** The mempool transaction spending it: the real node still lists such coins, marked. */
  spentBy: string | null;
}

interface FakeTx {
  readonly txid: string;
  height: number | null;
  time: number | null;
  readonly outputs: ReadonlyArray<{ address: string; amount: bigint }>;
  readonly spent: ReadonlyArray<{ address: string; amount: bigint }>;
  readonly data: Uint8Array;
}

export class FakeNode {
  height = 1;
  minFeeRate = 1;
  network: string;
  readonly coins = new Map<string, FakeCoin>();
  readonly txs: FakeTx[] = [];
  /** Paths requested, in order (to count the scan's queries). */
  readonly requests: string[] = [];
  private counter = 0;

  private constructor(
    readonly params: NetworkParams,
    private readonly server: Server,
    readonly url: string,
  ) {
    this.network = params.name;
  }

  static async start(params: NetworkParams): Promise<FakeNode> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as SocketAddress;
    const node = new FakeNode(params, server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      node
        .handle(req, res)
        .catch((e: Error) => node.send(res, 500, { error: 'internal', message: e.message }));
    });
    return node;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A confirmed payment to `address` from outside the wallet. */
  fund(address: string, amount: bigint, opts: { coinbase?: boolean } = {}): string {
    const txid = toHex(sha256(new TextEncoder().encode(`fund ${this.counter++}`)));
    this.coins.set(outpointKey(txid, 0), {
      txid,
      index: 0,
      amount,
      address,
      height: this.height,
      coinbase: opts.coinbase ?? false,
      spentBy: null,
    });
    this.txs.push({
      txid,
      height: this.height,
      time: 1_800_000_000 + this.height,
      outputs: [{ address, amount }],
      spent: [],
      data: new Uint8Array(),
    });
    return txid;
  }

  mempool(): FakeTx[] {
    return this.txs.filter((t) => t.height === null);
  }

  /** Confirms the mempool in a new block, paying `address` a coinbase if given. */
  mine(address?: string): number {
    this.height++;
    for (const tx of this.mempool()) {
      tx.height = this.height;
      tx.time = 1_800_000_000 + this.height;
    }
    for (const [key, coin] of this.coins) {
      if (coin.spentBy) this.coins.delete(key);
      else coin.height ??= this.height;
    }
    if (address) this.fund(address, 50n * COIN, { coinbase: true });
    return this.height;
  }

  send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    res.writeHead(status, { 'content-type': 'application/json' }).end(text);
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(url.pathname);
    if (req.method === 'GET' && url.pathname === '/api/v1/status') {
      const mempool = this.mempool();
      return this.send(res, 200, {
        network: this.network,
        version: 'fake',
        height: this.height,
        tip: '00'.repeat(32),
        mempool: { count: mempool.length, bytes: 0, minFeeRate: this.minFeeRate },
        peers: 0,
      });
    }
    const addressMatch = /^\/api\/v1\/address\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && addressMatch) {
      const address = decodeURIComponent(addressMatch[1]!);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      return this.send(res, 200, this.addressInfo(address, offset, limit));
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/tx') {
      const { hex } = await this.body(req);
      const [status, answer] = this.acceptTx(String(hex));
      return this.send(res, status, answer);
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/mine') {
      const { address } = await this.body(req);
      const height = this.mine(typeof address === 'string' ? address : undefined);
      return this.send(res, 201, { hash: 'ab'.repeat(32), height });
    }
    return this.send(res, 404, { error: 'not-found', message: `no route ${req.method} ${url.pathname}` });
  }

  private addressInfo(address: string, offset: number, limit: number) {
    const utxos = [...this.coins.values()]
      .filter((c) => c.address === address)
      .map((c) => ({
        txid: c.txid,
        index: c.index,
        amount: c.amount,
        height: c.height ?? -1,
        coinbase: c.coinbase,
        confirmations: c.height === null ? 0 : this.height - c.height + 1,
        spendable:
          c.spentBy === null &&
          (!c.coinbase || (c.height !== null && this.height + 1 - c.height >= this.params.coinbaseMaturity)),
        spentBy: c.spentBy,
      }));
    const touching = this.txs
      .map((t) => ({
        t,
        delta:
          t.outputs.filter((o) => o.address === address).reduce((s, o) => s + o.amount, 0n) -
          t.spent.filter((o) => o.address === address).reduce((s, o) => s + o.amount, 0n),
        involved: t.outputs.some((o) => o.address === address) || t.spent.some((o) => o.address === address),
      }))
      .filter((x) => x.involved)
      .reverse();
    const history = touching.slice(offset, offset + limit).map(({ t, delta }) => ({
      txid: t.txid,
      height: t.height,
      time: t.time,
      delta,
    }));
    const confirmed = utxos.filter((u) => u.height !== null).reduce((s, u) => s + u.amount, 0n);
    const unconfirmed = touching.filter((x) => x.t.height === null).reduce((s, x) => s + x.delta, 0n);
    return { address, balance: { confirmed, unconfirmed }, utxos, history, total: touching.length };
  }

  /** Checks and stores a posted transaction: [HTTP status, answer]. */
  private acceptTx(hex: string): [number, unknown] {
    let tx: ReturnType<typeof decodeTx>;
    try {
      tx = decodeTx(fromHex(hex));
    } catch {
      return [400, { error: 'bad-encoding', message: 'cannot decode the transaction' }];
    }
    const sanity = checkTxSanity(tx);
    if (sanity) return [400, sanity.toJSON()];
    const prefix = this.params.addressPrefix;
    const view = {
      get: (key: string) => {
        const c = this.coins.get(key);
        if (c?.spentBy) return undefined;
        return (
          c && {
            amount: c.amount,
            address: decodeAddress(prefix, c.address),
            height: c.height ?? this.height + 1,
            coinbase: c.coinbase,
          }
        );
      },
    };
    const inputs = checkTxInputs(tx, view, this.height + 1, this.params);
    if (!inputs.ok) return [400, inputs.error.toJSON()];
    const bad = verifySigChecks(inputs.value.sigChecks, verifyNode);
    if (bad) return [400, bad.toJSON()];
    if (inputs.value.fee < BigInt(this.minFeeRate * (hex.length / 2))) {
      return [400, { error: 'fee-too-low', message: 'the fee rate is below the minimum' }];
    }
    const txid = txidHex(tx);
    const spent = tx.inputs.map((input) => {
      const key = outpointKey(input.prevTxid, input.prevIndex);
      const coin = this.coins.get(key)!;
      coin.spentBy = txid;
      return { address: coin.address, amount: coin.amount };
    });
    const outputs = tx.outputs.map((o, index) => {
      const address = encodeAddress(prefix, o.address);
      this.coins.set(outpointKey(txid, index), {
        txid,
        index,
        amount: o.amount,
        address,
        height: null,
        coinbase: false,
        spentBy: null,
      });
      return { address, amount: o.amount };
    });
    this.txs.push({ txid, height: null, time: null, outputs, spent, data: tx.data });
    return [201, { txid }];
  }
}
