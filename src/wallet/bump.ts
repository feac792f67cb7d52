// Fee bumping: a replacement of a pending payment of this wallet (docs/protocol.md, "Replacement").
// It spends every input of the original (so the original cannot also confirm), pays the same payments
// and data, and takes the higher fee from the change; if the change cannot cover it, confirmed coins of
// the wallet are added (never unconfirmed ones: the node refuses new unconfirmed inputs).
// Pure: the CLI and the web wallet give it the original as the node lists it, and the keys.

import type { TxJson } from '../api/schemas/index.js';
import { fromHex, isHex, toHex } from '../core/bytes.js';
import type { NetworkParams } from '../core/params.js';
import { encodeTx, SIGNATURE_SIZE, type Tx, type TxOutput, txid, versionForOutputs } from '../core/tx.js';
import { addressKind, decodeAddress } from '../crypto/address.js';
import type { KeyPair } from '../crypto/ed25519.js';
import { type BuiltTx, type Signer, signTx } from './build-tx.js';
import { DEFAULT_DUST_THRESHOLD, txSizeFor, type Utxo } from './coin-select.js';
import { InsufficientFundsError, WalletError } from './errors.js';

/** A pending transaction as GET /api/v1/tx/:txid lists it (the fields a bump reads). */
export interface PendingTx {
  readonly txid: string;
  readonly size: number;
  readonly fee: bigint;
  readonly inputs: ReadonlyArray<{
    readonly prevTxid: string;
    readonly prevIndex: number;
    readonly address: string;
    readonly amount: bigint;
  }>;
  readonly outputs: ReadonlyArray<{ readonly address: string; readonly amount: bigint }>;
  readonly dataHex: string;
}

/** The original as the node lists it; WalletError when it is confirmed or its inputs are unknown. */
export function pendingTxOf(view: TxJson): PendingTx {
  if (view.block !== null)
    throw new WalletError(
      'already-confirmed',
      `${view.txid} is already in block ${view.block.height}: nothing to bump`,
    );
  if (view.fee === null) throw new WalletError('bad-coin', `the node does not know what ${view.txid} spends`);
  return {
    txid: view.txid,
    size: view.size,
    fee: BigInt(view.fee),
    inputs: view.inputs.map((i) => {
      if (!i.address || i.amount === null || i.amount === undefined)
        throw new WalletError('bad-coin', `the node does not know the coin ${i.prevTxid}:${i.prevIndex}`);
      return { prevTxid: i.prevTxid, prevIndex: i.prevIndex, address: i.address, amount: BigInt(i.amount) };
    }),
    outputs: view.outputs.map((o) => ({ address: o.address, amount: BigInt(o.amount) })),
    dataHex: view.data.hex,
  };
}

export interface BumpOptions {
  readonly params: NetworkParams;
  readonly original: PendingTx;
  /** The new fee rate, base units per byte (raised as needed to pass the replacement rules). */
  readonly feeRate: bigint;
  /** The node's minimum relay fee rate: the replacement pays it again for its own bytes. */
  readonly minFeeRate: number;
  /** Whether an address is one of the wallet's change addresses (its output absorbs the fee). */
  readonly isChange: (address: string) => boolean;
  /** The key of each of the wallet's addresses (undefined for others). */
  readonly keyFor: (address: string) => KeyPair | undefined;
  /** Confirmed coins of the wallet to add if the change is too small. */
  readonly extraCoins?: readonly Utxo[];
  /** Where change goes when the original had none. */
  readonly changeAddress: string;
  readonly sign?: Signer;
}

/** The fee a replacement of `size` bytes must pay at least (docs/protocol.md, "Replacement", rules 4 and 5). */
export function replacementFee(
  original: PendingTx,
  size: number,
  feeRate: bigint,
  minFeeRate: number,
): bigint {
  const byRate = feeRate * BigInt(size);
  const paysForRelay = original.fee + BigInt(Math.ceil(minFeeRate * size));
  // Strictly above the original's rate: fee / size > original.fee / original.size.
  const aboveRate = (original.fee * BigInt(size)) / BigInt(original.size) + 1n;
  return [byRate, paysForRelay, aboveRate].reduce((a, b) => (a > b ? a : b));
}

export function buildBump(opts: BumpOptions): BuiltTx {
  const { original } = opts;
  for (const i of original.inputs) {
    if (!opts.keyFor(i.address))
      throw new WalletError(
        'not-your-transaction',
        `input ${i.prevTxid}:${i.prevIndex} is not this wallet's`,
      );
  }
  let changeIndex = -1;
  original.outputs.forEach((o, i) => {
    if (opts.isChange(o.address)) changeIndex = i;
  });
  const payments = original.outputs.filter((_, i) => i !== changeIndex);
  const changeAddress = changeIndex >= 0 ? original.outputs[changeIndex]!.address : opts.changeAddress;
  const data = isHex(original.dataHex) ? fromHex(original.dataHex) : new Uint8Array();
  const paying = payments.reduce((t, p) => t + p.amount, 0n);
  const inputs: Utxo[] = original.inputs.map((i) => ({
    txid: i.prevTxid,
    index: i.prevIndex,
    amount: i.amount,
    address: i.address,
  }));
  const extra = [...(opts.extraCoins ?? [])].sort((a, b) =>
    a.amount > b.amount ? -1 : a.amount < b.amount ? 1 : 0,
  );
  const shape = {
    policyOutputs: payments.filter(
      (p) => addressKind(decodeAddress(opts.params.addressPrefix, p.address)) === 'policy',
    ).length,
  };
  for (;;) {
    const total = inputs.reduce((t, c) => t + c.amount, 0n);
    const withChange = txSizeFor(inputs.length, payments.length + 1, data.length, shape);
    const change = total - paying - replacementFee(original, withChange, opts.feeRate, opts.minFeeRate);
    if (change >= DEFAULT_DUST_THRESHOLD)
      return finish(opts, inputs, payments, data, { address: changeAddress, amount: change });
    const without = txSizeFor(inputs.length, payments.length, data.length, shape);
    if (total - paying >= replacementFee(original, without, opts.feeRate, opts.minFeeRate))
      return finish(opts, inputs, payments, data, undefined);
    const next = extra.shift();
    if (!next) {
      const needed = paying + replacementFee(original, without, opts.feeRate, opts.minFeeRate);
      throw new InsufficientFundsError(
        total,
        needed,
        `bumping ${original.txid} needs ${needed - total} more base units than its inputs and the wallet's confirmed coins hold`,
      );
    }
    inputs.push(next);
  }
}

function finish(
  opts: BumpOptions,
  inputs: readonly Utxo[],
  payments: ReadonlyArray<{ address: string; amount: bigint }>,
  data: Uint8Array,
  change: { address: string; amount: bigint } | undefined,
): BuiltTx {
  const prefix = opts.params.addressPrefix;
  const outputs: TxOutput[] = [...payments, ...(change ? [change] : [])].map((p) => ({
    amount: p.amount,
    address: decodeAddress(prefix, p.address),
  }));
  const unsigned: Tx = {
    version: versionForOutputs(outputs),
    inputs: inputs.map((c) => ({
      prevTxid: fromHex(c.txid),
      prevIndex: c.index,
      publicKey: new Uint8Array(32),
      signature: new Uint8Array(SIGNATURE_SIZE),
    })),
    outputs,
    data,
  };
  const tx = signTx(
    unsigned,
    inputs.map((c) => ({ amount: c.amount, keyPair: opts.keyFor(c.address)! })),
    opts.sign,
  );
  const bytes = encodeTx(tx);
  const spent = inputs.reduce((t, c) => t + c.amount, 0n);
  const paid = outputs.reduce((t, o) => t + o.amount, 0n);
  return {
    tx,
    bytes,
    hex: toHex(bytes),
    txid: toHex(txid(tx)),
    inputs,
    fee: spent - paid,
    size: bytes.length,
    ...(change
      ? { change: { index: outputs.length - 1, address: change.address, amount: change.amount } }
      : {}),
  };
}
