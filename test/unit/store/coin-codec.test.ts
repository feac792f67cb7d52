// The stored coin and undo encodings with policy coins (src/store/codec.ts): a key coin keeps the
// 33-byte layout stores have always had, a policy coin adds the rest of its 32-byte address, the
// coinbase and policy flags combine, and an undo record mixing both kinds reads back exactly.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import type { Coin } from '../../../src/core/validation.js';
import { decodeCoin, decodeUndo, encodeCoin, encodeUndo } from '../../../src/store/codec.js';

const key: Coin = { amount: 5n, address: new Uint8Array(20).fill(3), height: 7, coinbase: false };
const policy: Coin = {
  amount: 2n ** 63n,
  address: Uint8Array.from({ length: 32 }, (_, i) => i + 1),
  height: 0xffffffff,
  coinbase: true,
};

describe('coin encoding', () => {
  it('keeps 33 bytes for a key coin and adds 12 for a policy coin', () => {
    expect(encodeCoin(key)).toHaveLength(33);
    expect(encodeCoin(policy)).toHaveLength(45);
    expect(encodeCoin(policy)[32]).toBe(3); // coinbase and policy
    expect(decodeCoin(encodeCoin(key))).toEqual(key);
    expect(decodeCoin(encodeCoin(policy))).toEqual(policy);
  });

  it('reads an undo record of both kinds back in order', () => {
    const spent = [
      { txid: new Uint8Array(32).fill(1), index: 0, coin: policy },
      { txid: new Uint8Array(32).fill(2), index: 9, coin: key },
      { txid: new Uint8Array(32).fill(3), index: 1, coin: { ...policy, coinbase: false } },
    ];
    const back = decodeUndo(encodeUndo(spent));
    expect(back.map((s) => [toHex(s.txid), s.index, toHex(s.coin.address), s.coin.coinbase])).toEqual(
      spent.map((s) => [toHex(s.txid), s.index, toHex(s.coin.address), s.coin.coinbase]),
    );
  });

  it('refuses unknown flags', () => {
    const bytes = encodeCoin(key);
    bytes[32] = 4;
    expect(() => decodeCoin(bytes)).toThrow(/corrupt coin flags/);
  });
});
