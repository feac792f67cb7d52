// The sync protocol. A stream carries any number of exchanges in sequence: the client
// writes one request frame; the server answers with HEADERS, or with BLOCK frames then
// END, or with ERROR (after which it closes the stream). The client keeps a few streams
// open for a sync round and runs one request on each at a time, which pipelines requests
// without paying for a new stream (and its peer-store bookkeeping) per request.
// See codec.ts for the frame layouts.
import type { Connection, Stream } from '@libp2p/interface';
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
import { HEADER_BYTES, LIMITS, MAX_RESPONSE_BYTES, MAX_RESPONSE_FRAME, TIMEOUTS } from './protocol.js';
import type { SyncSource } from './sync.js';
import type { ChainAccess } from './types.js';

/** Block frames are sent in groups of about this many bytes (one muxer frame and socket write each). */
const COALESCE_BYTES = 64 * 1024;
/** A client reuses a stream only if it has been idle for less than this. */
const REUSE_IDLE_MS = TIMEOUTS.idleStreamMs / 2;
/** Requests served on one stream before the server closes it. */
const MAX_REQUESTS_PER_STREAM = 100_000;

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

// ---- server ----

/** What the server may send one peer: asked before each request, told of every byte sent. */
export interface UploadBudget {
  /** False: the request is answered ERROR `rate limited` and the stream closed. */
  admit(): boolean;
  spend(bytes: number): void;
}

export const RATE_LIMITED = 'rate limited';

async function answer(
  frames: FrameStream,
  chain: ChainAccess,
  request: SyncRequest,
  signal: AbortSignal,
  budget?: UploadBudget,
) {
  if (request.type === 'getHeaders') {
    const headers = (await chain.headersAfter(request.locator, LIMITS.maxHeaders)).slice(
      0,
      LIMITS.maxHeaders,
    );
    budget?.spend(headers.length * HEADER_BYTES);
    await frames.write(encodeHeadersFrame(headers), signal);
    return;
  }
  let bytes = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for (const hash of request.hashes) {
    const block = await chain.getBlock(hash);
    if (block === undefined) break; // answer with the prefix we have
    if (bytes > 0 && bytes + block.length > LIMITS.maxBlocksResponseBytes) break;
    bytes += block.length;
    budget?.spend(block.length);
    pending.push(encodeBlockFrame(block));
    pendingBytes += block.length;
    if (pendingBytes >= COALESCE_BYTES) {
      await frames.writeMany(pending, signal);
      pending = [];
      pendingBytes = 0;
    }
  }
  pending.push(encodeEndFrame());
  await frames.writeMany(pending, signal);
}

/**
 * Serves sync requests on `stream` until the peer closes it. Throws ProtocolError when a
 * request is malformed (after sending an ERROR frame and closing) so the caller can hold
 * it against the peer; other failures (peer gone, idle timeout) abort the stream and are
 * rethrown as they are.
 */
export async function serveSync(
  stream: Stream,
  chain: ChainAccess,
  stopSignal?: AbortSignal,
  budget?: UploadBudget,
): Promise<void> {
  const frames = new FrameStream(stream, LIMITS.maxRequestFrame);
  for (let served = 0; served < MAX_REQUESTS_PER_STREAM; served++) {
    let request: SyncRequest;
    try {
      const frame = await frames.read(withTimeout(TIMEOUTS.idleStreamMs, stopSignal));
      if (frame === null) break;
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
    if (budget && !budget.admit()) {
      // Over its upload budget: told so, and the stream closed (the peer may ask again later).
      try {
        await frames.write(encodeErrorFrame(RATE_LIMITED), withTimeout(1000));
        await frames.closeWrite(withTimeout(1000));
      } catch (err) {
        frames.abort(asError(err));
      }
      return;
    }
    try {
      await answer(frames, chain, request, withTimeout(TIMEOUTS.blocksMs, stopSignal), budget);
    } catch (err) {
      frames.abort(asError(err));
      throw err;
    }
  }
  await frames.closeWrite(withTimeout(1000)).catch((err) => frames.abort(asError(err)));
}

// ---- client ----

/**
 * A SyncSource over the sync protocol to the peer at the other end of `connection`.
 * close() it when the round is over: it holds streams open between requests.
 */
export class SyncSession implements SyncSource {
  readonly peer: string;
  private readonly idle: FrameStream[] = [];
  private readonly busy = new Set<FrameStream>();
  private readonly idleSince = new WeakMap<FrameStream, number>();
  private closed = false;

  constructor(
    private readonly connection: Connection,
    private readonly protocol: string,
    private readonly stopSignal?: AbortSignal,
  ) {
    this.peer = connection.remotePeer.toString();
  }

  private async acquire(signal: AbortSignal): Promise<FrameStream> {
    if (this.closed) throw new Error('sync session closed');
    let frames: FrameStream | undefined;
    while (frames === undefined && this.idle.length > 0) {
      const candidate = this.idle.pop()!;
      // The server closes streams idle for TIMEOUTS.idleStreamMs: do not reuse one near that.
      const fresh = performance.now() - (this.idleSince.get(candidate) ?? 0) < REUSE_IDLE_MS;
      const { stream } = candidate;
      if (fresh && stream.status === 'open' && stream.remoteWriteStatus === 'writable') frames = candidate;
      else candidate.closeWrite(withTimeout(1000)).catch((err) => candidate.abort(asError(err)));
    }
    if (frames === undefined) {
      // Optimistic protocol selection: the first request goes out with the protocol
      // proposal, saving a round trip (the handshake proved the peer speaks it).
      const stream = await this.connection.newStream(this.protocol, { signal, negotiateFully: false });
      frames = new FrameStream(stream, MAX_RESPONSE_FRAME, MAX_RESPONSE_BYTES);
    }
    this.busy.add(frames);
    return frames;
  }

  /** Sends `req` and feeds response frames to `onFrame` until it returns true. */
  private async exchange(
    req: SyncRequest,
    timeoutMs: number,
    onFrame: (frame: SyncResponseFrame) => boolean,
  ): Promise<void> {
    const signal = withTimeout(timeoutMs, this.stopSignal);
    let frames: FrameStream | undefined;
    try {
      frames = await this.acquire(signal);
      await frames.write(encodeSyncRequest(req), signal);
      for (;;) {
        const frame = await frames.read(signal);
        if (frame === null) throw new ProtocolError('unexpected', 'response ended early');
        const decoded = decodeSyncResponse(frame);
        if (decoded.type === 'error') throw new ProtocolError('remote-error', `peer: ${decoded.message}`);
        if (onFrame(decoded)) break;
      }
      this.busy.delete(frames);
      if (this.closed) await frames.closeWrite().catch(() => {});
      else {
        this.idleSince.set(frames, performance.now());
        this.idle.push(frames);
      }
    } catch (err) {
      if (frames) {
        this.busy.delete(frames);
        frames.abort(asError(err));
      }
      if (signal.aborted && !this.stopSignal?.aborted) {
        throw new ProtocolError('timeout', `sync request timed out after ${timeoutMs} ms`);
      }
      // A peer that went away (e.g. shutting down) ended our stream: that is no offence.
      if (this.connection.status !== 'open') throw new Error(`connection closed: ${asError(err).message}`);
      throw err;
    }
  }

  async getHeaders(locator: string[]): Promise<Uint8Array[]> {
    let headers: Uint8Array[] = [];
    const req: SyncRequest = { type: 'getHeaders', locator: locator.slice(0, LIMITS.maxLocator) };
    await this.exchange(req, TIMEOUTS.headersMs, (frame) => {
      if (frame.type !== 'headers')
        throw new ProtocolError('unexpected', `expected headers, got ${frame.type}`);
      headers = frame.headers;
      return true;
    });
    return headers;
  }

  async getBlocks(hashes: string[]): Promise<Uint8Array[]> {
    const blocks: Uint8Array[] = [];
    const asked = hashes.slice(0, LIMITS.maxBlocksPerRequest);
    await this.exchange({ type: 'getBlocks', hashes: asked }, TIMEOUTS.blocksMs, (frame) => {
      if (frame.type === 'end') return true;
      if (frame.type !== 'block')
        throw new ProtocolError('unexpected', `expected a block, got ${frame.type}`);
      if (blocks.length >= asked.length) throw new ProtocolError('unexpected', 'more blocks than asked for');
      blocks.push(frame.block);
      return false;
    });
    return blocks;
  }

  /** Closes the idle streams; busy ones close when their request completes. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((f) => f.closeWrite(withTimeout(1000)).catch((err) => f.abort(asError(err)))));
  }
}
