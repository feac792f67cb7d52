// Display helpers. Amounts stay bigint from the JSON string to the screen: never a float.
import { COIN } from '../../../src/core/params.js';

export const COIN_DECIMALS = 8;
export const TICKER = 'HL';

/** Accepts the API's decimal strings (optionally signed) and bigints; throws on anything else. */
export function toUnits(value: string | bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact integer amount: ${value}`);
    return BigInt(value);
  }
  if (!/^[+-]?\d+$/.test(value)) throw new TypeError(`not a decimal amount: "${value}"`);
  return BigInt(value);
}

/**
 * 5000000000 → "50.00000000 HL". `sign: true` prefixes "+" to positive values (history deltas).
 * Digits are grouped neither way so the figure copies back exactly.
 */
export function formatAmount(
  value: string | bigint | number,
  opts: { unit?: boolean; sign?: boolean } = {},
): string {
  const units = toUnits(value);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / COIN;
  const frac = (abs % COIN).toString().padStart(COIN_DECIMALS, '0');
  const prefix = negative ? '-' : opts.sign && units > 0n ? '+' : '';
  const text = `${prefix}${whole}.${frac}`;
  return opts.unit === false ? text : `${text} ${TICKER}`;
}

/**
 * What a person types as a coin amount, in base units: the wallet's parser, so the web app and the CLI
 * take exactly the same inputs (digits with up to 8 decimals; no ".5", "1.", "1_000", signs or exponents).
 */
export { parseCoins as parseAmount } from '../../../src/wallet/amount.js';

/** "0000a1b2c3…9f8e" keeps the leading zeros visible, which is what proof of work is about. */
export function shortHash(hash: string, head = 10, tail = 6): string {
  if (hash.length <= head + tail + 1) return hash;
  return `${hash.slice(0, head)}…${hash.slice(-tail)}`;
}

export function formatTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; future times (clock skew) read as "just now". */
export function timeAgo(unixSeconds: number, nowSeconds: number): string {
  const s = Math.round(nowSeconds - unixSeconds);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** 1234567 → "1.23 MH/s". */
export function formatHashRate(hashesPerSecond: number): string {
  if (!Number.isFinite(hashesPerSecond) || hashesPerSecond <= 0) return '0 H/s';
  let v = hashesPerSecond;
  let i = 0;
  while (v >= 1000 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || (i === 0 && v >= 10) ? v.toFixed(0) : v.toFixed(2)} ${SI[i]}H/s`;
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(2)} MB`;
}

/** Difficulty as the API sends it (number or numeric string), with sensible precision. */
export function formatDifficulty(d: number | string): string {
  const n = typeof d === 'string' ? Number(d) : d;
  if (!Number.isFinite(n)) return String(d);
  if (n === 0) return '0';
  if (n >= 1000) return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (n >= 1) return n.toFixed(3).replace(/\.?0+$/, '');
  return String(Number(n.toPrecision(3)));
}

/** Compact bits as "0x1f00ffff" whether the API sends a number or a hex string. */
export function formatBits(bits: number | string): string {
  if (typeof bits === 'number') return `0x${bits.toString(16).padStart(8, '0')}`;
  return bits.startsWith('0x') ? bits : `0x${bits}`;
}

export function parseBits(bits: number | string): number | null {
  if (typeof bits === 'number') return bits;
  const n = Number.parseInt(bits.replace(/^0x/, ''), 16);
  return Number.isFinite(n) ? n : null;
}

/** Fee rate in units per byte, trimmed: 1 → "1", 1.25 → "1.25". */
export const formatFeeRate = (rate: number): string =>
  `${Number.isInteger(rate) ? rate : rate.toFixed(2)} ${unitsWord(rate)}/byte`;

export const unitsWord = (n: number | bigint): string => (n === 1 || n === 1n ? 'unit' : 'units');
