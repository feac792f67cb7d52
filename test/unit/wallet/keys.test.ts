import { ed25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { NETWORKS } from '../../../src/core/params.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import { mnemonicToSeedSync } from '../../../src/crypto/mnemonic.js';
import { DEFAULT_GAP_LIMIT, HdWallet } from '../../../src/wallet/keys.js';
import { MNEMONIC, params, wallet } from './helpers.js';

/** SLIP-0010 ed25519 written out from the spec, independent of the library the wallet uses. */
function slip10(seed: Uint8Array, path: number[]): Uint8Array {
  let i = hmac(sha512, utf8ToBytes('ed25519 seed'), seed);
  for (const index of path) {
    const ser = new Uint8Array(4);
    new DataView(ser.buffer).setUint32(0, index + 0x80000000, false);
    i = hmac(sha512, i.slice(32), concatBytes(new Uint8Array([0]), i.slice(0, 32), ser));
  }
  return i.slice(0, 32);
}

describe('HdWallet', () => {
  const seed = mnemonicToSeedSync(MNEMONIC);

  it("derives m/44'/9999'/account'/chain'/index' keys and their addresses", () => {
    for (const [chain, index] of [
      [0, 0],
      [0, 5],
      [1, 0],
      [1, 19],
    ] as const) {
      const key = wallet.key(chain, index);
      const privateKey = slip10(seed, [44, 9999, 0, chain, index]);
      expect(bytesToHex(key.privateKey)).toBe(bytesToHex(privateKey));
      expect(key.publicKey).toEqual(ed25519.getPublicKey(privateKey));
      expect(key.hash).toEqual(sha256(key.publicKey).slice(0, 20));
      expect(decodeAddress(params.addressPrefix, key.address)).toEqual(key.hash);
      expect(key.path).toBe(`m/44'/9999'/0'/${chain}'/${index}'`);
      expect(key).toMatchObject({ chain, index });
    }
  });

  it('pins the first addresses of a known mnemonic (a change of path or encoding would show here)', () => {
    expect(wallet.receiveAddress(0)).toBe('hlrt1665tpffl5upgx6cesp59wqqyqyhlmcg4va5u8t');
    expect(wallet.changeAddress(0)).toBe('hlrt1l3u7vt6g2yq2js6e246mjfzxrkz5ry38zgzex7');
  });

  it('separates receive, change, accounts, passphrases and networks', async () => {
    const account1 = HdWallet.fromSeed(seed, params, { account: 1 });
    expect(account1.receiveKey(0).privateKey).toEqual(slip10(seed, [44, 9999, 1, 0, 0]));
    const addresses = new Set([
      wallet.receiveAddress(0),
      wallet.changeAddress(0),
      wallet.receiveAddress(1),
      account1.receiveAddress(0),
      (await HdWallet.fromMnemonic(MNEMONIC, params, { passphrase: 'x' })).receiveAddress(0),
    ]);
    expect(addresses.size).toBe(5);
    const main = HdWallet.fromSeed(seed, NETWORKS.main);
    expect(main.receiveAddress(0).startsWith('hl1')).toBe(true);
    expect(main.receiveKey(0).hash).toEqual(wallet.receiveKey(0).hash);
  });

  it('gives the same wallet from the mnemonic as from its seed', async () => {
    const fromMnemonic = await HdWallet.fromMnemonic(MNEMONIC, params);
    expect(fromMnemonic.addresses(0, 3)).toEqual(wallet.addresses(0, 3));
  });

  it('lists the look-ahead window of both chains', () => {
    const keys = wallet.lookAhead(3, 0);
    expect(keys).toHaveLength(3 + DEFAULT_GAP_LIMIT + DEFAULT_GAP_LIMIT);
    expect(keys.filter((k) => k.chain === 0).map((k) => k.index)).toEqual(
      Array.from({ length: 23 }, (_, i) => i),
    );
    expect(wallet.addresses(1, 2, 4)).toEqual([wallet.changeAddress(4), wallet.changeAddress(5)]);
  });

  it('finds the key of an address, searching further when asked', () => {
    const fresh = HdWallet.fromSeed(seed, params);
    const target = wallet.changeAddress(12);
    expect(fresh.keyForAddress(target)).toBeUndefined();
    expect(fresh.keyForAddress(target, 10)).toBeUndefined();
    expect(fresh.keyForAddress(target, 13)).toMatchObject({ chain: 1, index: 12 });
    expect(fresh.keyForAddress(target)).toMatchObject({ chain: 1, index: 12 });
  });
});
