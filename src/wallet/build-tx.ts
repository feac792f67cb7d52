// Building and signing a transaction: choose coins, lay out outputs, sign every input. Pure JS (@noble), so
// the web app signs in the browser with this same code.
//
// Every input signs the same message, sighash(txid, amounts of the spent coins). The txid leaves the
// signatures out, so it is computed on the transaction with zero signatures, which are then filled in.
import { equalBytes, fromHex, isHex, toHex } from '../core/bytes.js';
import { MAX_DATA_SIZE, type NetworkParams } from '../core/params.js';
import {
  encodeTx,
  isPolicyAddress,
  publicKeyHash,
  SIGNATURE_SIZE,
  sighash,
  type Tx,
  type TxOutput,
  txid,
  versionForOutputs,
} from '../core/tx.js';
import { AddressError, decodeAddress } from '../crypto/address.js';
import { type KeyPair, sign as nobleSign } from '../crypto/ed25519.js';
import { type Payment, selectCoins, type Utxo } from './coin-select.js';
import { WalletError } from './errors.js';

export type Signer = (message: Uint8Array, privateKey: Uint8Array) => Uint8Array;

export interface BuildTxOptions {
  readonly params: NetworkParams;
  /** Coins the wallet may spend. */
  readonly utxos: readonly Utxo[];
  readonly payments: readonly Payment[];
  /** Base units per byte. */
  readonly feeRate: bigint;
  /** Where change goes (an address of the wallet). */
  readonly changeAddress: string;
  /** Optional data record: text (stored as UTF-8) or bytes, at most MAX_DATA_SIZE bytes. */
  readonly data?: string | Uint8Array;
  readonly dustThreshold?: bigint;
  /** The key pair owning an address, for every address among the utxos. */
  readonly keyFor: (address: string) => KeyPair | undefined;
  /** Ed25519 signing; default @noble/curves (the node may pass signNode). */
  readonly sign?: Signer;
}

export interface BuiltTx {
  readonly tx: Tx;
  readonly bytes: Uint8Array;
  readonly hex: string;
  readonly txid: string;
  /** The coins spent, in input order. */
  readonly inputs: readonly Utxo[];
  readonly fee: bigint;
  readonly size: number;
  /** The change output, when there is one (always the last output). */
  readonly change?: { readonly index: number; readonly address: string; readonly amount: bigint };
}

/** The data record's bytes: text as UTF-8. */
export function encodeDataRecord(data: string | Uint8Array | undefined): Uint8Array {
  const bytes =
    data === undefined ? new Uint8Array() : typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (bytes.length > MAX_DATA_SIZE) {
    throw new WalletError(
      'bad-data',
      `the data record is ${bytes.length} bytes, at most ${MAX_DATA_SIZE} are allowed`,
    );
  }
  return bytes;
}

function addressHash(params: NetworkParams, address: string, what: string): Uint8Array {
  try {
    return decodeAddress(params.addressPrefix, address);
  } catch (e) {
    if (e instanceof AddressError) throw new WalletError('bad-address', `${what}: ${e.message}`);
    throw e;
  }
}

/**
 * Signs an unsigned transaction (its signatures are ignored) whose inputs spend `spent`, in input order.
 * Each input's public key is taken from its key pair.
 */
export function signTx(
  unsigned: Tx,
  spent: readonly { readonly amount: bigint; readonly keyPair: KeyPair }[],
  sign: Signer = nobleSign,
): Tx {
  if (spent.length !== unsigned.inputs.length) throw new RangeError('one spent coin per input is needed');
  const blank = new Uint8Array(SIGNATURE_SIZE);
  const withKeys: Tx = {
    ...unsigned,
    inputs: unsigned.inputs.map((input, i) => ({
      ...input,
      publicKey: spent[i]!.keyPair.publicKey,
      signature: blank,
    })),
  };
  const message = sighash(
    txid(withKeys),
    spent.map((s) => s.amount),
  );
  return {
    ...withKeys,
    inputs: withKeys.inputs.map((input, i) => ({
      ...input,
      signature: sign(message, spent[i]!.keyPair.privateKey),
    })),
  };
}

/** Chooses coins, adds change, signs. Outputs are the payments in order, then the change. */
export function buildTransaction(opts: BuildTxOptions): BuiltTx {
  const { params } = opts;
  const data = encodeDataRecord(opts.data);
  const outputs: TxOutput[] = opts.payments.map((p, i) => ({
    amount: p.amount,
    address: addressHash(params, p.address, `payment ${i + 1}`),
  }));
  const changeHash = addressHash(params, opts.changeAddress, 'change address');
  const policyOutputs = outputs.filter((o) => isPolicyAddress(o.address)).length;
  const selection = selectCoins(opts.utxos, opts.payments, {
    feeRate: opts.feeRate,
    dataSize: data.length,
    dustThreshold: opts.dustThreshold,
    policyOutputs,
  });
  if (selection.change > 0n) outputs.push({ amount: selection.change, address: changeHash });

  const spent = selection.inputs.map((coin) => {
    const keyPair = opts.keyFor(coin.address);
    if (
      !keyPair ||
      !equalBytes(publicKeyHash(keyPair.publicKey), addressHash(params, coin.address, 'coin'))
    ) {
      throw new WalletError(
        'unknown-key',
        `the wallet has no key for ${coin.address} (coin ${coin.txid}:${coin.index})`,
      );
    }
    return { amount: coin.amount, keyPair };
  });
  const unsigned: Tx = {
    // Paying a policy address takes version 2; otherwise version 1, as every wallet has made so far.
    version: versionForOutputs(outputs),
    inputs: selection.inputs.map((coin) => ({
      prevTxid: hexToTxid(coin.txid),
      prevIndex: coin.index,
      publicKey: new Uint8Array(32),
      signature: new Uint8Array(SIGNATURE_SIZE),
    })),
    outputs,
    data,
  };
  const tx = signTx(unsigned, spent, opts.sign);
  const bytes = encodeTx(tx);
  if (bytes.length !== selection.size) {
    throw new Error(`internal error: built ${bytes.length} bytes, coin selection expected ${selection.size}`);
  }
  return {
    tx,
    bytes,
    hex: toHex(bytes),
    txid: toHex(txid(tx)),
    inputs: selection.inputs,
    fee: selection.fee,
    size: bytes.length,
    ...(selection.change > 0n
      ? { change: { index: outputs.length - 1, address: opts.changeAddress, amount: selection.change } }
      : {}),
  };
}

function hexToTxid(hex: string): Uint8Array {
  if (!isHex(hex, 32)) throw new WalletError('bad-coin', `"${hex}" is not a txid (64 hex characters)`);
  return fromHex(hex);
}
