import { describe, expect, it } from 'vitest';
import { parseCoins } from '../../../src/wallet/amount.js';
import { WalletError } from '../../../src/wallet/errors.js';
import {
  formatAmount,
  formatBits,
  formatDifficulty,
  formatDuration,
  formatHashRate,
  parseAmount,
  parseBits,
  shortHash,
  timeAgo,
  toUnits,
} from '../../../web/src/lib/format.js';

describe('formatAmount', () => {
  it('shows coins with all 8 decimals and the ticker', () => {
    expect(formatAmount('5000000000')).toBe('50.00000000 HL');
    expect(formatAmount(1n)).toBe('0.00000001 HL');
    expect(formatAmount('0')).toBe('0.00000000 HL');
    expect(formatAmount(123456789n, { unit: false })).toBe('1.23456789');
  });

  it('is exact beyond 2^53', () => {
    // 21 million coins plus one unit: a float would round the last digit away.
    expect(formatAmount('2100000000000001')).toBe('21000000.00000001 HL');
    expect(formatAmount('18446744073709551615')).toBe('184467440737.09551615 HL');
  });

  it('signs deltas', () => {
    expect(formatAmount('-150000000')).toBe('-1.50000000 HL');
    expect(formatAmount('150000000', { sign: true })).toBe('+1.50000000 HL');
    expect(formatAmount('0', { sign: true })).toBe('0.00000000 HL');
    expect(formatAmount('-1', { sign: true })).toBe('-0.00000001 HL');
  });

  it('rejects what is not an integer amount', () => {
    expect(() => toUnits('1.5')).toThrow();
    expect(() => toUnits('abc')).toThrow();
    expect(() => toUnits(0.1)).toThrow();
    expect(() => formatAmount('')).toThrow();
  });
});

describe('parseAmount', () => {
  it('is the wallet parser the CLI uses, so both take the same inputs', () => {
    expect(parseAmount).toBe(parseCoins);
  });

  it('parses what people type into base units', () => {
    expect(parseAmount('1')).toBe(100_000_000n);
    expect(parseAmount('1.5')).toBe(150_000_000n);
    expect(parseAmount(' 0.00000001 ')).toBe(1n);
    expect(parseAmount('21000000')).toBe(2_100_000_000_000_000n);
  });

  it('round-trips with formatAmount', () => {
    for (const units of [0n, 1n, 99_999_999n, 100_000_000n, 2_100_000_000_000_000n]) {
      expect(parseAmount(formatAmount(units, { unit: false }))).toBe(units);
    }
  });

  it('rejects what the CLI rejects: a bare point, separators, signs, too many decimals, junk', () => {
    for (const bad of ['', '.5', '12.', '1_000', '-1', '1.123456789', '1e3', '.', '1,5']) {
      expect(() => parseAmount(bad), bad).toThrow(WalletError);
    }
    expect(() => parseAmount('1.123456789')).toThrow(/8 decimals/);
  });
});

describe('other formats', () => {
  it('shortens hashes keeping the leading zeros', () => {
    const h = `0000${'ab'.repeat(30)}`;
    expect(shortHash(h)).toBe(`0000ababab…${h.slice(-6)}`);
    expect(shortHash('abc')).toBe('abc');
  });

  it('formats hash rates with SI prefixes', () => {
    expect(formatHashRate(0)).toBe('0 H/s');
    expect(formatHashRate(999)).toBe('999 H/s');
    expect(formatHashRate(0.5)).toBe('0.50 H/s');
    expect(formatHashRate(1234567)).toBe('1.23 MH/s');
    expect(formatHashRate(Number.NaN)).toBe('0 H/s');
  });

  it('reads bits from numbers and hex strings', () => {
    expect(formatBits(0x207fffff)).toBe('0x207fffff');
    expect(formatBits('1f00ffff')).toBe('0x1f00ffff');
    expect(parseBits('0x1f00ffff')).toBe(0x1f00ffff);
    expect(parseBits(0x1d00ffff)).toBe(0x1d00ffff);
  });

  it('formats difficulty with sensible precision', () => {
    expect(formatDifficulty(1)).toBe('1');
    expect(formatDifficulty('2.5')).toBe('2.5');
    expect(formatDifficulty(123456.7)).toBe('123,457');
    expect(formatDifficulty(0.000123456)).toBe('0.000123');
    expect(formatDifficulty(0.5)).toBe('0.5');
  });

  it('formats durations', () => {
    expect(formatDuration(0.5)).toBe('0.5 s');
    expect(formatDuration(3)).toBe('3 s');
    expect(formatDuration(59.6)).toBe('60 s');
    expect(formatDuration(600)).toBe('10.0 min');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('says how long ago', () => {
    expect(timeAgo(1000, 1002)).toBe('just now');
    expect(timeAgo(1000, 1030)).toBe('30 s ago');
    expect(timeAgo(1000, 1000 + 300)).toBe('5 min ago');
    expect(timeAgo(1000, 1000 + 7200)).toBe('2 h ago');
    expect(timeAgo(1000, 1000 + 3 * 86400)).toBe('3 d ago');
    expect(timeAgo(2000, 1000)).toBe('just now');
  });
});
