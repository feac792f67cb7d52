// The wallet's view of a node: the few calls it makes, on the API's typed client (src/api/client.ts),
// with amounts turned from decimal strings into bigint and the client's ApiError into the wallet's
// errors (node-unreachable, NodeApiError). Node 20 and browsers.
import { type ApiClient, ApiError, createApiClient } from '../api/client.js';
import type {
  AddressJson,
  BlockJson,
  FeesJson,
  HistoryEntryJson,
  StatusJson,
  SubmitTxJson,
  TxJson,
  UtxoJson,
} from '../api/schemas/index.js';
import { parseUnits } from './amount.js';
import { NodeApiError, WalletError } from './errors.js';

export const DEFAULT_NODE_URL = 'http://127.0.0.1:5000';
const DEFAULT_TIMEOUT_MS = 30_000;

/** GET /api/v1/status as the node sends it. */
export type NodeStatus = StatusJson;

export type AddressUtxo = Readonly<Omit<UtxoJson, 'amount' | 'height' | 'spendable'>> & {
  readonly amount: bigint;
  /** null while unconfirmed (the node sends -1 for an output of a mempool transaction). */
  readonly height: number | null;
  /** Mature, and not already spent by a transaction in the node's mempool. */
  readonly spendable: boolean;
};

export type AddressHistoryEntry = Readonly<Omit<HistoryEntryJson, 'delta'>> & {
  /** What the transaction did to this address's balance. */
  readonly delta: bigint;
};

export interface AddressInfo {
  readonly address: string;
  readonly balance: { readonly confirmed: bigint; readonly unconfirmed: bigint };
  readonly utxos: readonly AddressUtxo[];
  /** Unspent outputs in all pages (`utxos` is one page of at most 1,000); absent from older nodes. */
  readonly utxoTotal?: number;
  /** Newest first; one page of it (see `total`). */
  readonly history: readonly AddressHistoryEntry[];
  /** Number of history entries in all pages. */
  readonly total: number;
}

/** POST /api/v1/mine answers with the whole block. */
export type MinedBlock = BlockJson;

export type NodeTx = TxJson;

export interface NodeClientOptions {
  /** Replaces global fetch (tests, custom agents). */
  readonly fetch?: typeof fetch;
  /** Bearer token (the node's .cookie) for state-changing routes on a non-loopback node. */
  readonly token?: string;
  readonly timeoutMs?: number;
}

function parseAddressInfo(body: AddressJson): AddressInfo {
  return {
    address: body.address,
    balance: {
      confirmed: parseUnits(body.balance.confirmed),
      unconfirmed: parseUnits(body.balance.unconfirmed),
    },
    utxos: body.utxos.map((u) => ({
      txid: u.txid,
      index: u.index,
      amount: parseUnits(u.amount),
      height: u.height >= 0 ? u.height : null,
      coinbase: u.coinbase,
      confirmations: u.confirmations,
      spendable: u.spendable && u.spentBy === null,
      spentBy: u.spentBy,
    })),
    utxoTotal: body.utxoTotal,
    history: body.history.map((h) => ({
      txid: h.txid,
      height: h.height,
      time: h.time,
      delta: parseUnits(h.delta),
    })),
    total: body.total,
  };
}

export class NodeClient {
  readonly baseUrl: string;
  private readonly api: ApiClient;
  private readonly timeoutMs: number;

  constructor(baseUrl: string = DEFAULT_NODE_URL, opts: NodeClientOptions = {}) {
    // "127.0.0.1:5000" and "localhost:5000" mean http://…, not a URL scheme.
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `http://${baseUrl}`;
    let url: URL | undefined;
    try {
      url = new URL(withScheme);
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new WalletError('node-unreachable', `"${baseUrl}" is not a node URL (e.g. ${DEFAULT_NODE_URL})`);
    }
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.api = createApiClient({
      baseUrl: this.baseUrl,
      fetch: opts.fetch,
      token: opts.token,
      timeoutMs: this.timeoutMs,
    });
  }

  status(): Promise<NodeStatus> {
    return this.call(this.api.getStatus());
  }

  async address(
    address: string,
    page: { offset?: number; limit?: number; utxoOffset?: number } = {},
  ): Promise<AddressInfo> {
    const query = {
      offset: page.offset?.toString(),
      limit: page.limit?.toString(),
      utxoOffset: page.utxoOffset?.toString(),
    };
    return parseAddressInfo(await this.call(this.api.getAddress({ params: { address }, query })));
  }

  tx(id: string): Promise<NodeTx> {
    return this.call(this.api.getTx({ params: { txid: id } }));
  }

  /** GET /api/v1/fees: fee rates for 1, 3 and 6 blocks and the projected blocks. */
  fees(): Promise<FeesJson> {
    return this.call(this.api.getFees());
  }

  /** Submits a signed transaction (hex); resolves to its txid, or rejects with the node's rule code. */
  postTx(hex: string): Promise<SubmitTxJson> {
    return this.call(this.api.submitTx({ body: { hex } }));
  }

  /** Mines one block now, paying the reward to `address` (default: the node's own). */
  mine(address?: string): Promise<MinedBlock> {
    return this.call(this.api.mine({ body: address ? { address } : {} }));
  }

  /** The answer, or the wallet's error for the client's ApiError. */
  private async call<T>(answer: Promise<T>): Promise<T> {
    try {
      return await answer;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 0 && e.code === 'timeout') {
        throw new WalletError(
          'node-unreachable',
          `the node at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s`,
        );
      }
      if (e.status === 0) {
        throw new WalletError(
          'node-unreachable',
          `cannot reach the node at ${this.baseUrl}: is it running? start one with \`hashline node\``,
          { cause: e },
        );
      }
      const message = e.code === 'bad-response' ? e.message : `${e.code}: ${e.message}`;
      throw new NodeApiError(e.status, e.code, message, { cause: e });
    }
  }
}
