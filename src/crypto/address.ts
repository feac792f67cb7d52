// Addresses: bech32m of the 20-byte public key hash with the network's prefix, so typos are detected.
import { bech32m } from '@scure/base';
import { ADDRESS_HASH_SIZE, publicKeyHash } from '../core/tx.js';

export function encodeAddress(prefix: string, hash: Uint8Array): string {
  if (hash.length !== ADDRESS_HASH_SIZE) throw new TypeError('an address hash is 20 bytes');
  return bech32m.encode(prefix, bech32m.toWords(hash));
}

export const addressFromPublicKey = (prefix: string, publicKey: Uint8Array): string =>
  encodeAddress(prefix, publicKeyHash(publicKey));

export class AddressError extends Error {
  override readonly name = 'AddressError';
}

/** Decodes an address of the given network; throws AddressError with a reason a person can act on. */
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
  const hash = bech32m.fromWords(decoded.words);
  if (hash.length !== ADDRESS_HASH_SIZE) throw new AddressError('address does not hold a 20-byte key hash');
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
