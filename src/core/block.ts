// A block: header plus transactions, and its serialization.
import { ByteReader, ByteWriter, concatBytes, toHex } from './bytes.js';
import { type BlockHeader, encodeHeader, HEADER_SIZE, headerHash, readHeader } from './header.js';
import { merkleRoot } from './merkle.js';
import { COINBASE_DATA_MIN } from './params.js';
import {
  encodeTx,
  isCoinbase,
  readTx,
  SIGNATURE_ROOT_OFFSET,
  SIGNATURE_ROOT_SIZE,
  signatureRoot,
  type Tx,
  txid,
} from './tx.js';

export interface Block {
  readonly header: BlockHeader;
  readonly txs: readonly Tx[];
}

export function encodeBlock(block: Block): Uint8Array {
  const w = new ByteWriter(HEADER_SIZE + 1 + block.txs.length * 200);
  w.bytes(encodeHeader(block.header)).varint(block.txs.length);
  for (const tx of block.txs) w.bytes(encodeTx(tx));
  return w.finish();
}

const MIN_TX_SIZE = 4 + 1 + 1 + 1;

export function decodeBlock(bytes: Uint8Array): Block {
  const r = new ByteReader(bytes);
  const header = readHeader(r);
  const txs: Tx[] = [];
  for (let n = r.count(MIN_TX_SIZE); n > 0; n--) txs.push(readTx(r));
  r.end();
  return { header, txs };
}

export const blockHash = (block: Block): Uint8Array => headerHash(block.header);
export const blockHashHex = (block: Block): string => toHex(blockHash(block));

export const computeMerkleRoot = (txs: readonly Tx[]): Uint8Array => merkleRoot(txs.map(txid));

/**
 * The block with its coinbase's signature root set to the one its transactions give, for code that
 * edits a built block's transactions (recompute the Merkle root after). A block whose first
 * transaction is no coinbase with room for a root comes back unchanged.
 */
export function commitSignatures(block: Block): Block {
  const [coinbase, ...others] = block.txs;
  if (!coinbase || !isCoinbase(coinbase) || coinbase.data.length < COINBASE_DATA_MIN) return block;
  const data = concatBytes(
    coinbase.data.subarray(0, SIGNATURE_ROOT_OFFSET),
    signatureRoot(others),
    coinbase.data.subarray(SIGNATURE_ROOT_OFFSET + SIGNATURE_ROOT_SIZE),
  );
  return { ...block, txs: [{ ...coinbase, data }, ...others] };
}
