// Status handshake: the opener sends its status and half-closes; the other side answers
// with its own. One exchange per stream; run on connect (by both sides) and again
// whenever our tip changes, so each side always knows the other's height and work.
import type { Connection, Stream } from '@libp2p/interface';
import { decodeStatus, encodeStatus, ProtocolError } from './codec.js';
import { FrameStream, withTimeout } from './framing.js';
import { LIMITS, TIMEOUTS } from './protocol.js';
import type { PeerStatus } from './types.js';

async function readStatus(frames: FrameStream, signal: AbortSignal): Promise<PeerStatus> {
  const frame = await frames.read(signal);
  if (frame === null) throw new ProtocolError('unexpected', 'stream closed before the status');
  return decodeStatus(frame);
}

/** Sends our status over `connection` and returns the peer's. */
export async function requestStatus(
  connection: Connection,
  protocol: string,
  ours: PeerStatus,
  stopSignal?: AbortSignal,
): Promise<PeerStatus> {
  const signal = withTimeout(TIMEOUTS.statusMs, stopSignal);
  const stream = await connection.newStream(protocol, { signal });
  const frames = new FrameStream(stream, LIMITS.maxStatusFrame);
  try {
    await frames.write(encodeStatus(ours), signal);
    await frames.closeWrite(signal);
    return await readStatus(frames, signal);
  } catch (err) {
    frames.abort(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

/** Handles an inbound status stream: reads theirs, answers with ours, returns theirs. */
export async function answerStatus(
  stream: Stream,
  ours: () => PeerStatus,
  stopSignal?: AbortSignal,
): Promise<PeerStatus> {
  const signal = withTimeout(TIMEOUTS.statusMs, stopSignal);
  const frames = new FrameStream(stream, LIMITS.maxStatusFrame);
  try {
    const theirs = await readStatus(frames, signal);
    await frames.write(encodeStatus(ours()), signal);
    await frames.closeWrite(signal);
    return theirs;
  } catch (err) {
    frames.abort(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}
