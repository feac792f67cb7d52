import { bech32, bech32m } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NETWORKS, publicKeyHash, toHex } from '../../../src/core/index.js';
import {
  AddressError,
  addressFromPublicKey,
  addressKind,
  decodeAddress,
  encodeAddress,
  isAddress,
  keyPairFromPrivate,
} from '../../../src/crypto/index.js';

const hash = Uint8Array.from({ length: 20 }, (_, i) => i);
const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

describe('addresses', () => {
  it('are bech32m of the 20-byte key hash with the network prefix', () => {
    for (const p of Object.values(NETWORKS)) {
      const address = encodeAddress(p.addressPrefix, hash);
      expect(address.startsWith(`${p.addressPrefix}1`)).toBe(true);
      const decoded = bech32m.decode(address as `${string}1${string}`);
      expect(decoded.prefix).toBe(p.addressPrefix);
      expect(toHex(bech32m.fromWords(decoded.words))).toBe(toHex(hash));
    }
  });

  it('round-trip any key hash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (h) => {
        expect(toHex(decodeAddress('hl', encodeAddress('hl', h)))).toBe(toHex(h));
      }),
    );
  });

  it('come from a public key through publicKeyHash', () => {
    const { publicKey } = keyPairFromPrivate(new Uint8Array(32).fill(1));
    const address = addressFromPublicKey('hlrt', publicKey);
    expect(toHex(decodeAddress('hlrt', address))).toBe(toHex(publicKeyHash(publicKey)));
  });

  it('decode in upper case too', () => {
    const address = encodeAddress('hl', hash);
    expect(toHex(decodeAddress('hl', address.toUpperCase()))).toBe(toHex(hash));
  });

  it('detect any single-character typo', () => {
    const address = encodeAddress('hldev', hash);
    const dataStart = address.indexOf('1') + 1;
    for (let i = dataStart; i < address.length; i++) {
      for (const c of BECH32_CHARSET) {
        if (c === address[i]) continue;
        const typo = address.slice(0, i) + c + address.slice(i + 1);
        expect(() => decodeAddress('hldev', typo)).toThrow(AddressError);
      }
    }
  });

  it('detect two swapped adjacent characters', () => {
    const address = encodeAddress('hl', hash);
    for (let i = address.indexOf('1') + 1; i < address.length - 1; i++) {
      if (address[i] === address[i + 1]) continue;
      const swapped = address.slice(0, i) + address[i + 1] + address[i] + address.slice(i + 2);
      expect(isAddress('hl', swapped)).toBe(false);
    }
  });

  it('of another network are refused with a reason', () => {
    const mainAddress = encodeAddress(NETWORKS.main.addressPrefix, hash);
    expect(() => decodeAddress(NETWORKS.dev.addressPrefix, mainAddress)).toThrow(/another network/);
    expect(isAddress(NETWORKS.regtest.addressPrefix, mainAddress)).toBe(false);
    expect(isAddress(NETWORKS.main.addressPrefix, mainAddress)).toBe(true);
  });

  it('refuse a bech32 (not bech32m) checksum, a wrong payload length and non-strings', () => {
    const bech32Address = bech32.encode('hl', bech32.toWords(hash));
    expect(() => decodeAddress('hl', bech32Address)).toThrow(AddressError);
    const long = bech32m.encode('hl', bech32m.toWords(new Uint8Array(33)));
    expect(() => decodeAddress('hl', long)).toThrow(/neither a 20-byte key hash nor a 32-byte policy hash/);
    const short = bech32m.encode('hl', bech32m.toWords(new Uint8Array(21)));
    expect(() => decodeAddress('hl', short)).toThrow(AddressError);
    expect(() => decodeAddress('hl', '')).toThrow(AddressError);
    expect(isAddress('hl', 42)).toBe(false);
    expect(isAddress('hl', undefined)).toBe(false);
    expect(() => encodeAddress('hl', new Uint8Array(21))).toThrow(TypeError);
  });

  it('refuse a payload that is not whole bytes (non-zero or excess padding) with an AddressError', () => {
    // A valid bech32m checksum over words that do not convert to bytes: a plain Error would be a 500.
    const padded = bech32m.toWords(new Uint8Array(32).fill(1));
    padded[padded.length - 1]! |= 1;
    expect(() => decodeAddress('hl', bech32m.encode('hl', padded))).toThrow(AddressError);
    const excess = [...bech32m.toWords(hash), 0];
    expect(() => decodeAddress('hl', bech32m.encode('hl', excess))).toThrow(AddressError);
    expect(isAddress('hl', bech32m.encode('hl', excess))).toBe(false);
  });

  it('of a 32-byte policy hash are longer, decode back to it and say their kind', () => {
    const policyHash = new Uint8Array(32).map((_, i) => i * 7);
    const address = encodeAddress('hl', policyHash);
    expect(address).toHaveLength(3 + 52 + 6);
    expect(decodeAddress('hl', address)).toEqual(policyHash);
    expect(addressKind(decodeAddress('hl', address))).toBe('policy');
    expect(addressKind(hash)).toBe('key');
  });
});
