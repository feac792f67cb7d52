// The sync protocol: one request per stream. The client writes a request frame and
// half-closes; the server answers with HEADERS, or with BLOCK frames then END, or with
// ERROR, and closes. See codec.ts for the frame layouts.
import type { PeerId, Stream } from '@libp2p/interface';
import {
  decodeSyncRequest,
  decodeSyncResponse,
  encodeBlockFrame,
  encodeEndFrame,
  encodeErrorFrame,
  encodeHeadersFrame,
  encodeSyncRequest,
  ProtocolError,
  type SyncRequest,
  type SyncResponseFrame,
} from './codec.js';
import { FrameStream, withTimeout } from './framing.js';
import type { Host } from './host.js';
import { LIMITS, MAX_RESPONSE_FRAME, TIMEOUTS } from './protocol.js';
import type { SyncSource } from './sync.js';
import type { ChainAccess } from './types.js';

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

// ---- server ----

/**
 * Answers one sync request. Throws ProtocolError when the request is malformed (after
 * sending an ERROR frame) so the caller can hold it against the peer; other failures
 * (peer gone, timeout) abort the stream and are rethrown as they are.
 */
export async function serveSync(stream: Stream, chain: ChainAccess, stopSignal?: AbortSignal): Promise<void> {
  const frames = new FrameStream(stream, LIMITS.maxRequestFrame);
  let request: SyncRequest;
  try {
    const frame = await frames.read(withTimeout(TIMEOUTS.requestReadMs, stopSignal));
    if (frame === null) {
      await frames.closeWrite();
      return;
    }
    request = decodeSyncRequest(frame);
  } catch (err) {
    if (err instanceof ProtocolError && err.code !== 'timeout') {
      // Tell the peer why, then hang up; a failure to deliver the error is not worth more.
      try {
        await frames.write(encodeErrorFrame(err.message), withTimeout(1000));
        await frames.closeWrite(withTimeout(1000));
      } catch {
        frames.abort(err);
      }
    } else {
      frames.abort(asError(err));
    }
    throw err;
  }

  const signal = withTimeout(TIMEOUTS.blocksMs, stopSignal);
  try {
    if (request.type === 'getHeaders') {
      const headers = await chain.headersAfter(request.locator, LIMITS.maxHeaders);
      await frames.write(encodeHeadersFrame(headers.slice(0, LIMITS.maxHeaders)), signal);
    } else {
      let bytes = 0;
      for (const hash of request.hashes) {
        const block = await chain.getBlock(hash);
        if (block === undefined) break; // answer with the prefix we have
        if (bytes > 0 && bytes + block.length > LIMITS.maxBlocksResponseBytes) break;
        bytes += block.length;
        await frames.write(encodeBlockFrame(block), signal);
      }
      await frames.write(encodeEndFrame(), signal);
    }
    await frames.closeWrite(signal);
  } catch (err) {
    frames.abort(asError(err));
    throw err;
  }
}

// ---- client ----

async function request(
  host: Host,
  peer: PeerId,
  protocol: string,
  req: SyncRequest,
  timeoutMs: number,
  stopSignal: AbortSignal | undefined,
  onFrame: (frame: SyncResponseFrame) => boolean,
): Promise<void> {
  const signal = withTimeout(timeoutMs, stopSignal);
  const stream = await host.dialProtocol(peer, protocol, { signal });
  const frames = new FrameStream(stream, MAX_RESPONSE_FRAME);
  try {
    await frames.write(encodeSyncRequest(req), signal);
    await frames.closeWrite(signal);
    for (;;) {
      const frame = await frames.read(signal);
      if (frame === null) throw new ProtocolError('unexpected', 'response ended early');
      const decoded = decodeSyncResponse(frame);
      if (decoded.type === 'error') throw new ProtocolError('remote-error', `peer: ${decoded.message}`);
      if (onFrame(decoded)) break;
    }
    // Anything after the last expected frame is a protocol violation.
    if ((await frames.read(signal)) !== null) throw new ProtocolError('unexpected', 'data after the response');
  } catch (err) {
    frames.abort(asError(err));
    if (signal.aborted && !stopSignal?.aborted) {
      throw new ProtocolError('timeout', `sync request timed out after ${timeoutMs} ms`);
    }
    throw err;
  }
}

/** A SyncSource that asks `peer` over the sync protocol. */
export function syncSource(
  host: Host,
  peer: PeerId,
  protocol: string,
  stopSignal?: AbortSignal,
): SyncSource {
  return {
    peer: peer.toString(),
    async getHeaders(locator) {
      let headers: Uint8Array[] = [];
      await request(
        host,
        peer,
        protocol,
        { type: 'getHeaders', locator: locator.slice(0, LIMITS.maxLocator) },
        TIMEOUTS.headersMs,
        stopSignal,
        (frame) => {
          if (frame.type !== 'headers') throw new ProtocolError('unexpected', `expected headers, got ${frame.type}`);
          headers = frame.headers;
          return true;
        },
      );
      return headers;
    },
    async getBlocks(hashes) {
      const blocks: Uint8Array[] = [];
      const asked = hashes.slice(0, LIMITS.maxBlocksPerRequest);
      await request(
        host,
        peer,
        protocol,
        { type: 'getBlocks', hashes: asked },
        TIMEOUTS.blocksMs,
        stopSignal,
        (frame) => {
          if (frame.type === 'end') return true;
          if (frame.type !== 'block') throw new ProtocolError('unexpected', `expected a block, got ${frame.type}`);
          if (blocks.length >= asked.length) throw new ProtocolError('unexpected', 'more blocks than asked for');
          blocks.push(frame.block);
          return false;
        },
      );
      return blocks;
    },
  };
}
