// Addresses: bech32m of an output's lock with the network's prefix, so typos are detected. A key
// address holds a 20-byte public key hash, a policy address a 32-byte policy hash (as Bitcoin's
// P2WPKH and P2WSH differ by length under one prefix).
import { bech32m } from '@scure/base';
import { ADDRESS_HASH_SIZE, POLICY_HASH_SIZE, publicKeyHash } from '../core/tx.js';

export type AddressKind = 'key' | 'policy';

/** What an address hash locks to, by its length. */
export const addressKind = (hash: Uint8Array): AddressKind =>
  hash.length === POLICY_HASH_SIZE ? 'policy' : 'key';

export function encodeAddress(prefix: string, hash: Uint8Array): string {
  if (hash.length !== ADDRESS_HASH_SIZE && hash.length !== POLICY_HASH_SIZE)
    throw new TypeError('an address hash is 20 bytes (a key) or 32 bytes (a policy)');
  return bech32m.encode(prefix, bech32m.toWords(hash));
}

export const addressFromPublicKey = (prefix: string, publicKey: Uint8Array): string =>
  encodeAddress(prefix, publicKeyHash(publicKey));

export class AddressError extends Error {
  override readonly name = 'AddressError';
}

/** Decodes an address of the given network (either kind); throws AddressError with a reason a person can act on. */
export function decodeAddress(prefix: string, address: string): Uint8Array {
  if (typeof address !== 'string' || address.length === 0) throw new AddressError('address is empty');
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32m.decode(address.toLowerCase() as `${string}1${string}`, 90);
  } catch {
    throw new AddressError(
      `"${address}" is not a valid address (bad characters or checksum: check for a typo)`,
    );
  }
  if (decoded.prefix !== prefix) {
    throw new AddressError(
      `address prefix "${decoded.prefix}" belongs to another network (expected "${prefix}")`,
    );
  }
  let hash: Uint8Array;
  try {
    hash = bech32m.fromWords(decoded.words);
  } catch {
    // Words that do not make whole bytes (non-zero or excess padding) under a valid checksum.
    throw new AddressError('address holds neither a 20-byte key hash nor a 32-byte policy hash');
  }
  if (hash.length !== ADDRESS_HASH_SIZE && hash.length !== POLICY_HASH_SIZE)
    throw new AddressError('address holds neither a 20-byte key hash nor a 32-byte policy hash');
  return hash;
}

export function isAddress(prefix: string, address: unknown): boolean {
  try {
    decodeAddress(prefix, address as string);
    return true;
  } catch {
    return false;
  }
}
