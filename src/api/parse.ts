// Parsing request values into domain values, each failure a 400 naming what is wrong.
import { isHex } from '../core/bytes.js';
import { MAX_MONEY } from '../core/params.js';
import { ApiError, badRequest, preview } from './errors.js';

/** An amount in base units: a JSON integer or a string of digits, above zero, at most the money supply. */
export function parseAmount(value: unknown, what = 'amount'): bigint {
  let units: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) units = BigInt(value);
  // Digits only: no sign, space, fraction or exponent (the JSON parser turns 1.0 and 1e3 into strings).
  else if (typeof value === 'string' && /^\d{1,20}$/.test(value)) units = BigInt(value);
  else {
    throw new ApiError(
      400,
      'bad-amount',
      `${what} must be a whole number of base units (1 coin = 100000000 units), got ${preview(value)}`,
    );
  }
  if (units <= 0n) throw new ApiError(400, 'bad-amount', `${what} must be above zero`);
  if (units > MAX_MONEY) throw new ApiError(400, 'bad-amount', `${what} exceeds the money supply`);
  return units;
}

export function parseHash(value: unknown, what = 'hash'): string {
  if (!isHex(value, 32)) throw badRequest(`${what} must be 64 hex characters`);
  return value.toLowerCase();
}

export function parseLimit(value: unknown, def: number, max: number, name = 'limit'): number {
  if (value === undefined || value === '') return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw badRequest(`${name} must be an integer from 1 to ${max}`);
  return n;
}

export function parseOffset(value: unknown, name = 'offset'): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${name} must be a non-negative integer`);
  return n;
}

export function parseHttpUrl(value: unknown): string {
  if (typeof value !== 'string')
    throw badRequest('a node address must be a string such as "http://127.0.0.1:5001"');
  let url: URL;
  const text = value.trim();
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw badRequest(`"${value}" is not a valid URL (expected e.g. "http://127.0.0.1:5001")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badRequest(`"${value}" must be an http(s) URL`);
  if (!url.hostname) throw badRequest(`"${value}" has no host`);
  return `${url.protocol}//${url.host}`;
}
