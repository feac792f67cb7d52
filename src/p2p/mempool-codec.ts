// Wire encoding of the mempool-exchange protocol. Pure functions; decoders throw ProtocolError.
//
// One request per stream; the client half-closes after it, the server answers and closes.
//   0x11 GET_INV   (no payload)                 → INV
//   0x12 GET_TXS   u16 n, n × 32-byte txids      → TX frames in the order asked (missing ones
//                                                   skipped, at most maxTxsResponseBytes), then END
//   0x13 ANNOUNCE  u16 n, n × 32-byte txids      → END (the server then fetches what it lacks)
//   0x91 INV       u16 n, n × 32-byte txids (n ≤ maxInvTxids)
//   0x92 TX        one serialized transaction (≤ maxTxBytes)
//   0x93 END       no payload
//   0xEE ERROR     UTF-8 reason
import { decodeHashList, encodeHashList, errorTextFrame, ProtocolError, taggedFrame } from './codec.js';
import { LIMITS } from './protocol.js';

export const MempoolFrame = {
  getInv: 0x11,
  getTxs: 0x12,
  announce: 0x13,
  inv: 0x91,
  tx: 0x92,
  end: 0x93,
  error: 0xee,
} as const;

export type MempoolRequest =
  | { type: 'getInv' }
  | { type: 'getTxs'; txids: string[] }
  | { type: 'announce'; txids: string[] };

export type MempoolResponse =
  | { type: 'inv'; txids: string[] }
  | { type: 'tx'; tx: Uint8Array }
  | { type: 'end' }
  | { type: 'error'; message: string };

const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function encodeList(type: number, txids: string[], max: number): Uint8Array {
  if (txids.length > max) throw new RangeError(`more than ${max} txids`);
  return encodeHashList(type, txids);
}

export function encodeMempoolRequest(req: MempoolRequest): Uint8Array {
  switch (req.type) {
    case 'getInv':
      return Uint8Array.of(MempoolFrame.getInv);
    case 'getTxs':
      return encodeList(MempoolFrame.getTxs, req.txids, LIMITS.maxTxsPerRequest);
    case 'announce':
      return encodeList(MempoolFrame.announce, req.txids, LIMITS.maxAnnounceTxids);
  }
}

export function decodeMempoolRequest(frame: Uint8Array): MempoolRequest {
  if (frame.length === 0) throw new ProtocolError('malformed', 'empty request');
  switch (frame[0]) {
    case MempoolFrame.getInv:
      if (frame.length !== 1) throw new ProtocolError('malformed', 'GET_INV has a payload');
      return { type: 'getInv' };
    case MempoolFrame.getTxs:
      return { type: 'getTxs', txids: decodeHashList(frame, LIMITS.maxTxsPerRequest) };
    case MempoolFrame.announce:
      return { type: 'announce', txids: decodeHashList(frame, LIMITS.maxAnnounceTxids) };
    default:
      throw new ProtocolError('malformed', `unknown mempool request 0x${frame[0]!.toString(16)}`);
  }
}

export function encodeInvFrame(txids: string[]): Uint8Array {
  return encodeList(MempoolFrame.inv, txids, LIMITS.maxInvTxids);
}

export function encodeTxFrame(tx: Uint8Array): Uint8Array {
  return taggedFrame(MempoolFrame.tx, tx);
}

export function encodeMempoolEnd(): Uint8Array {
  return Uint8Array.of(MempoolFrame.end);
}

export function encodeMempoolError(message: string): Uint8Array {
  return errorTextFrame(MempoolFrame.error, message);
}

export function decodeMempoolResponse(frame: Uint8Array): MempoolResponse {
  if (frame.length === 0) throw new ProtocolError('malformed', 'empty response frame');
  const body = frame.subarray(1);
  switch (frame[0]) {
    case MempoolFrame.inv:
      return { type: 'inv', txids: decodeHashList(frame, LIMITS.maxInvTxids) };
    case MempoolFrame.tx:
      if (body.length === 0) throw new ProtocolError('malformed', 'empty transaction');
      if (body.length > LIMITS.maxTxBytes) throw new ProtocolError('too-large', 'transaction too large');
      return { type: 'tx', tx: body.slice() };
    case MempoolFrame.end:
      if (body.length !== 0) throw new ProtocolError('malformed', 'END has a payload');
      return { type: 'end' };
    case MempoolFrame.error: {
      let message: string;
      try {
        message = fromUtf8.decode(body.subarray(0, LIMITS.maxErrorText));
      } catch {
        message = '(undecodable error text)';
      }
      return { type: 'error', message };
    }
    default:
      throw new ProtocolError('malformed', `unknown mempool response 0x${frame[0]!.toString(16)}`);
  }
}
