// Binary encodings of what the store keeps besides blocks. Only the store reads or writes these bytes.
import { ByteReader, ByteWriter, bigIntToBytes, bytesToBigInt, concatBytes } from '../core/bytes.js';
import { type BlockHeader, encodeHeader, readHeader } from '../core/header.js';
import type { Coin } from '../core/validation.js';

/** How far a stored block got: stored (header and body checked alone), valid (connected once), invalid. */
export type BlockStatus = 'stored' | 'valid' | 'invalid';
const STATUS_CODES: readonly BlockStatus[] = ['stored', 'valid', 'invalid'];

export interface IndexRecord {
  readonly header: BlockHeader;
  readonly height: number;
  readonly chainWork: bigint;
  readonly status: BlockStatus;
}

export function encodeIndexRecord(r: IndexRecord): Uint8Array {
  return new ByteWriter(117)
    .bytes(encodeHeader(r.header))
    .u32(r.height)
    .bytes(bigIntToBytes(r.chainWork, 32))
    .u8(STATUS_CODES.indexOf(r.status))
    .finish();
}

export function decodeIndexRecord(bytes: Uint8Array): IndexRecord {
  const r = new ByteReader(bytes);
  const header = readHeader(r);
  const height = r.u32();
  const chainWork = bytesToBigInt(r.bytes(32));
  const status = STATUS_CODES[r.u8()];
  if (!status) throw new Error('corrupt index record status');
  return { header, height, chainWork, status };
}

/** An index record's fields after the header, read in place (the header stays serialized). */
export function indexRecordTail(bytes: Uint8Array): {
  height: number;
  chainWork: bigint;
  status: BlockStatus;
} {
  const height = new DataView(bytes.buffer, bytes.byteOffset + 80, 4).getUint32(0, true);
  const status = STATUS_CODES[bytes[116]!];
  if (!status || bytes.length !== 117) throw new Error('corrupt index record');
  return { height, chainWork: bytesToBigInt(bytes.subarray(84, 116)), status };
}

// A coin: amount u64 | address[0..20] | height u32 | flags u8 (bit 0 coinbase, bit 1 policy) and, for
// a policy coin, the last 12 bytes of its 32-byte policy hash. Key coins keep the 33-byte layout
// stores have always had; the flag says whether 12 more bytes follow (undo records are read in order).
const COINBASE_FLAG = 1;
const POLICY_FLAG = 2;

export function encodeCoin(c: Coin): Uint8Array {
  const policy = c.address.length === 32;
  const w = new ByteWriter(policy ? 45 : 33)
    .u64(c.amount)
    .bytes(c.address.subarray(0, 20))
    .u32(c.height)
    .u8((c.coinbase ? COINBASE_FLAG : 0) | (policy ? POLICY_FLAG : 0));
  if (policy) w.bytes(c.address.subarray(20));
  return w.finish();
}

function readCoin(r: ByteReader): Coin {
  const amount = r.u64();
  const head = r.bytes(20);
  const height = r.u32();
  const flags = r.u8();
  if (flags & ~(COINBASE_FLAG | POLICY_FLAG)) throw new Error('corrupt coin flags');
  const address = flags & POLICY_FLAG ? concatBytes(head, r.bytes(12)) : head;
  return { amount, address, height, coinbase: (flags & COINBASE_FLAG) !== 0 };
}

export const decodeCoin = (bytes: Uint8Array): Coin => readCoin(new ByteReader(bytes));

/** An undo record: the outpoints a block spent and the coins they held, to restore on disconnect. */
export interface SpentCoin {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly coin: Coin;
}

export function encodeUndo(spent: readonly SpentCoin[]): Uint8Array {
  const w = new ByteWriter(8 + spent.length * 69).varint(spent.length);
  for (const s of spent) w.bytes(s.txid).u32(s.index).bytes(encodeCoin(s.coin));
  return w.finish();
}

export function decodeUndo(bytes: Uint8Array): SpentCoin[] {
  const r = new ByteReader(bytes);
  const out: SpentCoin[] = [];
  for (let n = r.varint(); n > 0; n--) out.push({ txid: r.bytes(32), index: r.u32(), coin: readCoin(r) });
  return out;
}

export function encodeTxLocation(blockHash: Uint8Array, index: number): Uint8Array {
  return new ByteWriter(36).bytes(blockHash).u32(index).finish();
}

export function decodeTxLocation(bytes: Uint8Array): { blockHash: Uint8Array; index: number } {
  const r = new ByteReader(bytes);
  return { blockHash: r.bytes(32), index: r.u32() };
}

const signed64 = new Uint8Array(8);
const signed64View = new DataView(signed64.buffer);

/** Through one shared view, then copied: a DataView per value cost more than the copy. */
export function encodeSigned64(v: bigint): Uint8Array {
  signed64View.setBigInt64(0, v, true);
  return signed64.slice();
}

export const decodeSigned64 = (b: Uint8Array): bigint =>
  new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true);
