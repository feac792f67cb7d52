// Length-prefixed frames (unsigned LEB128 varint length, then the bytes) over a libp2p 3
// stream. libp2p 3 streams are event emitters ('message', 'remoteCloseWrite', 'close');
// listeners are attached as soon as the reader is made so that no data or end-of-stream
// signal is missed (the stream's async iterator only starts listening once iterated, and
// a 'close' that fired before that is lost: the iteration then hangs).
import type { Stream } from '@libp2p/interface';
import { ProtocolError } from './codec.js';

const MAX_VARINT_BYTES = 4; // 2^28 - 1: far above any frame limit used here

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (7 * MAX_VARINT_BYTES)) {
    throw new RangeError('varint out of range');
  }
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Uint8Array.from(out);
}

/** An abort signal that fires after `ms`, or earlier with `signal`. */
export function withTimeout(ms: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

function isEnded(stream: Stream): boolean {
  const closed = stream.status !== 'open' && stream.status !== 'closing';
  return (closed || stream.remoteWriteStatus !== 'writable') && stream.readBufferLength === 0;
}

export class FrameStream {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private wake?: () => void;
  private failure?: Error;

  /**
   * @param maxFrame largest frame accepted
   * @param maxBuffered most unread bytes held: what one whole legitimate message may
   *   amount to (a getBlocks answer is many frames); a peer that sends more is cut off.
   */
  constructor(
    readonly stream: Stream,
    private readonly maxFrame: number,
    maxBuffered = maxFrame + 64,
  ) {
    stream.addEventListener('message', (evt) => {
      const data = evt.data instanceof Uint8Array ? evt.data : evt.data.subarray();
      this.chunks.push(data);
      this.buffered += data.length;
      if (this.buffered > maxBuffered) {
        this.failure = new ProtocolError('too-large', 'peer sent more than it was asked for');
        stream.abort(this.failure);
      }
      this.notify();
    });
    stream.addEventListener('remoteCloseWrite', () => this.notify());
    stream.addEventListener('close', (evt) => {
      if (evt.error != null && this.failure == null) this.failure = evt.error;
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async waitForData(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.wake = resolve;
    try {
      await promise;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Reads up to MAX_VARINT_BYTES bytes of a varint from the buffer; undefined if incomplete. */
  private peekLength(): { length: number; prefix: number } | undefined {
    let value = 0;
    let shift = 0;
    let index = 0;
    for (const chunk of this.chunks) {
      for (const byte of chunk) {
        value += (byte & 0x7f) * 2 ** shift;
        index++;
        if ((byte & 0x80) === 0) {
          if (index > 1 && byte === 0) throw new ProtocolError('malformed', 'non-minimal length prefix');
          return { length: value, prefix: index };
        }
        shift += 7;
        if (index >= MAX_VARINT_BYTES) throw new ProtocolError('malformed', 'length prefix too long');
      }
    }
    return undefined;
  }

  private take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      const need = count - filled;
      if (chunk.length <= need) {
        out.set(chunk, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        out.set(chunk.subarray(0, need), filled);
        this.chunks[0] = chunk.subarray(need);
        filled += need;
      }
    }
    this.buffered -= count;
    return out;
  }

  /** The next frame, or null if the peer closed cleanly at a frame boundary. */
  async read(signal?: AbortSignal): Promise<Uint8Array | null> {
    for (;;) {
      const header = this.peekLength();
      if (header !== undefined) {
        if (header.length > this.maxFrame) {
          throw new ProtocolError('too-large', `frame of ${header.length} bytes exceeds ${this.maxFrame}`);
        }
        if (this.buffered >= header.prefix + header.length) {
          this.take(header.prefix);
          return this.take(header.length);
        }
      }
      if (this.failure != null) throw this.failure;
      if (isEnded(this.stream)) {
        if (this.buffered === 0) return null;
        throw new ProtocolError('malformed', 'stream ended inside a frame');
      }
      await this.waitForData(signal);
    }
  }

  async write(frame: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.writeMany([frame], signal);
  }

  /**
   * Writes several frames in one send: every send becomes at least one muxer frame, one
   * encrypted message and one socket write, so small frames are worth coalescing.
   */
  async writeMany(frames: Uint8Array[], signal?: AbortSignal): Promise<void> {
    const prefixes = frames.map((f) => encodeVarint(f.length));
    let total = 0;
    for (let i = 0; i < frames.length; i++) total += prefixes[i].length + frames[i].length;
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < frames.length; i++) {
      out.set(prefixes[i], at);
      at += prefixes[i].length;
      out.set(frames[i], at);
      at += frames[i].length;
    }
    // send() buffers even when it returns false; false only asks us to wait for 'drain'.
    if (!this.stream.send(out)) await this.stream.onDrain({ signal });
  }

  /** Half-closes our side; the peer sees end-of-stream after the frames already written. */
  async closeWrite(signal?: AbortSignal): Promise<void> {
    await this.stream.close({ signal });
  }

  abort(err: Error): void {
    this.stream.abort(err);
  }
}
