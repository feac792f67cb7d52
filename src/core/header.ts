// The 80-byte block header and its hash.
import { ByteReader, ByteWriter, toHex } from './bytes.js';
import { sha256d } from './hash.js';

export const HEADER_SIZE = 80;
export const NONCE_OFFSET = 76;

export interface BlockHeader {
  readonly version: number; // u32
  readonly prevHash: Uint8Array; // 32 bytes
  readonly merkleRoot: Uint8Array; // 32 bytes
  readonly time: number; // u32, seconds since the Unix epoch
  readonly bits: number; // u32, compact target
  readonly nonce: number; // u32
}

export function encodeHeader(h: BlockHeader): Uint8Array {
  return new ByteWriter(HEADER_SIZE)
    .u32(h.version)
    .bytes(h.prevHash)
    .bytes(h.merkleRoot)
    .u32(h.time)
    .u32(h.bits)
    .u32(h.nonce)
    .finish();
}

export function readHeader(r: ByteReader): BlockHeader {
  return {
    version: r.u32(),
    prevHash: r.bytes(32),
    merkleRoot: r.bytes(32),
    time: r.u32(),
    bits: r.u32(),
    nonce: r.u32(),
  };
}

export function decodeHeader(bytes: Uint8Array): BlockHeader {
  const r = new ByteReader(bytes);
  const h = readHeader(r);
  r.end();
  return h;
}

/** Block hash: double SHA-256 of the header bytes, shown as hex in byte order. */
export const headerHash = (h: BlockHeader): Uint8Array => sha256d(encodeHeader(h));
export const headerHashHex = (h: BlockHeader): string => toHex(headerHash(h));
