// Step 5: keys, signatures and addresses, with the node's own Ed25519 and bech32m code.
import { toHex } from '../../../../src/core/bytes.js';
import { sha256 } from '../../../../src/core/hash.js';
import { publicKeyHash } from '../../../../src/core/tx.js';
import { AddressError, decodeAddress, encodeAddress } from '../../../../src/crypto/address.js';
import { type KeyPair, keyPairFromPrivate, sign, verify } from '../../../../src/crypto/ed25519.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A key pair whose private key is the SHA-256 of a text: reproducible, and never for real coins. */
export const keyFromText = (text: string): KeyPair => keyPairFromPrivate(sha256(utf8(text)));

export const signText = (text: string, privateKey: Uint8Array): Uint8Array => sign(utf8(text), privateKey);

export const verifyText = (publicKey: Uint8Array, text: string, signature: Uint8Array): boolean =>
  verify(publicKey, utf8(text), signature);

/** Every stage from a public key to its address. */
export interface AddressDerivation {
  readonly publicKey: string;
  /** SHA-256 of the public key (32 bytes); the address keeps the first 20. */
  readonly sha256: string;
  readonly hash: string;
  readonly prefix: string;
  /** The key hash in bech32m's 5-bit alphabet. */
  readonly data: string;
  /** The last 6 characters: the checksum over prefix and data. */
  readonly checksum: string;
  readonly address: string;
}

export function deriveAddress(prefix: string, publicKey: Uint8Array): AddressDerivation {
  const hash = publicKeyHash(publicKey);
  const address = encodeAddress(prefix, hash);
  return {
    publicKey: toHex(publicKey),
    sha256: toHex(sha256(publicKey)),
    hash: toHex(hash),
    prefix,
    data: address.slice(prefix.length + 1, -6),
    checksum: address.slice(-6),
    address,
  };
}

export type AddressCheck = { ok: true; hash: string } | { ok: false; reason: string };

/** Decodes an address the way the wallet and the node do; the reason a person can act on otherwise. */
export function checkAddress(prefix: string, address: string): AddressCheck {
  try {
    return { ok: true, hash: toHex(decodeAddress(prefix, address)) };
  } catch (e) {
    if (e instanceof AddressError) return { ok: false, reason: e.message };
    throw e;
  }
}

export const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** The address with the character at `index` (counted after the "1" separator) swapped for another. */
export function oneLetterTypo(address: string, index: number): string {
  const sep = address.lastIndexOf('1');
  const at = sep + 1 + Math.max(0, Math.min(index, address.length - sep - 2));
  const c = address[at]!;
  const next = BECH32_CHARSET[(BECH32_CHARSET.indexOf(c) + 1) % BECH32_CHARSET.length]!;
  return address.slice(0, at) + next + address.slice(at + 1);
}

/** Indexes where two equally long strings differ (for highlighting a typo). */
export function differingIndexes(a: string, b: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.add(i);
  return out;
}
