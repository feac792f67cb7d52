// Transactions in the UTXO model: format, txid, signature message, coinbase.
import { ByteReader, ByteWriter, concatBytes, scratchWriter, toHex, varintSize } from './bytes.js';
import { RuleError } from './errors.js';
import { sha256, sha256d } from './hash.js';
import { merkleRoot } from './merkle.js';
import { COINBASE_DATA_MAX, MAX_TX_SIZE, SEQUENCE_FINAL } from './params.js';

/** Version 1: key spends and key outputs only. */
export const TX_VERSION = 1;
/** Version 2: adds sequences, a lock time, policy outputs and policy spends (docs/protocol.md). */
export const TX_VERSION_2 = 2;
export const ADDRESS_HASH_SIZE = 20;
/** A policy output locks to SHA-256 of the policy's encoding. */
export const POLICY_HASH_SIZE = 32;
export const PUBLIC_KEY_SIZE = 32;
export const SIGNATURE_SIZE = 64;

/**
 * An input. A key spend carries `publicKey` and `signature`; a policy spend (version 2) carries
 * `policy` and `witness` instead, and empty `publicKey` and `signature`.
 */
export interface TxInput {
  readonly prevTxid: Uint8Array; // 32 bytes
  readonly prevIndex: number; // u32
  /** Version 2: the input's sequence (relative lock); absent means SEQUENCE_FINAL, as in version 1. */
  readonly sequence?: number;
  readonly publicKey: Uint8Array; // 32-byte Ed25519 public key (key spends)
  readonly signature: Uint8Array; // 64-byte Ed25519 signature over sighash(tx, spent amounts) (key spends)
  /** Version 2 policy spend: the revealed policy's encoding (covered by the txid). */
  readonly policy?: Uint8Array;
  /** Version 2 policy spend: the witness satisfying the policy (outside the txid, like signatures). */
  readonly witness?: Uint8Array;
}

export interface TxOutput {
  readonly amount: bigint; // base units, u64
  /** 20-byte public key hash, or (version 2) a 32-byte policy hash. */
  readonly address: Uint8Array;
}

export interface Tx {
  readonly version: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
  /** Arbitrary bytes; in a coinbase it starts with height u32 LE, extra-nonce u64 LE and the signature root. */
  readonly data: Uint8Array;
  /** Version 2: a height (below LOCKTIME_THRESHOLD) or time before which the tx is not final; absent means 0. */
  readonly lockTime?: number;
}

/** A coinbase has no inputs: it creates the block reward. */
export const isCoinbase = (tx: Tx): boolean => tx.inputs.length === 0;

/** Whether an input is a policy spend. */
export const isPolicySpend = (input: TxInput): boolean => input.policy !== undefined;
/** Whether an output (or coin) address is a 32-byte policy hash rather than a 20-byte key hash. */
export const isPolicyAddress = (address: Uint8Array): boolean => address.length === POLICY_HASH_SIZE;
/** The version a transaction of key spends paying these outputs takes: 2 when one pays a policy. */
export const versionForOutputs = (outputs: readonly TxOutput[]): number =>
  outputs.some((o) => isPolicyAddress(o.address)) ? TX_VERSION_2 : TX_VERSION;
/** An input's sequence (SEQUENCE_FINAL when unset, as every version 1 input). */
export const inputSequence = (input: TxInput): number => input.sequence ?? SEQUENCE_FINAL;
/** A transaction's lock time (0 when unset, as every version 1 transaction). */
export const txLockTime = (tx: Tx): number => tx.lockTime ?? 0;

const UNLOCK_KEY = 0;
const UNLOCK_POLICY = 1;
const OUTPUT_KEY = 0;
const OUTPUT_POLICY = 1;

function writeTx(w: ByteWriter, tx: Tx, withSignatures: boolean): void {
  if (tx.version === TX_VERSION_2) {
    writeTx2(w, tx, withSignatures);
    return;
  }
  assertVersion1Shape(tx);
  w.u32(tx.version).varint(tx.inputs.length);
  for (const input of tx.inputs) {
    w.bytes(input.prevTxid).u32(input.prevIndex).bytes(input.publicKey);
    if (withSignatures) w.bytes(input.signature);
  }
  w.varint(tx.outputs.length);
  for (const output of tx.outputs) w.u64(output.amount).bytes(output.address);
  w.varBytes(tx.data);
}

/** Only version 2 has sequences, a lock time and policies: encoding them as version 1 would lose them. */
function assertVersion1Shape(tx: Tx): void {
  if (tx.lockTime) throw new RangeError('a lock time needs transaction version 2');
  for (const input of tx.inputs) {
    if (input.policy !== undefined) throw new RangeError('a policy spend needs transaction version 2');
    if (input.sequence !== undefined && input.sequence !== SEQUENCE_FINAL)
      throw new RangeError('a sequence needs transaction version 2');
  }
  for (const output of tx.outputs) {
    if (output.address.length !== ADDRESS_HASH_SIZE)
      throw new RangeError('a policy output needs transaction version 2');
  }
}

function writeTx2(w: ByteWriter, tx: Tx, withWitnesses: boolean): void {
  w.u32(tx.version).varint(tx.inputs.length);
  for (const input of tx.inputs) {
    w.bytes(input.prevTxid).u32(input.prevIndex).u32(inputSequence(input));
    if (input.policy !== undefined) {
      w.u8(UNLOCK_POLICY).varBytes(input.policy);
      if (withWitnesses) w.varBytes(input.witness ?? new Uint8Array());
    } else {
      w.u8(UNLOCK_KEY).bytes(input.publicKey);
      if (withWitnesses) w.bytes(input.signature);
    }
  }
  w.varint(tx.outputs.length);
  for (const output of tx.outputs) {
    w.u64(output.amount).u8(isPolicyAddress(output.address) ? OUTPUT_POLICY : OUTPUT_KEY);
    w.bytes(output.address);
  }
  w.varBytes(tx.data).u32(txLockTime(tx));
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

/** The fewest bytes a version 2 input or output can take (a policy spend with empty policy and witness; a key output). */
const TX2_INPUT_MIN = 32 + 4 + 4 + 1 + 1 + 1;
const TX2_OUTPUT_MIN = 8 + 1 + ADDRESS_HASH_SIZE;

export function readTx(r: ByteReader): Tx {
  const version = r.u32();
  if (version === TX_VERSION_2) return readTx2(r, version);
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

function readTx2(r: ByteReader, version: number): Tx {
  const inputs: TxInput[] = [];
  for (let i = r.count(TX2_INPUT_MIN); i > 0; i--) {
    const prevTxid = r.bytes(32);
    const prevIndex = r.u32();
    const sequence = r.u32();
    const kind = r.u8();
    if (kind === UNLOCK_KEY) {
      const publicKey = r.bytes(PUBLIC_KEY_SIZE);
      inputs.push({ prevTxid, prevIndex, sequence, publicKey, signature: r.bytes(SIGNATURE_SIZE) });
    } else if (kind === UNLOCK_POLICY) {
      const policy = r.varBytes(MAX_TX_SIZE);
      const witness = r.varBytes(MAX_TX_SIZE);
      inputs.push({ prevTxid, prevIndex, sequence, publicKey: EMPTY, signature: EMPTY, policy, witness });
    } else {
      throw new RuleError('bad-encoding', `input unlock kind ${kind} is neither 0 (key) nor 1 (policy)`);
    }
  }
  const outputs: TxOutput[] = [];
  for (let i = r.count(TX2_OUTPUT_MIN); i > 0; i--) {
    const amount = r.u64();
    const kind = r.u8();
    if (kind !== OUTPUT_KEY && kind !== OUTPUT_POLICY)
      throw new RuleError('bad-encoding', `output kind ${kind} is neither 0 (key) nor 1 (policy)`);
    outputs.push({ amount, address: r.bytes(kind === OUTPUT_KEY ? ADDRESS_HASH_SIZE : POLICY_HASH_SIZE) });
  }
  const data = r.varBytes(MAX_TX_SIZE);
  return { version, inputs, outputs, data, lockTime: r.u32() };
}

const EMPTY = new Uint8Array(0);

export function decodeTx(bytes: Uint8Array): Tx {
  const r = new ByteReader(bytes);
  const tx = readTx(r);
  r.end();
  return tx;
}

/** The txid covers everything but the signatures and witnesses, so neither can change it. */
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

/** What sets a transaction of key spends apart from version 1: version 2, and how many outputs pay a policy. */
export interface TxShape {
  readonly version2?: boolean;
  readonly policyOutputs?: number;
}

/**
 * Exact serialized size of a transaction of key spends with these counts (each such input and output
 * has a fixed size). Version 2 adds a sequence and a kind byte per input, a kind byte per output, 12
 * bytes per policy output (a 32-byte hash instead of 20) and the lock time.
 */
export const txSizeFor = (inputs: number, outputs: number, dataSize = 0, shape: TxShape = {}): number =>
  4 +
  varintSize(inputs) +
  inputs * TX_INPUT_SIZE +
  varintSize(outputs) +
  outputs * TX_OUTPUT_SIZE +
  varintSize(dataSize) +
  dataSize +
  (shape.version2 || shape.policyOutputs ? 4 + inputs * 5 + outputs + (shape.policyOutputs ?? 0) * 12 : 0);

/** Serialized size in bytes: computed from the counts for version 1, summed for version 2. */
export const txSize = (tx: Tx): number =>
  tx.version === TX_VERSION_2 ? tx2Size(tx) : txSizeFor(tx.inputs.length, tx.outputs.length, tx.data.length);

function tx2Size(tx: Tx): number {
  let size = 4 + varintSize(tx.inputs.length) + varintSize(tx.outputs.length);
  for (const input of tx.inputs) {
    size += 32 + 4 + 4 + 1;
    if (input.policy === undefined) size += PUBLIC_KEY_SIZE + SIGNATURE_SIZE;
    else {
      const w = input.witness?.length ?? 0;
      size += varintSize(input.policy.length) + input.policy.length + varintSize(w) + w;
    }
  }
  for (const output of tx.outputs) size += 8 + 1 + output.address.length;
  return size + varintSize(tx.data.length) + tx.data.length + 4;
}

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
  const version = versionForOutputs(opts.outputs);
  return {
    version,
    inputs: [],
    outputs: opts.outputs,
    data: encodeCoinbaseData(opts.height, opts.extraNonce ?? 0n, signatureRoot(opts.txs), opts.text),
    ...(version === TX_VERSION_2 ? { lockTime: 0 } : {}),
  };
}

/** Outpoint key used in maps and the store: txid hex + ':' + output index. */
export const outpointKey = (prevTxid: Uint8Array | string, index: number): string =>
  `${typeof prevTxid === 'string' ? prevTxid : toHex(prevTxid)}:${index}`;
