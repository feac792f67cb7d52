// Finding a wallet's coins and history through the node's address API, with BIP44's gap limit: walk each
// address chain until `gap` consecutive addresses past the last used one have never been used.
import { type AddressChain, CHANGE_CHAIN, RECEIVE_CHAIN } from '../crypto/hd.js';
import type { AddressInfo, NodeClient } from './client.js';
import type { Utxo } from './coin-select.js';
import { DEFAULT_GAP_LIMIT } from './keys.js';

/** The address at chain/index: from an HdWallet, or from a cache of addresses that may need unlocking. */
export type AddressAt = (chain: AddressChain, index: number) => string | Promise<string>;

export interface ScanOptions {
  /** Indexes known to be used already (from the wallet file): the scan looks at least `gap` past them. */
  readonly nextReceiveIndex?: number;
  readonly nextChangeIndex?: number;
  readonly gap?: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** History entries fetched per address (the API's page size). */
  readonly historyLimit?: number;
  /** Safety bound on addresses per chain. */
  readonly maxAddresses?: number;
}

export interface WalletCoin extends Utxo {
  readonly chain: AddressChain;
  readonly addressIndex: number;
  readonly height: number | null;
  readonly confirmations: number;
  readonly coinbase: boolean;
  readonly spendable: boolean;
}

export interface WalletHistoryEntry {
  readonly txid: string;
  readonly height: number | null;
  readonly time: number | null;
  /** Net effect on the wallet: transfers between its own addresses cancel out. */
  readonly delta: bigint;
}

export interface ScannedAddress {
  readonly address: string;
  readonly chain: AddressChain;
  readonly index: number;
  readonly confirmed: bigint;
  readonly unconfirmed: bigint;
  readonly txCount: number;
}

export interface WalletScan {
  /** Every unspent output of the wallet not spent in the mempool, spendable or not yet. */
  readonly coins: readonly WalletCoin[];
  readonly balance: {
    readonly confirmed: bigint;
    readonly unconfirmed: bigint;
    /** What the wallet can spend now (mature, per the node's `spendable`). */
    readonly spendable: bigint;
  };
  /** Newest first; unconfirmed entries (height null) come first. */
  readonly history: readonly WalletHistoryEntry[];
  /** False when some address had more history than one page (historyLimit). */
  readonly historyComplete: boolean;
  /** Addresses that have been used, in chain then index order. */
  readonly addresses: readonly ScannedAddress[];
  /** First index after the last used receive / change address (never below the given ones). */
  readonly nextReceiveIndex: number;
  readonly nextChangeIndex: number;
}

/** Runs `fn` over items with at most `limit` calls in flight, keeping the order of results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const isUsed = (info: AddressInfo): boolean =>
  info.total > 0 || info.history.length > 0 || info.utxos.length > 0;

/** Most pages of unspent outputs read for one address (1,000 each). */
const MAX_UTXO_PAGES = 100;

/** An address's view with every unspent output: the node lists them a page at a time. */
async function addressWithAllCoins(
  client: Pick<NodeClient, 'address'>,
  address: string,
  historyLimit: number,
): Promise<AddressInfo> {
  const first = await client.address(address, { limit: historyLimit });
  const utxos = [...first.utxos];
  for (
    let page = 1;
    page < MAX_UTXO_PAGES && first.utxoTotal !== undefined && utxos.length < first.utxoTotal;
    page++
  ) {
    const more = await client.address(address, { limit: 1, utxoOffset: utxos.length });
    if (more.utxos.length === 0) break; // spent meanwhile: the list got shorter
    utxos.push(...more.utxos);
  }
  return utxos.length === first.utxos.length ? first : { ...first, utxos };
}

interface ChainResult {
  readonly infos: ReadonlyArray<{ readonly index: number; readonly info: AddressInfo }>;
  readonly next: number;
}

async function scanChain(
  client: Pick<NodeClient, 'address'>,
  addressAt: AddressAt,
  chain: AddressChain,
  knownNext: number,
  opts: Required<Pick<ScanOptions, 'gap' | 'concurrency' | 'historyLimit' | 'maxAddresses'>>,
): Promise<ChainResult> {
  const infos: Array<{ index: number; info: AddressInfo }> = [];
  let lastUsed = -1;
  let scanned = 0;
  // The end moves whenever a used address shows up near it; the loop ends after `gap` unused in a row.
  const end = (): number => Math.min(Math.max(knownNext, lastUsed + 1) + opts.gap, opts.maxAddresses);
  while (scanned < end()) {
    const indexes = Array.from({ length: end() - scanned }, (_, i) => scanned + i);
    const batch = await mapLimit(indexes, opts.concurrency, async (index) => ({
      index,
      info: await addressWithAllCoins(client, await addressAt(chain, index), opts.historyLimit),
    }));
    for (const item of batch) {
      if (isUsed(item.info)) lastUsed = Math.max(lastUsed, item.index);
      infos.push(item);
    }
    scanned += indexes.length;
  }
  return { infos, next: Math.max(knownNext, lastUsed + 1) };
}

/** Scans both chains of a wallet and sums up its coins, balance and history. */
export async function scanWallet(
  client: Pick<NodeClient, 'address'>,
  addressAt: AddressAt,
  opts: ScanOptions = {},
): Promise<WalletScan> {
  const settings = {
    gap: opts.gap ?? DEFAULT_GAP_LIMIT,
    concurrency: opts.concurrency ?? 8,
    historyLimit: opts.historyLimit ?? 100,
    maxAddresses: opts.maxAddresses ?? 10_000,
  };
  const receive = await scanChain(client, addressAt, RECEIVE_CHAIN, opts.nextReceiveIndex ?? 0, settings);
  const change = await scanChain(client, addressAt, CHANGE_CHAIN, opts.nextChangeIndex ?? 0, settings);

  const coins: WalletCoin[] = [];
  const addresses: ScannedAddress[] = [];
  const byTxid = new Map<
    string,
    { txid: string; height: number | null; time: number | null; delta: bigint }
  >();
  let confirmed = 0n;
  let unconfirmed = 0n;
  let historyComplete = true;
  for (const [chain, result] of [
    [RECEIVE_CHAIN, receive],
    [CHANGE_CHAIN, change],
  ] as const) {
    for (const { index, info } of result.infos) {
      if (!isUsed(info)) continue;
      addresses.push({
        address: info.address,
        chain,
        index,
        confirmed: info.balance.confirmed,
        unconfirmed: info.balance.unconfirmed,
        txCount: info.total,
      });
      confirmed += info.balance.confirmed;
      unconfirmed += info.balance.unconfirmed;
      for (const u of info.utxos) {
        // A coin a pending transaction already spends is gone as far as the wallet is concerned.
        if (u.spentBy !== null) continue;
        coins.push({ ...u, address: info.address, chain, addressIndex: index });
      }
      if (info.total > info.history.length) historyComplete = false;
      for (const h of info.history) {
        const entry = byTxid.get(h.txid);
        if (entry) entry.delta += h.delta;
        else byTxid.set(h.txid, { ...h });
      }
    }
  }
  const history = [...byTxid.values()].sort((a, b) => {
    if (a.height === null || b.height === null) return a.height === b.height ? 0 : a.height === null ? -1 : 1;
    return b.height - a.height;
  });
  return {
    coins,
    balance: {
      confirmed,
      unconfirmed,
      spendable: coins.filter((c) => c.spendable).reduce((t, c) => t + c.amount, 0n),
    },
    history,
    historyComplete,
    addresses,
    nextReceiveIndex: receive.next,
    nextChangeIndex: change.next,
  };
}
