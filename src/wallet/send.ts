// The one way this wallet pays, for the CLI and the web app alike: scan the chain for coins, select and
// sign (here, never at the node), post the signed hex, then move the change index past the address the
// change went to so that the next payment uses a fresh one.
import type { NetworkParams } from '../core/params.js';
import { AddressError, decodeAddress } from '../crypto/address.js';
import { formatCoins } from './amount.js';
import { type BuiltTx, buildTransaction } from './build-tx.js';
import type { NodeClient } from './client.js';
import { InsufficientFundsError, WalletError } from './errors.js';
import type { HdWallet } from './keys.js';
import { type AddressAt, type ScanOptions, scanWallet, type WalletCoin, type WalletScan } from './scan.js';

export interface SendRequest {
  readonly to: string;
  /** Base units, more than 0. */
  readonly amount: bigint;
  /** Base units per byte. */
  readonly feeRate: bigint;
  /** Optional data record: text (UTF-8) or bytes. */
  readonly data?: string | Uint8Array;
  /** Sign but do not post, and leave the change index alone. */
  readonly dryRun?: boolean;
}

/** Where the wallet's used-address counters are kept (a wallet file, the browser's storage). */
export interface WalletIndexes {
  readonly nextReceiveIndex: number;
  readonly nextChangeIndex: number;
}

export interface SendFlow {
  readonly params: NetworkParams;
  readonly client: Pick<NodeClient, 'address' | 'postTx'>;
  /** Addresses to scan (a cache, or derived from the keys). */
  readonly addressAt: AddressAt;
  /** The saved counters and scan settings; the scan starts from these indexes. */
  readonly scan: ScanOptions & WalletIndexes;
  /** The keys, asked for only after the scan found enough to pay (a password prompt, a decryption). */
  readonly unlock: () => Promise<HdWallet> | HdWallet;
  /** Coins to leave alone (e.g. spent by a payment the node has not listed yet). */
  readonly skip?: (coin: WalletCoin) => boolean;
  /** Saves the counters: once after the scan, and again when the change address got used. */
  readonly saveIndexes: (indexes: WalletIndexes) => Promise<void> | void;
}

export interface SendResult {
  readonly built: BuiltTx;
  /** The node's txid (the same as built.txid); null on a dry run. */
  readonly txid: string | null;
  readonly scan: WalletScan;
  /** The counters after this payment. */
  readonly indexes: WalletIndexes;
}

/** The checks that need no node: a recipient of this network, an amount above 0, a fee rate ≥ 0. */
export function checkSendRequest(
  params: NetworkParams,
  request: Pick<SendRequest, 'to' | 'amount' | 'feeRate'>,
): void {
  try {
    decodeAddress(params.addressPrefix, request.to);
  } catch (e) {
    if (e instanceof AddressError) throw new WalletError('bad-address', `recipient: ${e.message}`);
    throw e;
  }
  if (request.amount <= 0n) throw new WalletError('bad-amount', 'the amount must be more than 0');
  if (request.feeRate < 0n) throw new WalletError('bad-fee-rate', 'the fee rate cannot be negative');
}

/** Coins this payment may spend: mature, unspent and not skipped. */
export const spendableCoins = (scan: WalletScan, skip?: (coin: WalletCoin) => boolean): WalletCoin[] =>
  scan.coins.filter((c) => c.spendable && !skip?.(c));

/** Pays `request.to` (see the file comment). Throws WalletError (InsufficientFundsError, NodeApiError…). */
export async function sendPayment(flow: SendFlow, request: SendRequest): Promise<SendResult> {
  checkSendRequest(flow.params, request);
  const scan = await scanWallet(flow.client, flow.addressAt, flow.scan);
  let indexes: WalletIndexes = {
    nextReceiveIndex: scan.nextReceiveIndex,
    nextChangeIndex: scan.nextChangeIndex,
  };
  if (
    indexes.nextReceiveIndex !== flow.scan.nextReceiveIndex ||
    indexes.nextChangeIndex !== flow.scan.nextChangeIndex
  )
    await flow.saveIndexes(indexes);
  const coins = spendableCoins(scan, flow.skip);
  const wallet = await flow.unlock();
  const keys = new Map(coins.map((c) => [c.address, wallet.key(c.chain, c.addressIndex)]));
  let built: BuiltTx;
  try {
    built = buildTransaction({
      params: flow.params,
      utxos: coins,
      payments: [{ address: request.to, amount: request.amount }],
      feeRate: request.feeRate,
      changeAddress: wallet.changeAddress(indexes.nextChangeIndex),
      data: request.data,
      keyFor: (address) => keys.get(address),
    });
  } catch (e) {
    const waiting = scan.coins.filter((c) => !coins.includes(c)).reduce((t, c) => t + c.amount, 0n);
    if (e instanceof InsufficientFundsError && waiting > 0n) {
      throw new InsufficientFundsError(
        e.available,
        e.needed,
        `${e.message}; ${formatCoins(waiting)} more are unconfirmed, immature or already being spent`,
      );
    }
    throw e;
  }
  if (request.dryRun) return { built, txid: null, scan, indexes };
  const posted = await flow.client.postTx(built.hex);
  if (built.change) {
    indexes = { ...indexes, nextChangeIndex: indexes.nextChangeIndex + 1 };
    await flow.saveIndexes(indexes);
  }
  return { built, txid: posted.txid, scan, indexes };
}
