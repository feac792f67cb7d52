// A small typed client for the node's REST API (docs/api.md), on global fetch: Node 20 and browsers.
// The JSON types come from the node's response schemas; amounts arrive as decimal strings and leave
// this module as bigint.
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

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

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
  private readonly fetchFn: typeof fetch;
  private readonly token: string | undefined;
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
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  status(): Promise<NodeStatus> {
    return this.request<NodeStatus>('GET', '/api/v1/status');
  }

  async address(
    address: string,
    page: { offset?: number; limit?: number; utxoOffset?: number } = {},
  ): Promise<AddressInfo> {
    const query = new URLSearchParams();
    if (page.offset !== undefined) query.set('offset', String(page.offset));
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.utxoOffset !== undefined) query.set('utxoOffset', String(page.utxoOffset));
    const qs = query.toString() ? `?${query}` : '';
    return parseAddressInfo(
      await this.request<AddressJson>('GET', `/api/v1/address/${encodeURIComponent(address)}${qs}`),
    );
  }

  tx(id: string): Promise<NodeTx> {
    return this.request<NodeTx>('GET', `/api/v1/tx/${encodeURIComponent(id)}`);
  }

  /** GET /api/v1/fees: fee rates for 1, 3 and 6 blocks and the projected blocks. */
  fees(): Promise<FeesJson> {
    return this.request<FeesJson>('GET', '/api/v1/fees');
  }

  /** Submits a signed transaction (hex); resolves to its txid, or rejects with the node's rule code. */
  postTx(hex: string): Promise<SubmitTxJson> {
    return this.request<SubmitTxJson>('POST', '/api/v1/tx', { hex });
  }

  /** Mines one block now, paying the reward to `address` (default: the node's own). */
  mine(address?: string): Promise<MinedBlock> {
    return this.request<MinedBlock>('POST', '/api/v1/mine', address ? { address } : {});
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
        throw new WalletError(
          'node-unreachable',
          `the node at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s`,
        );
      }
      throw new WalletError(
        'node-unreachable',
        `cannot reach the node at ${this.baseUrl}: is it running? start one with \`hashline node\``,
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new NodeApiError(
        response.status,
        'bad-response',
        `the node at ${this.baseUrl} answered ${method} ${path} with something that is not JSON (HTTP ${response.status})`,
      );
    }
    if (!response.ok) {
      const apiCode =
        isRecord(json) && typeof json.error === 'string' ? json.error : `http-${response.status}`;
      const message = isRecord(json) && typeof json.message === 'string' ? json.message : response.statusText;
      throw new NodeApiError(response.status, apiCode, `${apiCode}: ${message}`);
    }
    return json as T;
  }
}
