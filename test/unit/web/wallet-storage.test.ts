import { describe, expect, it } from 'vitest';
import { encryptSecret } from '../../../src/crypto/keystore.js';
import { parseStoredWallet } from '../../../web/src/wallet/storage.js';
import { feeRates } from '../../../web/src/wallet/wallet.js';

describe('browser wallet storage', () => {
  it('accepts a stored wallet and rejects damaged ones', async () => {
    const keystore = await encryptSecret('secret words', 'password', { network: 'regtest', N: 1024 });
    const good = {
      version: 1,
      network: 'regtest',
      account: 0,
      keystore,
      nextReceiveIndex: 2,
      nextChangeIndex: 1,
      addresses: { receive: ['a', 'b', 'c'], change: ['d', 'e'] },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(parseStoredWallet(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(parseStoredWallet(null)).toBeNull();
    expect(parseStoredWallet({ ...good, version: 2 })).toBeNull();
    expect(parseStoredWallet({ ...good, addresses: { receive: 'a', change: [] } })).toBeNull();
    expect(parseStoredWallet({ ...good, keystore: { ...keystore, ciphertext: 'zz' } })).toBeNull();
    // Nothing but the keystore is secret: the mnemonic is not in the stored JSON.
    expect(JSON.stringify(good)).not.toContain('secret words');
  });
});

describe('fee rates', () => {
  it('scale from the node minimum, at least 1 unit per byte', () => {
    expect(feeRates(undefined)).toEqual({ low: 1n, normal: 2n, high: 5n });
    expect(feeRates(0)).toEqual({ low: 1n, normal: 2n, high: 5n });
    expect(feeRates(1.5)).toEqual({ low: 2n, normal: 4n, high: 10n });
    expect(feeRates(3)).toEqual({ low: 3n, normal: 6n, high: 15n });
  });

  it("follow the node's estimates when it has them, never below its minimum", () => {
    const estimates = { nextBlock: 40, within3Blocks: 12, within6Blocks: 2 };
    expect(feeRates(1, estimates)).toEqual({ low: 2n, normal: 12n, high: 40n });
    expect(feeRates(5, estimates)).toEqual({ low: 5n, normal: 12n, high: 40n });
    expect(feeRates(1, null)).toEqual({ low: 1n, normal: 2n, high: 5n });
  });
});
