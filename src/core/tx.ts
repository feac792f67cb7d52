// Transactions in the UTXO model: format, txid, signature message, coinbase.
import { ByteReader, ByteWriter, concatBytes, scratchWriter, toHex, varintSize } from './bytes.js';
import { sha256, sha256d } from './hash.js';
import { merkleRoot } from './merkle.js';
import { COINBASE_DATA_MAX, MAX_TX_SIZE } from './params.js';

export const TX_VERSION = 1;
export const ADDRESS_HASH_SIZE = 20;
export const PUBLIC_KEY_SIZE = 32;
export const SIGNATURE_SIZE = 64;

export interface TxInput {
  readonly prevTxid: Uint8Array; // 32 bytes
  readonly prevIndex: number; // u32
  readonly publicKey: Uint8Array; // 32-byte Ed25519 public key
  readonly signature: Uint8Array; // 64-byte Ed25519 signature over sighash(tx, spent amounts)
}

export interface TxOutput {
  readonly amount: bigint; // base units, u64
  readonly address: Uint8Array; // 20-byte public key hash
}

export interface Tx {
  readonly version: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
  /** Arbitrary bytes; in a coinbase it starts with height u32 LE, extra-nonce u64 LE and the signature root. */
  readonly data: Uint8Array;
}

/** A coinbase has no inputs: it creates the block reward. */
export const isCoinbase = (tx: Tx): boolean => tx.inputs.length === 0;

function writeTx(w: ByteWriter, tx: Tx, withSignatures: boolean): void {
  w.u32(tx.version).varint(tx.inputs.length);
  for (const input of tx.inputs) {
    w.bytes(input.prevTxid).u32(input.prevIndex).bytes(input.publicKey);
    if (withSignatures) w.bytes(input.signature);
  }
  w.varint(tx.outputs.length);
  for (const output of tx.outputs) w.u64(output.amount).bytes(output.address);
  w.varBytes(tx.data);
}

export function encodeTx(tx: Tx): Uint8Array {
  const w = new ByteWriter(txSize(tx));
  writeTx(w, tx, true);
  return w.finish();
}

/** Bytes of every encoded input: outpoint 36 + public key 32 + signature 64. */
export const TX_INPUT_SIZE = 32 + 4 + PUBLIC_KEY_SIZE + SIGNATURE_SIZE;
/** Bytes of every encoded output: amount 8 + address hash 20. */
export const TX_OUTPUT_SIZE = 8 + ADDRESS_HASH_SIZE;

export function readTx(r: ByteReader): Tx {
  const version = r.u32();
  const inputs: TxInput[] = [];
  for (let i = r.count(TX_INPUT_SIZE); i > 0; i--) {
    inputs.push({
      prevTxid: r.bytes(32),
      prevIndex: r.u32(),
      publicKey: r.bytes(PUBLIC_KEY_SIZE),
      signature: r.bytes(SIGNATURE_SIZE),
    });
  }
  const outputs: TxOutput[] = [];
  for (let i = r.count(TX_OUTPUT_SIZE); i > 0; i--) {
    outputs.push({ amount: r.u64(), address: r.bytes(ADDRESS_HASH_SIZE) });
  }
  // Read up to the transaction limit so that a too-large record gets its own rule code.
  const data = r.varBytes(MAX_TX_SIZE);
  return { version, inputs, outputs, data };
}

export function decodeTx(bytes: Uint8Array): Tx {
  const r = new ByteReader(bytes);
  const tx = readTx(r);
  r.end();
  return tx;
}

/** The txid covers everything but the signatures, so a signature cannot change it. */
export function txid(tx: Tx): Uint8Array {
  const w = scratchWriter();
  writeTx(w, tx, false);
  return sha256d(w.written());
}

export const txidHex = (tx: Tx): string => toHex(txid(tx));

/** The wtxid covers every byte of the transaction, signatures included: sha256d of its serialization. */
export function wtxid(tx: Tx): Uint8Array {
  const w = scratchWriter();
  writeTx(w, tx, true);
  return sha256d(w.written());
}

/** Exact serialized size of a transaction with these counts (every input and output has a fixed size). */
export const txSizeFor = (inputs: number, outputs: number, dataSize = 0): number =>
  4 +
  varintSize(inputs) +
  inputs * TX_INPUT_SIZE +
  varintSize(outputs) +
  outputs * TX_OUTPUT_SIZE +
  varintSize(dataSize) +
  dataSize;

/** Serialized size in bytes, computed from the counts. */
export const txSize = (tx: Tx): number => txSizeFor(tx.inputs.length, tx.outputs.length, tx.data.length);

/**
 * The message every input signs: sha256d(txid || amount of each spent output, u64 LE, in input order).
 * The txid commits to all inputs and outputs; the amounts make a signer's view of its fee binding.
 */
export function sighash(txidBytes: Uint8Array, spentAmounts: readonly bigint[]): Uint8Array {
  const w = scratchWriter().bytes(txidBytes);
  for (const amount of spentAmounts) w.u64(amount);
  return sha256d(w.written());
}

/** Address hash of a public key: the first 20 bytes of its SHA-256. */
export const publicKeyHash = (publicKey: Uint8Array): Uint8Array =>
  sha256(publicKey).slice(0, ADDRESS_HASH_SIZE);

export const SIGNATURE_ROOT_SIZE = 32;
/** Where the signature root sits in the coinbase data: after height u32 and extra-nonce u64. */
export const SIGNATURE_ROOT_OFFSET = 12;

/**
 * The signature root a block's coinbase carries: the Merkle root (as over txids) of every
 * transaction's wtxid in block order, the coinbase's own leaf being 32 zero bytes (it holds the root).
 * `others` are the block's transactions after the coinbase. With the txid root in the header, it
 * makes the block hash commit to every byte of the body. The extra-nonce lives in the coinbase only,
 * whose leaf is fixed, so rolling it does not change this root.
 */
export function signatureRoot(others: readonly Tx[]): Uint8Array {
  return merkleRoot([new Uint8Array(32), ...others.map(wtxid)]);
}

/** The coinbase data record: height, extra-nonce, signature root, then up to 56 bytes of free text. */
export function encodeCoinbaseData(
  height: number,
  extraNonce: bigint,
  sigRoot: Uint8Array,
  text: Uint8Array = new Uint8Array(),
): Uint8Array {
  if (sigRoot.length !== SIGNATURE_ROOT_SIZE) throw new RangeError('signature root must be 32 bytes');
  const data = concatBytes(new ByteWriter(12).u32(height).u64(extraNonce).finish(), sigRoot, text);
  if (data.length > COINBASE_DATA_MAX) throw new RangeError('coinbase text too long');
  return data;
}

/** Reads a coinbase data record (at least 44 bytes: a block's sanity checks ensure it). */
export function decodeCoinbaseData(data: Uint8Array): {
  height: number;
  extraNonce: bigint;
  sigRoot: Uint8Array;
  text: Uint8Array;
} {
  const r = new ByteReader(data);
  return {
    height: r.u32(),
    extraNonce: r.u64(),
    sigRoot: r.bytes(SIGNATURE_ROOT_SIZE),
    text: data.slice(SIGNATURE_ROOT_OFFSET + SIGNATURE_ROOT_SIZE),
  };
}

/** The coinbase of a block whose other transactions are `txs` (in block order): it commits to their signatures. */
export function createCoinbase(opts: {
  height: number;
  outputs: readonly TxOutput[];
  txs: readonly Tx[];
  extraNonce?: bigint;
  text?: Uint8Array;
}): Tx {
  return {
    version: TX_VERSION,
    inputs: [],
    outputs: opts.outputs,
    data: encodeCoinbaseData(opts.height, opts.extraNonce ?? 0n, signatureRoot(opts.txs), opts.text),
  };
}

/** Outpoint key used in maps and the store: txid hex + ':' + output index. */
export const outpointKey = (prevTxid: Uint8Array | string, index: number): string =>
  `${typeof prevTxid === 'string' ? prevTxid : toHex(prevTxid)}:${index}`;
