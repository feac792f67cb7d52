import { describe, expect, it } from 'vitest';
import { formatCoins, parseCoins, parseUnits } from '../../../src/wallet/amount.js';
import { WalletError } from '../../../src/wallet/errors.js';

describe('coin amounts', () => {
  it('parses coins exactly into base units', () => {
    expect(parseCoins('1')).toBe(100_000_000n);
    expect(parseCoins('1.5')).toBe(150_000_000n);
    expect(parseCoins('0.1')).toBe(10_000_000n);
    expect(parseCoins('0.00000001')).toBe(1n);
    expect(parseCoins(' 21000000 ')).toBe(2_100_000_000_000_000n);
    expect(parseCoins('0')).toBe(0n);
  });

  it('rejects anything unclear', () => {
    for (const bad of [
      '',
      '.5',
      '1.',
      '1_000',
      '1 000',
      '-1',
      '+1',
      '1e3',
      '1,5',
      '0.000000001',
      'abc',
      '1.5 coins',
      '21000000.00000001',
    ]) {
      expect(() => parseCoins(bad), bad).toThrow(WalletError);
    }
  });

  it('formats base units as coins without trailing zeros', () => {
    expect(formatCoins(150_000_000n)).toBe('1.5');
    expect(formatCoins(1n)).toBe('0.00000001');
    expect(formatCoins(0n)).toBe('0');
    expect(formatCoins(-250_000_000n)).toBe('-2.5');
    expect(formatCoins(5_000_000_000n)).toBe('50');
    for (const text of ['1.5', '0.00000001', '123.45678901', '20999999.99999999']) {
      expect(formatCoins(parseCoins(text))).toBe(text);
    }
  });

  it('reads the API amounts: decimal strings (signed) and safe integers', () => {
    expect(parseUnits('5000000000')).toBe(5_000_000_000n);
    expect(parseUnits('-12')).toBe(-12n);
    expect(parseUnits(7)).toBe(7n);
    expect(() => parseUnits('1.5')).toThrow(WalletError);
    expect(() => parseUnits(2 ** 60)).toThrow(WalletError);
    expect(() => parseUnits(null)).toThrow(WalletError);
  });
});
