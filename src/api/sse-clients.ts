// Who may hold an event stream, and what a stream may queue. At most sseMaxClients streams in all
// and sseMaxClientsPerIp from one address; a client that stops reading is dropped once more than
// sseMaxQueuedBytes wait for it (Node buffers whatever the socket cannot take, without bound, if let).
import type { ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import type { ApiLimits } from './limits.js';

export interface SseStream {
  /** Sends one event; false once the stream is closed or was dropped for not reading. */
  send(event: string, data: unknown): boolean;
  /** Frees the slot (call when the connection closes). */
  release(): void;
}

export interface SseStats {
  readonly clients: number;
  /** Streams dropped because their client did not read. */
  readonly dropped: number;
}

export class SseClients {
  private readonly perIp = new Map<string, number>();
  private total = 0;
  private droppedCount = 0;

  constructor(private readonly limits: ApiLimits) {}

  /** A slot for `ip`, or an ApiError naming the cap that is reached (nothing is held then). */
  admit(ip: string, res: ServerResponse): SseStream {
    const { sseMaxClients, sseMaxClientsPerIp, sseMaxQueuedBytes } = this.limits;
    if (this.total >= sseMaxClients) {
      throw new ApiError(
        503,
        'too-many-event-streams',
        `the node serves at most ${sseMaxClients} event streams at once; retry later`,
      );
    }
    const mine = this.perIp.get(ip) ?? 0;
    if (mine >= sseMaxClientsPerIp) {
      throw new ApiError(
        429,
        'too-many-event-streams',
        `at most ${sseMaxClientsPerIp} event streams from one address at once; close one first`,
      );
    }
    this.total++;
    this.perIp.set(ip, mine + 1);
    let released = false;
    let dropped = false;
    const release = () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left === 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    };
    return {
      send: (event, data) => {
        if (dropped || res.destroyed || res.writableEnded) return false;
        // What the socket could not take yet: a reading client keeps this near zero.
        if (res.writableLength > sseMaxQueuedBytes) {
          dropped = true;
          this.droppedCount++;
          res.destroy();
          return false;
        }
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        return true;
      },
      release,
    };
  }

  stats(): SseStats {
    return { clients: this.total, dropped: this.droppedCount };
  }
}
