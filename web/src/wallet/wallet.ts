// The browser wallet's operations on top of src/wallet: create/import (encrypt the mnemonic with the
// password), scan balances through the node, build and sign a payment. Only the signed transaction's hex
// ever goes to the node.
import { toHex } from '../../../src/core/bytes.js';
import { getNetwork } from '../../../src/core/params.js';
import { buildBump, pendingTxOf } from '../../../src/wallet/bump.js';
import {
  CHANGE_CHAIN,
  DEFAULT_GAP_LIMIT,
  decryptSecret,
  encryptSecret,
  HdWallet,
  NodeClient,
  normalizeMnemonic,
  RECEIVE_CHAIN,
  type SendResult,
  scanWallet,
  sendPayment,
  type WalletScan,
} from '../../../src/wallet/index.js';
import { apiToken } from '../api/client.js';
import type { StoredWallet } from './storage.js';

/** Addresses cached past the next unused index, so a routine scan never needs the password. */
export const ADDRESS_CACHE_AHEAD = DEFAULT_GAP_LIMIT + 5;
/** Unused addresses a routine refresh looks past the last used one (a full BIP44 gap runs on import). */
export const REFRESH_GAP = 3;

export type FeeLevel = 'low' | 'normal' | 'high';

/**
 * Fee rates in base units per byte: the node's estimates for 6, 3 and 1 blocks (GET /api/v1/fees) when
 * known, else multiples of its minimum relay rate; at least 1.
 */
export function feeRates(
  minFeeRate: number | undefined,
  estimates?: { nextBlock: number; within3Blocks: number; within6Blocks: number } | null,
): Record<FeeLevel, bigint> {
  const base = BigInt(Math.max(1, Math.ceil(minFeeRate ?? 1)));
  if (!estimates) return { low: base, normal: base * 2n, high: base * 5n };
  const atLeast = (n: number) => (BigInt(n) > base ? BigInt(n) : base);
  return {
    low: atLeast(estimates.within6Blocks),
    normal: atLeast(estimates.within3Blocks),
    high: atLeast(estimates.nextBlock),
  };
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
    publicKey: toHex(cosignerKey(wallet).publicKey),
  };
}

/** The key this wallet signs policies with (and shares with co-signers): its first receive key. */
export const cosignerKey = (wallet: HdWallet) => wallet.receiveKey(0);

/** Balances, coins and history from the cached (public) addresses: no password needed. */
export async function refreshWallet(
  stored: StoredWallet,
): Promise<{ scan: WalletScan; stored: StoredWallet }> {
  const { receive, change } = stored.addresses;
  const scan = await scanWallet(client(), cachedAddressAt(stored), {
    nextReceiveIndex: stored.nextReceiveIndex,
    nextChangeIndex: stored.nextChangeIndex,
    gap: REFRESH_GAP,
    maxAddresses: Math.min(receive.length, change.length),
  });
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

/** The cached (public) address at chain/index; past the cache the keys are needed. */
function cachedAddressAt(stored: StoredWallet) {
  return (chain: number, index: number): string => {
    const address = (chain === RECEIVE_CHAIN ? stored.addresses.receive : stored.addresses.change)[index];
    if (address === undefined) throw new Error('address cache exhausted: unlock the wallet to derive more');
    return address;
  };
}

/**
 * Pays with the shared send flow: a fresh scan, coins selected and signed here with the keys the password
 * decrypts, only the signed hex posted, and the change index advanced. `save` receives the wallet's new
 * state whenever its counters move. Coins in `pending` (spent by a payment of ours the node may not list
 * yet) are left alone.
 */
export async function sendFromBrowserWallet(
  stored: StoredWallet,
  password: string,
  request: PaymentRequest,
  opts: { pending: ReadonlySet<string>; save: (next: StoredWallet) => void },
): Promise<SendResult> {
  let wallet: HdWallet | undefined;
  let current = stored;
  return sendPayment(
    {
      params: getNetwork(stored.network),
      client: client(),
      addressAt: cachedAddressAt(stored),
      scan: {
        nextReceiveIndex: stored.nextReceiveIndex,
        nextChangeIndex: stored.nextChangeIndex,
        gap: REFRESH_GAP,
        maxAddresses: Math.min(stored.addresses.receive.length, stored.addresses.change.length),
      },
      unlock: async () => {
        wallet = (await unlock(stored, password)).wallet;
        return wallet;
      },
      skip: (coin) => opts.pending.has(`${coin.txid}:${coin.index}`),
      saveIndexes: (indexes) => {
        current = { ...current, ...indexes };
        if (wallet) current = withFreshCache(current, wallet);
        opts.save(current);
      },
    },
    { to: request.to, amount: request.amount, feeRate: request.feeRate, data: request.data || undefined },
  );
}

/**
 * Fee bumping (replace-by-fee): replaces the wallet's pending payment `txid` with one spending the same
 * coins and paying the same payments at the node's next-block fee estimate (src/wallet/bump.ts), signed
 * here, only the hex posted.
 */
export async function bumpFromBrowserWallet(
  stored: StoredWallet,
  password: string,
  txid: string,
  scan: WalletScan,
): Promise<{ txid: string; fee: bigint; oldFee: bigint }> {
  const node = client();
  const original = pendingTxOf(await node.tx(txid));
  const fees = await node.fees();
  const { wallet } = await unlock(stored, password);
  const search = Math.max(stored.nextReceiveIndex, stored.nextChangeIndex) + ADDRESS_CACHE_AHEAD;
  const change = new Set(stored.addresses.change);
  const built = buildBump({
    params: getNetwork(stored.network),
    original,
    feeRate: BigInt(fees.nextBlock),
    minFeeRate: fees.minFeeRate,
    isChange: (address) => change.has(address),
    keyFor: (address) => wallet.keyForAddress(address, search),
    extraCoins: scan.coins.filter((c) => c.spendable && c.height !== null),
    changeAddress: wallet.changeAddress(stored.nextChangeIndex),
  });
  await node.postTx(built.hex);
  return { txid: built.txid, fee: built.fee, oldFee: original.fee };
}
