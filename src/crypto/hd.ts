// SLIP-0010 hierarchical deterministic Ed25519 keys: one seed, a tree of key pairs.
//
// Ed25519 in SLIP-0010 only has hardened derivation (child = HMAC-SHA512(chain code, 0x00 || parent key
// || index + 2^31)), so every level of every path is hardened and there are no extended public keys:
// deriving a new address always needs the seed.
//
// Hashline's path follows BIP44's shape:  m / 44' / 9999' / account' / change' / index'
//   - 44'    the BIP44 purpose;
//   - 9999'  Hashline's coin type. Hashline has no SLIP-0044 registration, so it uses a number far from
//            the coin types of established currencies: the same mnemonic used in another wallet cannot
//            produce the same keys. All Hashline networks share it (addresses differ by their prefix);
//   - change 0' for receive addresses, 1' for change addresses.
import { HDKey as Slip10Key } from 'micro-key-producer/slip10.js';
import { type KeyPair, keyPairFromPrivate } from './ed25519.js';

export const HARDENED_OFFSET = 0x80000000;
export const BIP44_PURPOSE = 44;
export const HASHLINE_COIN_TYPE = 9999;

/** The two address chains under an account. */
export const RECEIVE_CHAIN = 0;
export const CHANGE_CHAIN = 1;
export type AddressChain = typeof RECEIVE_CHAIN | typeof CHANGE_CHAIN;

export class HdPathError extends Error {
  override readonly name = 'HdPathError';
}

function assertChildNumber(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= HARDENED_OFFSET) {
    throw new HdPathError(`child number ${index} is not an integer in 0..2^31-1`);
  }
}

/**
 * Parses "m/44'/9999'/0'/0'/5'" into child numbers without the hardened bit ([44, 9999, 0, 0, 5]).
 * Hardened levels may be marked ', h or H; a level without the mark is an error, not silently hardened.
 */
export function parsePath(path: string): number[] {
  const parts = path.trim().split('/');
  if (parts[0] !== 'm') throw new HdPathError(`path "${path}" must start with "m"`);
  return parts.slice(1).map((part) => {
    const m = /^(\d+)(['hH]?)$/.exec(part);
    if (!m) throw new HdPathError(`"${part}" in path "${path}" is not a child number`);
    if (!m[2]) {
      throw new HdPathError(
        `"${part}" in path "${path}" is not hardened: Ed25519 (SLIP-0010) only has hardened keys`,
      );
    }
    const index = Number(m[1]);
    assertChildNumber(index);
    return index;
  });
}

export const formatPath = (indexes: readonly number[]): string =>
  ['m', ...indexes.map((i) => `${i}'`)].join('/');

/** m/44'/9999'/account' */
export const hashlineAccountPath = (account: number): string =>
  formatPath([BIP44_PURPOSE, HASHLINE_COIN_TYPE, account]);

/** m/44'/9999'/account'/chain'/index' */
export function hashlinePath(account: number, chain: AddressChain, index: number): string {
  return formatPath([BIP44_PURPOSE, HASHLINE_COIN_TYPE, account, chain, index]);
}

/** One node of the SLIP-0010 tree: a private key, its chain code and where it sits. */
export class HdKey {
  private cachedPublicKey: Uint8Array | undefined;

  private constructor(
    private readonly node: Slip10Key,
    /** The path from the master key, e.g. "m/44'/9999'/0'". */
    readonly path: string,
  ) {}

  /** The master key of a seed of 16 to 64 bytes (a BIP39 seed is 64). */
  static fromSeed(seed: Uint8Array): HdKey {
    return new HdKey(Slip10Key.fromMasterSeed(seed), 'm');
  }

  get privateKey(): Uint8Array {
    return this.node.privateKey;
  }

  get chainCode(): Uint8Array {
    return this.node.chainCode;
  }

  get depth(): number {
    return this.node.depth;
  }

  /** The raw 32-byte Ed25519 public key (SLIP-0010 vectors print it with a 0x00 prefix byte). */
  get publicKey(): Uint8Array {
    this.cachedPublicKey ??= this.node.publicKeyRaw;
    return this.cachedPublicKey;
  }

  keyPair(): KeyPair {
    return keyPairFromPrivate(this.privateKey);
  }

  /** The hardened child `index'` (index without the 2^31 offset). */
  deriveChild(index: number): HdKey {
    assertChildNumber(index);
    return new HdKey(this.node.deriveChild(index + HARDENED_OFFSET), `${this.path}/${index}'`);
  }

  /** Derives a full path ("m/..."); only valid from the master key. */
  derive(path: string): HdKey {
    if (this.depth !== 0) throw new HdPathError('derive a path "m/..." from the master key');
    let key: HdKey = this;
    for (const index of parsePath(path)) key = key.deriveChild(index);
    return key;
  }
}
