// Paying from the wallet's own key coins to an address of either kind through a partially signed
// transaction: the wallet holds every key needed, so it signs and finalizes at once. This is how the
// wallet pays to a policy address (a version 2 output), e.g. savings locked until a height.
import { toHex } from '../core/bytes.js';
import type { NetworkParams } from '../core/params.js';
import { encodeTx, type Tx, txid } from '../core/tx.js';
import { decodeAddress } from '../crypto/address.js';
import type { KeyPair } from '../crypto/ed25519.js';
import { WalletError } from './errors.js';
import { finalizePsbt, signPsbt } from './psbt.js';
import { type FundedPsbt, fundPsbt } from './psbt-fund.js';

export interface KeyCoin {
  readonly txid: string;
  readonly index: number;
  readonly amount: bigint;
  /** The coin's key address. */
  readonly address: string;
  readonly keyPair: KeyPair;
}

export interface PayFromKeysOptions {
  readonly params: NetworkParams;
  readonly coins: readonly KeyCoin[];
  readonly to: string;
  readonly amount: bigint;
  readonly changeAddress: string;
  readonly feeRate: bigint;
  readonly data?: Uint8Array;
}

export interface PaidFromKeys {
  readonly tx: Tx;
  readonly hex: string;
  readonly txid: string;
  readonly funded: FundedPsbt;
}

/** A signed version 2 transaction paying `amount` to `to` from the key coins (change to `changeAddress`). */
export function payFromKeys(opts: PayFromKeysOptions): PaidFromKeys {
  if (opts.amount <= 0n) throw new WalletError('bad-amount', 'the amount must be more than 0');
  const prefix = opts.params.addressPrefix;
  const funded = fundPsbt({
    coins: opts.coins.map((c) => ({
      txid: c.txid,
      index: c.index,
      amount: c.amount,
      address: decodeAddress(prefix, c.address),
      publicKey: c.keyPair.publicKey,
    })),
    payments: [{ amount: opts.amount, address: decodeAddress(prefix, opts.to) }],
    change: decodeAddress(prefix, opts.changeAddress),
    feeRate: opts.feeRate,
    data: opts.data,
  });
  let psbt = funded.psbt;
  const keys = new Map(opts.coins.map((c) => [toHex(c.keyPair.publicKey), c.keyPair]));
  for (const key of keys.values()) psbt = signPsbt(psbt, key).psbt;
  const tx = finalizePsbt(psbt);
  return { tx, hex: toHex(encodeTx(tx)), txid: toHex(txid(tx)), funded: { ...funded, psbt } };
}
