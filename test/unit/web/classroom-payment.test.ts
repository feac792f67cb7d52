import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { getNetwork } from '../../../src/core/params.js';
import { sighash, txid } from '../../../src/core/tx.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import { verify } from '../../../src/crypto/ed25519.js';
import { InsufficientFundsError, WalletError } from '../../../src/wallet/errors.js';
import { HdWallet } from '../../../src/wallet/keys.js';
import { buildClassPayment, type ClassWalletKey, classBalance } from '../../../web/src/classroom/payment.js';
import type { BrowserCoin } from '../../../web/src/node/types.js';

const params = getNetwork('dev');
const PHRASE =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const COIN = 100_000_000n;

async function keys(): Promise<{ me: ClassWalletKey; bob: string }> {
  const wallet = await HdWallet.fromMnemonic(PHRASE, params);
  const k = wallet.receiveKey(0);
  return {
    me: { address: k.address, hash: k.hash, publicKey: k.publicKey, privateKey: k.privateKey },
    bob: wallet.receiveAddress(1),
  };
}

const coin = (n: number, value: bigint, height: number, coinbase = false): BrowserCoin => ({
  txid: n.toString(16).padStart(64, '0'),
  index: 0,
  value,
  height,
  coinbase,
});

describe('paying a classmate by name', () => {
  it("resolves the name to the roster's address, pays it, sends change home, and signs", async () => {
    const { me, bob } = await keys();
    const coins = [coin(1, 50n * COIN, 3, true), coin(2, 2n * COIN, 4)];
    const built = buildClassPayment({
      params,
      coins,
      tipHeight: 10,
      isPending: () => false,
      key: me,
      to: 'Bob',
      amount: 3n * COIN,
      feeRate: 1n,
      addressOf: (name) => (name === 'Bob' ? bob : undefined),
    });
    expect(built.tx.outputs[0]).toEqual({
      amount: 3n * COIN,
      address: decodeAddress(params.addressPrefix, bob),
    });
    expect(built.change?.address).toBe(me.address);
    expect(built.fee).toBe(BigInt(built.size));
    // Every input is signed by the student's key over the sighash of the spent amounts.
    const message = sighash(
      txid(built.tx),
      built.inputs.map((i) => i.amount),
    );
    for (const input of built.tx.inputs) {
      expect(toHex(input.publicKey)).toBe(toHex(me.publicKey));
      expect(verify(me.publicKey, message, input.signature)).toBe(true);
    }
  });

  it('says clearly when the coins do not cover the payment, naming the immature rewards', async () => {
    const { me, bob } = await keys();
    const strict = { ...params, coinbaseMaturity: 10 };
    const request = {
      params: strict,
      // One spendable coin of 1 and a block reward mined at the tip, not mature yet.
      coins: [coin(1, COIN, 2), coin(2, 50n * COIN, 10, true)],
      tipHeight: 10,
      isPending: () => false,
      key: me,
      to: 'Bob',
      amount: 5n * COIN,
      feeRate: 1n,
      addressOf: () => bob,
    };
    let error: unknown;
    try {
      buildClassPayment(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect((error as Error).message).toMatch(
      /^Not enough coins: you can spend 1 \(50 more are block rewards/,
    );
    expect((error as InsufficientFundsError).available).toBe(COIN);
  });

  it('refuses an unknown name, oneself and a zero amount', async () => {
    const { me, bob } = await keys();
    const base = {
      params,
      coins: [coin(1, 10n * COIN, 2)],
      tipHeight: 10,
      isPending: () => false,
      key: me,
      amount: COIN,
      feeRate: 1n,
    };
    const pay = (to: string, amount = COIN) =>
      buildClassPayment({
        ...base,
        to,
        amount,
        addressOf: (n) => ({ Bob: bob, Me: me.address })[n],
      });
    expect(() => pay('Zed')).toThrow('Nobody called "Zed"');
    expect(() => pay('Zed')).toThrow('more than one classmate has that name');
    expect(() => pay('Me')).toThrow('your own address');
    expect(() => pay('Bob', 0n)).toThrow(WalletError);
    expect(() => pay('Bob', 0n)).toThrow('more than zero');
  });
});

describe('classroom balance', () => {
  it('splits confirmed, immature and pending coins', () => {
    const strict = { ...params, coinbaseMaturity: 5 };
    const coins = [coin(1, 7n, 1, true), coin(2, 11n, 9, true), coin(3, 13n, 0)];
    const pending = new Set([coins[2]!.txid]);
    expect(classBalance(coins, 10, strict, (c) => pending.has(c.txid))).toEqual({
      confirmed: 18n,
      immature: 11n,
      pending: 13n,
    });
  });
});
