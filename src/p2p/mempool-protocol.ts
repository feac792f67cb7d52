// The mempool-exchange protocol on libp2p streams: one request and its answer per stream
// (see mempool-codec.ts for the frames).
import type { Connection, Stream } from '@libp2p/interface';
import { ProtocolError } from './codec.js';
import { asError } from './context.js';
import { FrameStream, withTimeout } from './framing.js';
import {
  decodeMempoolRequest,
  decodeMempoolResponse,
  encodeInvFrame,
  encodeMempoolEnd,
  encodeMempoolError,
  encodeMempoolRequest,
  encodeTxFrame,
  type MempoolRequest,
} from './mempool-codec.js';
import { LIMITS, MAX_MEMPOOL_FRAME, MAX_TXS_RESPONSE_BYTES, TIMEOUTS } from './protocol.js';
import type { ChainAccess } from './types.js';

/** Transactions are sent in groups of about this many bytes (one muxer frame each). */
const COALESCE_BYTES = 64 * 1024;
const REQUEST_FRAME = 3 + Math.max(LIMITS.maxTxsPerRequest, LIMITS.maxAnnounceTxids) * 32;

async function answer(frames: FrameStream, chain: ChainAccess, req: MempoolRequest, signal: AbortSignal) {
  if (req.type === 'getInv') {
    await frames.write(encodeInvFrame(chain.pendingTxids().slice(0, LIMITS.maxInvTxids)), signal);
    return;
  }
  if (req.type === 'announce') {
    await frames.write(encodeMempoolEnd(), signal);
    return;
  }
  let bytes = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  for (const txid of req.txids) {
    const tx = chain.getPendingTx(txid);
    if (tx === undefined) continue; // mined or evicted meanwhile
    if (bytes > 0 && bytes + tx.length > LIMITS.maxTxsResponseBytes) break;
    bytes += tx.length;
    batch.push(encodeTxFrame(tx));
    batchBytes += tx.length;
    if (batchBytes >= COALESCE_BYTES) {
      await frames.writeMany(batch, signal);
      batch = [];
      batchBytes = 0;
    }
  }
  batch.push(encodeMempoolEnd());
  await frames.writeMany(batch, signal);
}

/**
 * Serves one mempool request. `admit` decides whether the peer may make it now (rate limit):
 * a refused request is answered with ERROR. Resolves with the request; throws ProtocolError
 * on a malformed one (after answering ERROR) so the caller can hold it against the peer.
 */
export async function serveMempool(
  stream: Stream,
  chain: ChainAccess,
  admit: () => boolean,
  stopSignal?: AbortSignal,
): Promise<MempoolRequest | undefined> {
  const frames = new FrameStream(stream, REQUEST_FRAME);
  const signal = withTimeout(TIMEOUTS.mempoolMs, stopSignal);
  try {
    let req: MempoolRequest;
    try {
      const frame = await frames.read(signal);
      if (frame === null) throw new ProtocolError('unexpected', 'stream closed before the request');
      req = decodeMempoolRequest(frame);
    } catch (err) {
      if (err instanceof ProtocolError && err.code !== 'timeout') {
        await frames.write(encodeMempoolError(err.message), withTimeout(1000)).catch(() => undefined);
      }
      throw err;
    }
    if (!admit()) {
      await frames.write(encodeMempoolError('rate limited'), signal);
      await frames.closeWrite(signal);
      return undefined;
    }
    await answer(frames, chain, req, signal);
    await frames.closeWrite(signal);
    return req;
  } catch (err) {
    frames.abort(asError(err));
    throw err;
  }
}

/** Opens a stream, sends `req` and collects the answer frames up to END (or the INV). */
async function exchange(
  connection: Connection,
  protocol: string,
  req: MempoolRequest,
  stopSignal?: AbortSignal,
): Promise<{ txids?: string[]; txs: Uint8Array[] }> {
  const signal = withTimeout(TIMEOUTS.mempoolMs, stopSignal);
  const stream = await connection.newStream(protocol, { signal });
  const frames = new FrameStream(stream, MAX_MEMPOOL_FRAME, MAX_TXS_RESPONSE_BYTES);
  const asked = req.type === 'getTxs' ? req.txids.length : 0;
  const txs: Uint8Array[] = [];
  try {
    await frames.write(encodeMempoolRequest(req), signal);
    await frames.closeWrite(signal);
    for (;;) {
      const frame = await frames.read(signal);
      if (frame === null) throw new ProtocolError('unexpected', 'answer ended early');
      const res = decodeMempoolResponse(frame);
      if (res.type === 'error') throw new ProtocolError('remote-error', `peer: ${res.message}`);
      if (res.type === 'inv') {
        if (req.type !== 'getInv') throw new ProtocolError('unexpected', 'INV not asked for');
        return { txids: res.txids, txs };
      }
      if (res.type === 'end') return { txs };
      if (req.type !== 'getTxs' || txs.length >= asked)
        throw new ProtocolError('unexpected', 'more transactions than asked for');
      txs.push(res.tx);
    }
  } catch (err) {
    frames.abort(asError(err));
    if (signal.aborted && !stopSignal?.aborted)
      throw new ProtocolError('timeout', 'mempool request timed out');
    throw err;
  }
}

export async function requestInv(connection: Connection, protocol: string, signal?: AbortSignal) {
  return (await exchange(connection, protocol, { type: 'getInv' }, signal)).txids ?? [];
}

export async function requestTxs(
  connection: Connection,
  protocol: string,
  txids: string[],
  signal?: AbortSignal,
) {
  return (await exchange(connection, protocol, { type: 'getTxs', txids }, signal)).txs;
}

export async function sendAnnounce(
  connection: Connection,
  protocol: string,
  txids: string[],
  signal?: AbortSignal,
): Promise<void> {
  await exchange(connection, protocol, { type: 'announce', txids }, signal);
}
