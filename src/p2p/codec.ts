// Wire encodings of the status and sync protocols. Pure functions; decoders throw
// ProtocolError on anything malformed, never something else.
//
// Status frame: UTF-8 JSON {"network","genesisHash","height","tipHash","chainWork"}
// (chainWork as a decimal string), at most LIMITS.maxStatusFrame bytes.
//
// Sync frames (the first byte is the type):
//   0x01 GET_HEADERS  u16 count, count × 32-byte locator hashes (tip first)
//   0x02 GET_BLOCKS   u16 count, count × 32-byte block hashes (in chain order)
//   0x81 HEADERS      n × 80-byte headers (n ≤ 2000, in chain order)
//   0x82 BLOCK        one serialized block
//   0x83 END          no payload: the BLOCK frames before it are the whole answer
//   0xEE ERROR        UTF-8 reason
// u16 is big-endian. Hashes are in natural byte order (as shown in hex).
import { bytesToHash, hashToBytes, isHashHex } from './header.js';
import { HASH_BYTES, HEADER_BYTES, LIMITS } from './protocol.js';
import type { PeerStatus } from './types.js';

export type ProtocolErrorCode = 'malformed' | 'too-large' | 'unexpected' | 'remote-error' | 'timeout';

export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export const FrameType = {
  getHeaders: 0x01,
  getBlocks: 0x02,
  headers: 0x81,
  block: 0x82,
  end: 0x83,
  error: 0xee,
} as const;

export type SyncRequest = { type: 'getHeaders'; locator: string[] } | { type: 'getBlocks'; hashes: string[] };

export type SyncResponseFrame =
  | { type: 'headers'; headers: Uint8Array[] }
  | { type: 'block'; block: Uint8Array }
  | { type: 'end' }
  | { type: 'error'; message: string };

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

// ---- status ----

export function encodeStatus(status: PeerStatus): Uint8Array {
  const json = JSON.stringify({
    network: status.network,
    genesisHash: status.genesisHash,
    height: status.height,
    tipHash: status.tipHash,
    chainWork: status.chainWork.toString(10),
    ...(status.api ? { api: status.api } : {}),
  });
  return utf8.encode(json);
}

export function decodeStatus(frame: Uint8Array): PeerStatus {
  if (frame.length > LIMITS.maxStatusFrame) throw new ProtocolError('too-large', 'status frame too large');
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8.decode(frame));
  } catch {
    throw new ProtocolError('malformed', 'status is not JSON');
  }
  if (typeof value !== 'object' || value === null)
    throw new ProtocolError('malformed', 'status is not an object');
  const v = value as Record<string, unknown>;
  const { network, genesisHash, height, tipHash, chainWork } = v;
  if (typeof network !== 'string' || network.length === 0 || network.length > 32) {
    throw new ProtocolError('malformed', 'status.network');
  }
  if (!isHashHex(genesisHash)) throw new ProtocolError('malformed', 'status.genesisHash');
  if (!isHashHex(tipHash)) throw new ProtocolError('malformed', 'status.tipHash');
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) {
    throw new ProtocolError('malformed', 'status.height');
  }
  if (typeof chainWork !== 'string' || !/^(0|[1-9][0-9]{0,99})$/.test(chainWork)) {
    throw new ProtocolError('malformed', 'status.chainWork');
  }
  // Optional, and only shown to people: a missing or odd value is dropped, not held against the peer.
  const api =
    typeof v.api === 'string' && v.api.length <= 200 && /^https?:\/\/[^\s]+$/.test(v.api) ? v.api : undefined;
  return { network, genesisHash, height, tipHash, chainWork: BigInt(chainWork), ...(api ? { api } : {}) };
}

// ---- sync requests ----

/** A type byte, a u16 count and that many 32-byte hashes (sync and mempool frames alike). */
export function encodeHashList(type: number, hashes: string[]): Uint8Array {
  const out = new Uint8Array(3 + hashes.length * HASH_BYTES);
  out[0] = type;
  new DataView(out.buffer).setUint16(1, hashes.length);
  hashes.forEach((h, i) => {
    out.set(hashToBytes(h), 3 + i * HASH_BYTES);
  });
  return out;
}

export function decodeHashList(frame: Uint8Array, max: number): string[] {
  if (frame.length < 3) throw new ProtocolError('malformed', 'truncated hash list');
  const count = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint16(1);
  if (count > max) throw new ProtocolError('too-large', `hash list of ${count} exceeds ${max}`);
  if (frame.length !== 3 + count * HASH_BYTES)
    throw new ProtocolError('malformed', 'hash list length mismatch');
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    hashes.push(bytesToHash(frame.subarray(3 + i * HASH_BYTES, 3 + (i + 1) * HASH_BYTES)));
  }
  return hashes;
}

export function encodeSyncRequest(request: SyncRequest): Uint8Array {
  if (request.type === 'getHeaders') {
    if (request.locator.length > LIMITS.maxLocator) throw new RangeError('locator too long');
    return encodeHashList(FrameType.getHeaders, request.locator);
  }
  if (request.hashes.length > LIMITS.maxBlocksPerRequest) throw new RangeError('too many block hashes');
  return encodeHashList(FrameType.getBlocks, request.hashes);
}

export function decodeSyncRequest(frame: Uint8Array): SyncRequest {
  if (frame.length === 0) throw new ProtocolError('malformed', 'empty request');
  switch (frame[0]) {
    case FrameType.getHeaders:
      return { type: 'getHeaders', locator: decodeHashList(frame, LIMITS.maxLocator) };
    case FrameType.getBlocks:
      return { type: 'getBlocks', hashes: decodeHashList(frame, LIMITS.maxBlocksPerRequest) };
    default:
      throw new ProtocolError('malformed', `unknown request type 0x${frame[0].toString(16)}`);
  }
}

// ---- sync responses ----

export function encodeHeadersFrame(headers: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + headers.length * HEADER_BYTES);
  out[0] = FrameType.headers;
  headers.forEach((h, i) => {
    if (h.length !== HEADER_BYTES) throw new RangeError('a header is 80 bytes');
    out.set(h, 1 + i * HEADER_BYTES);
  });
  return out;
}

/** A frame of one type byte followed by `body`. */
export function taggedFrame(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = type;
  out.set(body, 1);
  return out;
}

/** An error frame of `type`: the message in UTF-8, cut to the protocol's limit. */
export const errorTextFrame = (type: number, message: string): Uint8Array =>
  taggedFrame(type, utf8.encode(message).subarray(0, LIMITS.maxErrorText));

export function encodeBlockFrame(block: Uint8Array): Uint8Array {
  return taggedFrame(FrameType.block, block);
}

export function encodeEndFrame(): Uint8Array {
  return Uint8Array.of(FrameType.end);
}

export function encodeErrorFrame(message: string): Uint8Array {
  return errorTextFrame(FrameType.error, message);
}

export function decodeSyncResponse(frame: Uint8Array): SyncResponseFrame {
  if (frame.length === 0) throw new ProtocolError('malformed', 'empty response frame');
  const body = frame.subarray(1);
  switch (frame[0]) {
    case FrameType.headers: {
      if (body.length % HEADER_BYTES !== 0)
        throw new ProtocolError('malformed', 'headers not a multiple of 80');
      const count = body.length / HEADER_BYTES;
      if (count > LIMITS.maxHeaders) throw new ProtocolError('too-large', 'too many headers');
      const headers: Uint8Array[] = [];
      for (let i = 0; i < count; i++) headers.push(body.slice(i * HEADER_BYTES, (i + 1) * HEADER_BYTES));
      return { type: 'headers', headers };
    }
    case FrameType.block:
      if (body.length < HEADER_BYTES) throw new ProtocolError('malformed', 'block shorter than a header');
      if (body.length > LIMITS.maxBlockBytes) throw new ProtocolError('too-large', 'block too large');
      return { type: 'block', block: body.slice() };
    case FrameType.end:
      if (body.length !== 0) throw new ProtocolError('malformed', 'end frame has a payload');
      return { type: 'end' };
    case FrameType.error: {
      let message: string;
      try {
        message = fromUtf8.decode(body.subarray(0, LIMITS.maxErrorText));
      } catch {
        message = '(undecodable error text)';
      }
      return { type: 'error', message };
    }
    default:
      throw new ProtocolError('malformed', `unknown response type 0x${frame[0].toString(16)}`);
  }
}
