import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeStatus,
  decodeSyncRequest,
  decodeSyncResponse,
  encodeBlockFrame,
  encodeEndFrame,
  encodeErrorFrame,
  encodeHeadersFrame,
  encodeStatus,
  encodeSyncRequest,
  ProtocolError,
  type SyncRequest,
} from '../../../src/p2p/codec.js';
import { blockHashOf, prevHashOf } from '../../../src/p2p/header.js';
import { LIMITS } from '../../../src/p2p/protocol.js';
import { makeBlock, makeGenesis } from './fake-chain.js';

const utf8 = new TextEncoder();
const hashA = 'ab'.repeat(32);
const hashB = '01'.repeat(32);

function expectProtocolError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(code);
    return;
  }
  throw new Error('expected a ProtocolError');
}

describe('header helpers', () => {
  it('hashes the 80-byte header with double SHA-256 and reads the parent link', () => {
    const genesis = makeGenesis();
    const child = makeBlock(blockHashOf(genesis), 'child', 1);
    expect(prevHashOf(child)).toBe(blockHashOf(genesis));
    // Only the header counts: the same header with another body has the same hash.
    const otherBody = new Uint8Array(child.length + 5);
    otherBody.set(child);
    expect(blockHashOf(otherBody)).toBe(blockHashOf(child));
    expect(blockHashOf(child)).toMatch(/^[0-9a-f]{64}$/);
    expect(() => blockHashOf(new Uint8Array(79))).toThrow(RangeError);
  });
});

describe('status codec', () => {
  const status = {
    network: 'regtest',
    genesisHash: hashA,
    height: 12,
    tipHash: hashB,
    chainWork: 2n ** 80n + 5n,
  };

  it('round-trips, with chainWork as a bigint', () => {
    expect(decodeStatus(encodeStatus(status))).toEqual(status);
  });

  it('carries the API URL a node tells, and drops an odd one without refusing the status', () => {
    const withApi = { ...status, api: 'http://10.1.2.3:5000' };
    expect(decodeStatus(encodeStatus(withApi))).toEqual(withApi);
    for (const api of ['javascript:alert(1)', 'http://a b', 'x'.repeat(300), 42]) {
      const frame = utf8.encode(JSON.stringify({ ...status, chainWork: status.chainWork.toString(), api }));
      expect(decodeStatus(frame)).toEqual(status);
    }
  });

  it('rejects malformed status frames', () => {
    const bad = (value: unknown) => utf8.encode(JSON.stringify(value));
    expectProtocolError(() => decodeStatus(utf8.encode('{not json')), 'malformed');
    expectProtocolError(() => decodeStatus(Uint8Array.of(0xff, 0xfe)), 'malformed');
    expectProtocolError(() => decodeStatus(bad(null)), 'malformed');
    expectProtocolError(() => decodeStatus(bad({ ...status, chainWork: 12 })), 'malformed');
    const wire = { ...status, chainWork: '7' };
    expectProtocolError(() => decodeStatus(bad({ ...wire, height: -1 })), 'malformed');
    expectProtocolError(() => decodeStatus(bad({ ...wire, height: 1.5 })), 'malformed');
    expectProtocolError(() => decodeStatus(bad({ ...wire, tipHash: 'AB'.repeat(32) })), 'malformed');
    expectProtocolError(() => decodeStatus(bad({ ...wire, chainWork: '-1' })), 'malformed');
    expectProtocolError(() => decodeStatus(bad({ ...wire, chainWork: '007' })), 'malformed');
    expectProtocolError(() => decodeStatus(bad({ ...wire, network: '' })), 'malformed');
    expectProtocolError(() => decodeStatus(new Uint8Array(LIMITS.maxStatusFrame + 1)), 'too-large');
    expect(decodeStatus(bad(wire)).chainWork).toBe(7n);
  });
});

describe('sync codec', () => {
  it('round-trips requests', () => {
    const headers: SyncRequest = { type: 'getHeaders', locator: [hashA, hashB] };
    const blocks: SyncRequest = { type: 'getBlocks', hashes: [hashB] };
    expect(decodeSyncRequest(encodeSyncRequest(headers))).toEqual(headers);
    expect(decodeSyncRequest(encodeSyncRequest(blocks))).toEqual(blocks);
    expect(decodeSyncRequest(encodeSyncRequest({ type: 'getHeaders', locator: [] }))).toEqual({
      type: 'getHeaders',
      locator: [],
    });
  });

  it('enforces request limits on both sides', () => {
    const many = Array.from({ length: LIMITS.maxBlocksPerRequest + 1 }, () => hashA);
    expect(() => encodeSyncRequest({ type: 'getBlocks', hashes: many })).toThrow(RangeError);
    const frame = new Uint8Array(3 + many.length * 32);
    frame[0] = 0x02;
    new DataView(frame.buffer).setUint16(1, many.length);
    expectProtocolError(() => decodeSyncRequest(frame), 'too-large');
  });

  it('round-trips response frames', () => {
    const header = makeGenesis().slice(0, 80);
    const block = makeBlock(hashA, 'payload');
    expect(decodeSyncResponse(encodeHeadersFrame([header, header]))).toEqual({
      type: 'headers',
      headers: [header, header],
    });
    expect(decodeSyncResponse(encodeBlockFrame(block))).toEqual({ type: 'block', block });
    expect(decodeSyncResponse(encodeEndFrame())).toEqual({ type: 'end' });
    expect(decodeSyncResponse(encodeErrorFrame('nope'))).toEqual({ type: 'error', message: 'nope' });
  });

  it('rejects malformed response frames', () => {
    expectProtocolError(() => decodeSyncResponse(new Uint8Array(0)), 'malformed');
    expectProtocolError(() => decodeSyncResponse(Uint8Array.of(0x81, 1, 2)), 'malformed');
    expectProtocolError(() => decodeSyncResponse(Uint8Array.of(0x82, 1, 2)), 'malformed');
    expectProtocolError(() => decodeSyncResponse(Uint8Array.of(0x83, 0)), 'malformed');
    expectProtocolError(() => decodeSyncResponse(Uint8Array.of(0x42)), 'malformed');
  });

  it('never throws anything but ProtocolError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        for (const decode of [decodeSyncRequest, decodeSyncResponse, decodeStatus]) {
          try {
            decode(bytes);
          } catch (err) {
            if (!(err instanceof ProtocolError)) throw err;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
