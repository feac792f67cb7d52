import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { NETWORKS } from '../../../src/core/params.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import { buildBump, type PendingTx, replacementFee } from '../../../src/wallet/bump.js';
import { HdWallet } from '../../../src/wallet/keys.js';

const params = NETWORKS.regtest;
const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

async function fixture() {
  const wallet = await HdWallet.fromMnemonic(MNEMONIC, params);
  const payee = wallet.receiveAddress(7);
  const change = wallet.changeAddress(0);
  const own = new Set([wallet.receiveAddress(0), change]);
  const original: PendingTx = {
    txid: 'aa'.repeat(32),
    size: 195,
    fee: 195n,
    inputs: [
      { prevTxid: 'bb'.repeat(32), prevIndex: 0, address: wallet.receiveAddress(0), amount: 1_000_000n },
    ],
    outputs: [
      { address: payee, amount: 400_000n },
      { address: change, amount: 1_000_000n - 400_000n - 195n },
    ],
    dataHex: '',
  };
  const base = {
    params,
    original,
    minFeeRate: 1,
    isChange: (a: string) => a === change,
    keyFor: (a: string) => (own.has(a) ? wallet.keyForAddress(a) : undefined),
    changeAddress: wallet.changeAddress(1),
  };
  return { wallet, payee, change, original, base };
}

describe('fee bumping', () => {
  it('pays the replacement rules to the unit: above the old rate, and the old fee plus relay for its size', () => {
    const original = { fee: 1000n, size: 100 } as PendingTx;
    // Rate 10/byte: a same-size replacement needs 1000 + 100 (relay), not just 1001.
    expect(replacementFee(original, 100, 1n, 1)).toBe(1100n);
    expect(replacementFee(original, 100, 12n, 1)).toBe(1200n);
    // A bigger replacement: strictly above 10/byte (2001 for 200 bytes) beats 1000 + 200.
    expect(replacementFee(original, 200, 1n, 1)).toBe(2001n);
  });

  it('spends the same inputs, keeps the payment and takes the fee from the change', async () => {
    const { payee, change, original, base } = await fixture();
    const built = buildBump({ ...base, feeRate: 10n });
    expect(built.inputs.map((i) => `${i.txid}:${i.index}`)).toEqual([`${'bb'.repeat(32)}:0`]);
    expect(built.size).toBe(195);
    expect(built.fee).toBe(1950n);
    expect(toHex(built.tx.outputs[0]!.address)).toBe(toHex(decodeAddress(params.addressPrefix, payee)));
    expect(built.tx.outputs[0]!.amount).toBe(400_000n);
    expect(built.change).toMatchObject({ address: change, amount: 1_000_000n - 400_000n - 1950n });
    expect(built.txid).not.toBe(original.txid);
  });

  it('adds a confirmed coin when the change cannot cover the new fee, and refuses what is not its own', async () => {
    const { wallet, original, base } = await fixture();
    const tight: PendingTx = {
      ...original,
      outputs: [{ address: original.outputs[0]!.address, amount: 1_000_000n - 195n }],
      size: 167,
    };
    const extra = { txid: 'cc'.repeat(32), index: 1, amount: 50_000n, address: wallet.receiveAddress(0) };
    const built = buildBump({ ...base, original: tight, feeRate: 5n, extraCoins: [extra] });
    expect(built.inputs).toHaveLength(2);
    expect(built.change?.address).toBe(wallet.changeAddress(1));
    expect(built.fee).toBeGreaterThanOrEqual(5n * BigInt(built.size));
    expect(() => buildBump({ ...base, original: tight, feeRate: 5n })).toThrow(/more base units/);
    expect(() => buildBump({ ...base, keyFor: () => undefined, feeRate: 5n })).toThrow(/not this wallet's/);
  });
});
