// The little the network layer knows about a block: its 80-byte header gives the hash
// (double SHA-256) and the previous block's hash (bytes 4..36). Hashes are lowercase hex
// of the 32 bytes in natural order.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { HASH_BYTES, HEADER_BYTES } from './protocol.js';

const HEX64 = /^[0-9a-f]{64}$/;

export function isHashHex(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

/** Hash of a header, or of a serialized block (which starts with its header). */
export function blockHashOf(blockOrHeader: Uint8Array): string {
  if (blockOrHeader.length < HEADER_BYTES) throw new RangeError('shorter than a block header');
  return bytesToHex(sha256(sha256(blockOrHeader.subarray(0, HEADER_BYTES))));
}

export function prevHashOf(blockOrHeader: Uint8Array): string {
  if (blockOrHeader.length < HEADER_BYTES) throw new RangeError('shorter than a block header');
  return bytesToHex(blockOrHeader.subarray(4, 4 + HASH_BYTES));
}

export function hashToBytes(hash: string): Uint8Array {
  if (!isHashHex(hash)) throw new TypeError(`not a 32-byte hex hash: ${hash}`);
  return hexToBytes(hash);
}

export function bytesToHash(bytes: Uint8Array): string {
  if (bytes.length !== HASH_BYTES) throw new RangeError('a hash is 32 bytes');
  return bytesToHex(bytes);
}
