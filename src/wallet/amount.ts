// Amounts as people write them ("1.5" coins) and as the chain counts them (bigint base units).
// Exact decimal arithmetic on strings: a float would turn 0.1 + 0.2 into someone's lost money.
import { COIN, MAX_MONEY } from '../core/params.js';
import { WalletError } from './errors.js';

export const COIN_DECIMALS = 8;

/**
 * Parses a coin amount with up to 8 decimals ("1", "1.5", "0.00000001") into base units.
 * No signs, exponents, thousands separators or more than 8 decimals: anything unclear is an error.
 */
export function parseCoins(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(text.trim());
  if (!m) {
    throw new WalletError(
      'bad-amount',
      `"${text}" is not an amount in coins (digits with up to ${COIN_DECIMALS} decimals, e.g. 1.5)`,
    );
  }
  const units = BigInt(m[1]!) * COIN + BigInt((m[2] ?? '').padEnd(COIN_DECIMALS, '0'));
  if (units > MAX_MONEY) throw new WalletError('bad-amount', `${text} coins exceed the money supply`);
  return units;
}

/** Base units as coins (from the core, which the API shares). */
export { formatCoins } from '../core/params.js';

/** An integer amount as the API writes it (a decimal string, possibly signed) or a JSON number. */
export function parseUnits(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new WalletError(
    'bad-amount',
    `expected an integer amount in base units, got ${JSON.stringify(value)}`,
  );
}
