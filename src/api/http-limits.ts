// Connections and their timeouts: what a client that connects and then dawdles may hold.
//   - Headers must arrive within headersTimeoutMs and the whole request within requestTimeoutMs
//     (Node's HTTP server answers 408 and closes); an idle keep-alive connection goes after
//     keepAliveTimeoutMs.
//   - A connection where nothing has moved for stalledMs is closed, unless a handler is still
//     working on its request (mining a block over the API can take long and sends nothing meanwhile).
//     So a client that stops reading an answer frees its connection and its expensive-read turn.
//   - At most maxConnections connections, maxConnectionsPerIp from one address: past either, the new
//     connection is answered 503 `too-many-connections` and closed, before any HTTP parsing.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions } from 'fastify';
import type { ApiLimits } from './limits.js';

/** The Fastify options that set Node's request timeouts. */
export function timeoutOptions(limits: ApiLimits): FastifyHttpOptions<Server> {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Handled by installConnectionLimits, which spares a request still being worked on.
    connectionTimeout: 0,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckMs,
    },
  };
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one caller. */
export const callerAddress = (address: string | undefined): string =>
  address?.startsWith('::ffff:') ? address.slice(7) : (address ?? 'unknown');

function refusal(message: string): string {
  const body = JSON.stringify({ error: 'too-many-connections', message });
  return (
    'HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\nretry-after: 5\r\n\r\n${body}`
  );
}

export interface ConnectionStats {
  readonly open: number;
  /** Connections refused by the caps since start. */
  readonly refused: number;
  /** Connections closed because nothing moved for stalledMs. */
  readonly stalled: number;
}

/** Caps and the stall rule on the server's sockets; call before it listens. */
export function installConnectionLimits(server: Server, limits: ApiLimits): () => ConnectionStats {
  const perIp = new Map<string, number>();
  let open = 0;
  let refused = 0;
  let stalled = 0;
  // The answer in progress on each socket, so that the stall rule can tell idle from busy.
  const current = new WeakMap<Socket, ServerResponse>();

  // The HTTP server's own connection handling runs only for admitted sockets.
  const httpListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const ip = callerAddress(socket.remoteAddress);
    const mine = perIp.get(ip) ?? 0;
    const reason =
      open >= limits.maxConnections
        ? `the node serves at most ${limits.maxConnections} connections at once`
        : mine >= limits.maxConnectionsPerIp
          ? `the node serves at most ${limits.maxConnectionsPerIp} connections from one address at once`
          : undefined;
    if (reason) {
      refused++;
      socket.on('error', () => {});
      socket.end(refusal(`${reason}; close some and retry`));
      socket.setTimeout(1_000, () => socket.destroy());
      return;
    }
    open++;
    perIp.set(ip, mine + 1);
    socket.once('close', () => {
      open--;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left === 0) perIp.delete(ip);
      else perIp.set(ip, left);
    });
    for (const listener of httpListeners) listener.call(server, socket);
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    current.set(req.socket, res);
    res.once('close', () => {
      if (current.get(req.socket) === res) current.delete(req.socket);
    });
  });
  server.setTimeout(limits.stalledMs);
  // A listener of its own: Node then leaves the decision to close to it.
  server.on('timeout', (socket: Socket) => {
    const res = current.get(socket);
    if (res && !res.headersSent) {
      // The handler is still working and has sent nothing yet: wait another period.
      socket.setTimeout(limits.stalledMs);
      return;
    }
    stalled++;
    socket.destroy();
  });
  return () => ({ open, refused, stalled });
}
