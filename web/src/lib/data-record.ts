// The tutorials' data records: a transaction's text that is a JSON object of exactly an author, a
// timestamp and a payload ("data", or "content" as the simple-blockchain tutorial names it). Anything
// else is not a record and stays shown as text.
import { formatTime } from './format.js';

export interface DataRecord {
  readonly author: string;
  /** As written: Unix seconds or milliseconds, or a date string. */
  readonly timestamp: number | string;
  readonly data: string;
}

const PAYLOAD_KEYS = ['data', 'content'] as const;

/** The record in `text`, or null when it is not exactly one (extra keys, wrong types, not JSON). */
export function parseDataRecord(text: string | null | undefined): DataRecord | null {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields);
  const payloadKey = PAYLOAD_KEYS.find((k) => k in fields);
  // Exactly three keys: a record with more would hide them.
  if (keys.length !== 3 || payloadKey === undefined || !('author' in fields) || !('timestamp' in fields))
    return null;
  const { author, timestamp } = fields;
  const data = fields[payloadKey];
  if (typeof author !== 'string' || typeof data !== 'string') return null;
  const timeOk =
    (typeof timestamp === 'number' && Number.isFinite(timestamp) && timestamp >= 0) ||
    (typeof timestamp === 'string' && timestamp.trim() !== '');
  if (!timeOk) return null;
  return { author, timestamp: timestamp as number | string, data };
}

/** Milliseconds from 10^11 up: seconds would be the year 5138 and later. */
const MS_FROM = 1e11;

/** "2023-11-14 22:13:20 (1700000000)" for a number; a string as written. */
export function formatRecordTime(timestamp: number | string): string {
  if (typeof timestamp === 'string') return timestamp;
  const seconds = timestamp >= MS_FROM ? timestamp / 1000 : timestamp;
  return `${formatTime(seconds)} (${timestamp})`;
}

/** "alice: Bob owes Alice 3 coffees", cut to `max` characters with an ellipsis. */
export function recordLine(record: DataRecord, max = 60): string {
  const line = `${record.author}: ${record.data}`.replace(/\s+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
