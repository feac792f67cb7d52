// Byte helpers and the canonical binary reader/writer used by every consensus format.
import { hexToBytes as nobleHexToBytes } from '@noble/hashes/utils.js';
import { RuleError } from './errors.js';

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const ASCII = new TextDecoder();

/**
 * Lowercase hex. Written into bytes and decoded at once, so the string is flat: built by concatenation
 * (as @noble's bytesToHex does), a 64-character hash stays a rope of small strings of about 900 bytes
 * once kept (a Map key hashes a rope without flattening it), where the flat string takes 80.
 */
export function toHex(b: Uint8Array): string {
  const out = new Uint8Array(b.length * 2);
  for (let i = 0; i < b.length; i++) {
    const v = b[i]!;
    out[2 * i] = HEX_DIGITS[v >> 4]!;
    out[2 * i + 1] = HEX_DIGITS[v & 15]!;
  }
  return ASCII.decode(out);
}

/** Parses lowercase or uppercase hex of even length; throws on anything else. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError('expected an even-length hex string');
  }
  return nobleHexToBytes(hex);
}

export function isHex(value: unknown, bytes?: number): value is string {
  return (
    typeof value === 'string' &&
    /^[0-9a-fA-F]*$/.test(value) &&
    value.length % 2 === 0 &&
    (bytes === undefined || value.length === bytes * 2)
  );
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Big-endian unsigned integer value of the bytes. */
export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${toHex(b)}`);
}

/** Big-endian fixed-width encoding of a non-negative integer. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(length * 8)) throw new RangeError('value does not fit');
  return nobleHexToBytes(value.toString(16).padStart(length * 2, '0'));
}

export const MAX_U64 = (1n << 64n) - 1n;

/** Bytes ByteWriter.varint writes for `n`: 1 below 0xfd, then 3, 5 or 9. */
export const varintSize = (n: number): number => (n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9);

/** Appends little-endian integers, varints and byte strings to a growing buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  u64(v: bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** Bitcoin's CompactSize: 1, 3, 5 or 9 bytes. */
  varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError('varint out of range');
    if (v < 0xfd) return this.u8(v);
    if (v <= 0xffff) {
      this.reserve(3);
      this.buf[this.pos++] = 0xfd;
      this.view.setUint16(this.pos, v, true);
      this.pos += 2;
      return this;
    }
    if (v <= 0xffffffff) return this.u8(0xfe).u32(v);
    return this.u8(0xff).u64(BigInt(v));
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  varBytes(b: Uint8Array): this {
    return this.varint(b.length).bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** What was written, as a view of the writer's buffer (valid until the writer writes again). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Starts over at the beginning of the same buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }
}

let scratch: ByteWriter | undefined;

/**
 * One shared writer for encodings that are hashed at once and dropped (txids, sighashes): no buffer
 * is allocated per call. Its written() is valid until the next scratchWriter() call.
 */
export function scratchWriter(): ByteWriter {
  scratch ??= new ByteWriter(64 * 1024);
  return scratch.reset();
}

/** Reads the formats ByteWriter writes; any truncation or non-canonical varint is a `bad-encoding` rule error. */
export class ByteReader {
  private readonly view: DataView;
  pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RuleError('bad-encoding', 'unexpected end of data');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  varint(): number {
    const first = this.u8();
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      this.need(2);
      const v = this.view.getUint16(this.pos, true);
      this.pos += 2;
      if (v < 0xfd) throw new RuleError('bad-encoding', 'non-canonical varint');
      return v;
    }
    if (first === 0xfe) {
      const v = this.u32();
      if (v <= 0xffff) throw new RuleError('bad-encoding', 'non-canonical varint');
      return v;
    }
    const v = this.u64();
    if (v <= 0xffffffffn || v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RuleError('bad-encoding', 'non-canonical varint');
    }
    return Number(v);
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length-prefixed byte string; `max` guards against lengths that would allocate absurdly. */
  varBytes(max: number): Uint8Array {
    const n = this.varint();
    if (n > max) throw new RuleError('bad-encoding', `byte string of ${n} bytes exceeds ${max}`);
    return this.bytes(n);
  }

  /** Count prefix for a list whose items take at least `minItemSize` bytes each. */
  count(minItemSize: number): number {
    const n = this.varint();
    if (n * minItemSize > this.remaining) throw new RuleError('bad-encoding', 'list longer than the data');
    return n;
  }

  end(): void {
    if (this.remaining !== 0) throw new RuleError('bad-encoding', `${this.remaining} trailing bytes`);
  }
}
