// Wallet-side helpers shared by the integration tests: a wallet from a fixed mnemonic, its coins as the node
// reports them, and transactions it signs itself (with the same library the web wallet and CLI use).
import { NETWORKS } from '../../src/core/params.js';
import { type BuiltTx, buildTransaction } from '../../src/wallet/build-tx.js';
import type { Utxo } from '../../src/wallet/coin-select.js';
import { HdWallet, type WalletKey } from '../../src/wallet/keys.js';
import { getJson, type Json } from '../support/node-process.js';

export const regtest = NETWORKS.regtest;

/** The BIP39 test mnemonic: a deterministic wallet nobody else's node holds keys for. */
export const TEST_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export const testWallet = (): Promise<HdWallet> => HdWallet.fromMnemonic(TEST_MNEMONIC, regtest);

export interface Balance {
  readonly confirmed: bigint;
  readonly unconfirmed: bigint;
}

export async function balanceOf(url: string, address: string): Promise<Balance> {
  const info = await getJson(url, `/api/v1/address/${address}`);
  return { confirmed: BigInt(info.balance.confirmed), unconfirmed: BigInt(info.balance.unconfirmed) };
}

/** Spendable coins of an address (confirmed or unconfirmed, not spent in the mempool), as the wallet needs them. */
export async function utxosOf(url: string, address: string): Promise<Utxo[]> {
  const info = await getJson(url, `/api/v1/address/${address}`);
  return (info.utxos as Json[])
    .filter((u) => u.spendable)
    .map((u) => ({ txid: u.txid as string, index: u.index as number, amount: BigInt(u.amount), address }));
}

/** Signs a payment from `key`'s coins to `to`; change goes back to `key`. */
export function payFrom(
  key: WalletKey,
  utxos: readonly Utxo[],
  to: string,
  amount: bigint,
  opts: { feeRate?: bigint; data?: string } = {},
): BuiltTx {
  return buildTransaction({
    params: regtest,
    utxos,
    payments: [{ address: to, amount }],
    feeRate: opts.feeRate ?? 1n,
    changeAddress: key.address,
    data: opts.data,
    keyFor: (address) => (address === key.address ? key : undefined),
  });
}
