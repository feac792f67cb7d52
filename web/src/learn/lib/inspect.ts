// The inspector: a block header or transaction rebuilt from the node's JSON into its exact bytes with
// the node's encoders, each field named, and its hash recomputed in the browser.
import { computeMerkleRoot } from '../../../../src/core/block.js';
import { fromHex, toHex, varintSize } from '../../../../src/core/bytes.js';
import { type BlockHeader, encodeHeader, headerHashHex } from '../../../../src/core/header.js';
import { COINBASE_DATA_MIN } from '../../../../src/core/params.js';
import {
  decodeCoinbaseData,
  encodeTx,
  isCoinbase,
  TX_VERSION_2,
  type Tx,
  txidHex,
} from '../../../../src/core/tx.js';
import { decodeAddress } from '../../../../src/crypto/address.js';
import type { BlockJson, TxJson } from '../../api/types.js';
import { lockTimeField, tx2Fields } from './inspect-tx2.js';

export type FieldKind =
  | 'version'
  | 'hash'
  | 'merkle'
  | 'time'
  | 'bits'
  | 'nonce'
  | 'count'
  | 'outpoint'
  | 'index'
  | 'key'
  | 'signature'
  | 'amount'
  | 'address'
  | 'data'
  | 'sequence'
  | 'policy'
  | 'witness'
  | 'locktime';

export interface ByteField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly start: number;
  readonly length: number;
  /** The value as a person reads it. */
  readonly value: string;
  /** False for the bytes the txid leaves out (signatures). */
  readonly hashed: boolean;
}

/** What the inspector needs of a block: the API's block view, or a decoded one (its height may be unknown). */
export type InspectBlock = Pick<
  BlockJson,
  'hash' | 'version' | 'previousHash' | 'merkleRoot' | 'time' | 'bits' | 'nonce' | 'txs'
> & { readonly height: number | null };

const parseBits = (bits: number | string): number =>
  typeof bits === 'number' ? bits : Number.parseInt(bits, 16);

export function headerFromJson(b: InspectBlock): BlockHeader {
  return {
    version: b.version,
    prevHash: fromHex(b.previousHash),
    merkleRoot: fromHex(b.merkleRoot),
    time: b.time,
    bits: parseBits(b.bits),
    nonce: b.nonce,
  };
}

/** The transaction the JSON describes; output addresses are decoded back to their key or policy hashes. */
export function txFromJson(t: TxJson, addressPrefix: string): Tx {
  const outputs = t.outputs.map((o) => ({
    amount: BigInt(o.amount),
    address: decodeAddress(addressPrefix, o.address),
  }));
  if (t.version !== TX_VERSION_2) {
    return {
      version: t.version,
      inputs: t.inputs.map((i) => ({
        prevTxid: fromHex(i.prevTxid),
        prevIndex: i.prevIndex,
        publicKey: fromHex(i.publicKey),
        signature: fromHex(i.signature),
      })),
      outputs,
      data: fromHex(t.data.hex),
    };
  }
  return {
    version: TX_VERSION_2,
    inputs: t.inputs.map((i) => ({
      prevTxid: fromHex(i.prevTxid),
      prevIndex: i.prevIndex,
      sequence: i.sequence,
      publicKey: fromHex(i.publicKey),
      signature: fromHex(i.signature),
      ...(i.policy ? { policy: fromHex(i.policy.hex), witness: fromHex(i.witness ?? '') } : {}),
    })),
    outputs,
    data: fromHex(t.data.hex),
    lockTime: t.lockTime,
  };
}

export function headerFields(h: BlockHeader): ByteField[] {
  const f = (name: string, kind: FieldKind, start: number, length: number, value: string): ByteField => ({
    name,
    kind,
    start,
    length,
    value,
    hashed: true,
  });
  return [
    f('version', 'version', 0, 4, String(h.version)),
    f('previous block hash', 'hash', 4, 32, toHex(h.prevHash)),
    f('Merkle root', 'merkle', 36, 32, toHex(h.merkleRoot)),
    f('time', 'time', 68, 4, `${h.time} (${new Date(h.time * 1000).toISOString().replace('.000Z', 'Z')})`),
    f('bits', 'bits', 72, 4, `0x${h.bits.toString(16).padStart(8, '0')}`),
    f('nonce', 'nonce', 76, 4, String(h.nonce)),
  ];
}

/** Every field of an encoded transaction, in byte order (see encodeTx). */
export function txFields(tx: Tx): ByteField[] {
  const out: ByteField[] = [];
  let at = 0;
  const add = (name: string, kind: FieldKind, length: number, value: string, hashed = true) => {
    out.push({ name, kind, start: at, length, value, hashed });
    at += length;
  };
  if (tx.version === TX_VERSION_2) {
    tx2Fields(tx, add);
    dataFields(tx, add);
    const f = lockTimeField(tx);
    add(f.name, f.kind, f.length, f.value);
    return out;
  }
  add('version', 'version', 4, String(tx.version));
  add('input count', 'count', varintSize(tx.inputs.length), String(tx.inputs.length));
  tx.inputs.forEach((input, i) => {
    add(`input ${i}: spent txid`, 'outpoint', 32, toHex(input.prevTxid));
    add(`input ${i}: output index`, 'index', 4, String(input.prevIndex));
    add(`input ${i}: public key`, 'key', 32, toHex(input.publicKey));
    add(`input ${i}: signature`, 'signature', 64, toHex(input.signature), false);
  });
  add('output count', 'count', varintSize(tx.outputs.length), String(tx.outputs.length));
  tx.outputs.forEach((output, i) => {
    add(`output ${i}: amount (units)`, 'amount', 8, output.amount.toString());
    add(`output ${i}: address key hash`, 'address', 20, toHex(output.address));
  });
  dataFields(tx, add);
  return out;
}

export type AddField = (
  name: string,
  kind: FieldKind,
  length: number,
  value: string,
  hashed?: boolean,
) => void;

/** The data record: a coinbase's height, extra-nonce, signature root and text, or free bytes. */
function dataFields(tx: Tx, add: AddField): void {
  add('data length', 'count', varintSize(tx.data.length), String(tx.data.length));
  if (isCoinbase(tx) && tx.data.length >= COINBASE_DATA_MIN) {
    // A coinbase's record: height, extra-nonce, the signature root (the block's signatures), free text.
    const d = decodeCoinbaseData(tx.data);
    add('coinbase data: height', 'data', 4, String(d.height));
    add('coinbase data: extra-nonce', 'data', 8, d.extraNonce.toString());
    add("coinbase data: signature root (commits to the block's signatures)", 'data', 32, toHex(d.sigRoot));
    if (d.text.length > 0) add('coinbase data: text', 'data', d.text.length, toHex(d.text));
  } else if (tx.data.length > 0) add('data', 'data', tx.data.length, toHex(tx.data));
}

export interface Inspection {
  readonly bytes: Uint8Array;
  readonly fields: readonly ByteField[];
  /** The hash recomputed here from the bytes, and the one the node gave. */
  readonly computed: string;
  readonly claimed: string;
}

export function inspectHeader(
  b: InspectBlock,
  addressPrefix: string,
): Inspection & { merkle: { computed: string; claimed: string } } {
  const header = headerFromJson(b);
  const txs = b.txs.map((t) => txFromJson(t, addressPrefix));
  return {
    bytes: encodeHeader(header),
    fields: headerFields(header),
    computed: headerHashHex(header),
    claimed: b.hash,
    merkle: { computed: toHex(computeMerkleRoot(txs)), claimed: b.merkleRoot },
  };
}

export function inspectTx(t: TxJson, addressPrefix: string): Inspection {
  const tx = txFromJson(t, addressPrefix);
  return { bytes: encodeTx(tx), fields: txFields(tx), computed: txidHex(tx), claimed: t.txid };
}

/**
 * What the inspector's input names: a height, a 64-hex hash (a block's or a transaction's), or the
 * hex of a block, header or transaction itself (longer, an even number of hex digits).
 */
export function classifyId(
  text: string,
): { kind: 'height'; height: number } | { kind: 'hash'; hash: string } | { kind: 'hex'; hex: string } | null {
  const t = text.trim().toLowerCase();
  if (/^\d{1,10}$/.test(t)) return { kind: 'height', height: Number(t) };
  if (/^[0-9a-f]{64}$/.test(t)) return { kind: 'hash', hash: t };
  if (t.length > 64 && t.length % 2 === 0 && /^[0-9a-f]+$/.test(t)) return { kind: 'hex', hex: t };
  return null;
}
