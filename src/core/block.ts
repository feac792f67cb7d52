// A block: header plus transactions, and its serialization.
import { ByteReader, ByteWriter, toHex } from './bytes.js';
import { type BlockHeader, encodeHeader, HEADER_SIZE, headerHash, readHeader } from './header.js';
import { merkleRoot } from './merkle.js';
import { encodeTx, readTx, type Tx, txid } from './tx.js';

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
