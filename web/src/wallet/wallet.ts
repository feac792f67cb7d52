// The browser wallet's operations on top of src/wallet: create/import (encrypt the mnemonic with the
// password), scan balances through the node, build and sign a payment. Only the signed transaction's hex
// ever goes to the node.
import { getNetwork, type NetworkParams } from '../../../src/core/params.js';
import {
  type BuiltTx,
  buildTransaction,
  CHANGE_CHAIN,
  DEFAULT_GAP_LIMIT,
  decryptSecret,
  encryptSecret,
  HdWallet,
  NodeClient,
  normalizeMnemonic,
  RECEIVE_CHAIN,
  scanWallet,
  type WalletScan,
} from '../../../src/wallet/index.js';
import { apiToken } from '../api/client.js';
import type { StoredWallet } from './storage.js';

/** Addresses cached past the next unused index, so a routine scan never needs the password. */
export const ADDRESS_CACHE_AHEAD = DEFAULT_GAP_LIMIT + 5;
/** Unused addresses a routine refresh looks past the last used one (a full BIP44 gap runs on import). */
export const REFRESH_GAP = 3;

export type FeeLevel = 'low' | 'normal' | 'high';

/** Fee rates in base units per byte, from the node's minimum relay rate (at least 1). */
export function feeRates(minFeeRate: number | undefined): Record<FeeLevel, bigint> {
  const base = BigInt(Math.max(1, Math.ceil(minFeeRate ?? 1)));
  return { low: base, normal: base * 2n, high: base * 5n };
}

const client = (): NodeClient =>
  new NodeClient(window.location.origin, { token: apiToken.get() || undefined });

function addressCache(wallet: HdWallet, nextReceive: number, nextChange: number) {
  const size = Math.max(nextReceive, nextChange) + ADDRESS_CACHE_AHEAD;
  return { receive: wallet.addresses(RECEIVE_CHAIN, size), change: wallet.addresses(CHANGE_CHAIN, size) };
}

/**
 * Encrypts a new or imported mnemonic and, when the node is reachable, scans the chain so an imported
 * wallet finds the addresses it used before.
 */
export async function createStoredWallet(opts: {
  mnemonic: string;
  password: string;
  network: string;
  scan: boolean;
}): Promise<StoredWallet> {
  const params = getNetwork(opts.network);
  const mnemonic = normalizeMnemonic(opts.mnemonic);
  const wallet = await HdWallet.fromMnemonic(mnemonic, params);
  const keystore = await encryptSecret(mnemonic, opts.password, { network: params.name });
  let nextReceive = 0;
  let nextChange = 0;
  if (opts.scan) {
    const found = await scanWallet(client(), (chain, index) => wallet.key(chain, index).address, {
      gap: DEFAULT_GAP_LIMIT,
    });
    nextReceive = found.nextReceiveIndex;
    nextChange = found.nextChangeIndex;
  }
  return {
    version: 1,
    network: params.name,
    account: 0,
    keystore,
    nextReceiveIndex: nextReceive,
    nextChangeIndex: nextChange,
    addresses: addressCache(wallet, nextReceive, nextChange),
    createdAt: new Date().toISOString(),
  };
}

/** Balances, coins and history from the cached (public) addresses: no password needed. */
export async function refreshWallet(
  stored: StoredWallet,
): Promise<{ scan: WalletScan; stored: StoredWallet }> {
  const { receive, change } = stored.addresses;
  const scan = await scanWallet(
    client(),
    (chain, index) => {
      const list = chain === RECEIVE_CHAIN ? receive : change;
      const address = list[index];
      if (address === undefined) throw new Error('address cache exhausted: unlock the wallet to derive more');
      return address;
    },
    {
      nextReceiveIndex: stored.nextReceiveIndex,
      nextChangeIndex: stored.nextChangeIndex,
      gap: REFRESH_GAP,
      maxAddresses: Math.min(receive.length, change.length),
    },
  );
  return {
    scan,
    stored: { ...stored, nextReceiveIndex: scan.nextReceiveIndex, nextChangeIndex: scan.nextChangeIndex },
  };
}

/** Decrypts the keystore; throws KeystoreError('wrong-password') on a wrong password. */
export async function unlock(
  stored: StoredWallet,
  password: string,
): Promise<{ wallet: HdWallet; mnemonic: string }> {
  const mnemonic = await decryptSecret(stored.keystore, password);
  return { wallet: await HdWallet.fromMnemonic(mnemonic, getNetwork(stored.network)), mnemonic };
}

/** The cache grown to cover the current indexes (after an unlock). */
export function withFreshCache(stored: StoredWallet, wallet: HdWallet): StoredWallet {
  const need = Math.max(stored.nextReceiveIndex, stored.nextChangeIndex) + ADDRESS_CACHE_AHEAD;
  if (stored.addresses.receive.length >= need && stored.addresses.change.length >= need) return stored;
  return { ...stored, addresses: addressCache(wallet, stored.nextReceiveIndex, stored.nextChangeIndex) };
}

export interface PaymentRequest {
  readonly to: string;
  readonly amount: bigint;
  readonly feeRate: bigint;
  readonly data?: string;
}

/** Builds and signs a payment from the spendable coins; change goes to the next unused change address. */
export function signPayment(
  stored: StoredWallet,
  wallet: HdWallet,
  coins: WalletScan['coins'],
  request: PaymentRequest,
): BuiltTx {
  const params: NetworkParams = getNetwork(stored.network);
  const searchLimit = Math.max(stored.addresses.receive.length, stored.addresses.change.length);
  return buildTransaction({
    params,
    utxos: coins,
    payments: [{ address: request.to, amount: request.amount }],
    feeRate: request.feeRate,
    changeAddress: wallet.changeAddress(stored.nextChangeIndex),
    data: request.data ? request.data : undefined,
    keyFor: (address) => wallet.keyForAddress(address, searchLimit),
  });
}
