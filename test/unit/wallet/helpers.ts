// Shared fixtures for wallet tests: a fixed wallet on regtest and coins that belong to it.

import { toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import { NETWORKS } from '../../../src/core/params.js';
import { outpointKey } from '../../../src/core/tx.js';
import type { Coin, CoinView } from '../../../src/core/validation.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import { mnemonicToSeedSync } from '../../../src/crypto/mnemonic.js';
import type { Utxo } from '../../../src/wallet/coin-select.js';
import { HdWallet } from '../../../src/wallet/keys.js';

export const params = NETWORKS.regtest;
export const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
export const wallet = HdWallet.fromSeed(mnemonicToSeedSync(MNEMONIC), params);
/** Another wallet, for recipients. */
export const other = HdWallet.fromSeed(mnemonicToSeedSync(MNEMONIC, 'other'), params);

/** A made-up txid, different for every n. */
export const fakeTxid = (n: number): string => toHex(sha256(new TextEncoder().encode(`coin ${n}`)));

/** Coins of the given amounts, spread over the wallet's first receive and change addresses. */
export function coins(amounts: readonly bigint[]): Utxo[] {
  return amounts.map((amount, i) => ({
    txid: fakeTxid(i),
    index: i % 3,
    amount,
    address: i % 2 === 0 ? wallet.receiveAddress(i % 5) : wallet.changeAddress(i % 4),
  }));
}

/** A UTXO view holding the coins, confirmed at height 1 (as the node's UTXO set would). */
export function viewOf(utxos: readonly Utxo[]): CoinView {
  const map = new Map<string, Coin>();
  for (const u of utxos) {
    map.set(outpointKey(u.txid, u.index), {
      amount: u.amount,
      address: decodeAddress(params.addressPrefix, u.address),
      height: 1,
      coinbase: false,
    });
  }
  return map;
}

export const keyFor = (address: string) => wallet.keyForAddress(address, 10);
