// The WebSockets transport with bounds on what comes before libp2p sees a connection. libp2p's
// upgrader counts and times a connection once its WebSocket is open (as it does a TCP socket at
// once); before that, the listener holds a raw socket until the first byte arrives, with no limit
// and no timeout, so a host could keep any number of silent sockets open. Here every raw socket
// must complete its WebSocket upgrade within `upgradeMs` (the ws library clears the socket's
// timeout once upgraded), and the listener holds at most `maxSockets` sockets, upgraded or not, and
// at most `perHost` from one address off loopback and the local subnets (where many peers share an
// address), so that one host cannot take every socket.
//
// A node only listens on WebSockets: it dials every peer over TCP (browsers are the ones that dial
// WebSocket addresses; Node 20 has no WebSocket client either).
import { Server, type Socket } from 'node:net';
import type { Listener, Transport } from '@libp2p/interface';
import { type WebSocketsComponents, webSockets } from '@libp2p/websockets';
import { normalIp } from './bans.js';

export interface WsSocketLimits {
  /** Raw sockets at once on the listener (open WebSocket connections included). */
  maxSockets: number;
  /** A socket that has not completed its WebSocket upgrade by then is closed. */
  upgradeMs: number;
  /** Raw sockets at once from one address that is not `local`. */
  perHost: number;
  /** Addresses many hosts share (loopback, local subnets): no per-address cap there. */
  isLocal(ip: string): boolean;
}

/** webSockets() whose listeners apply `limits` to their raw sockets. */
export function boundedWebSockets(limits: WsSocketLimits) {
  const factory = webSockets({
    http: { headersTimeout: limits.upgradeMs, requestTimeout: limits.upgradeMs },
  });
  return (components: WebSocketsComponents): Transport => {
    const transport = factory(components);
    transport.dialFilter = () => [];
    const createListener = transport.createListener.bind(transport);
    transport.createListener = (options): Listener => {
      const listener = createListener(options);
      // The listener's net.Server is not part of its public type: fail loudly if that ever changes,
      // rather than run unbounded.
      const server = (listener as unknown as { server?: Server }).server;
      if (!(server instanceof Server))
        throw new Error('@libp2p/websockets listener has no net.Server to bound');
      server.maxConnections = limits.maxSockets;
      const byHost = new Map<string, number>();
      server.on('connection', (socket: Socket) => {
        const ip = normalIp(socket.remoteAddress ?? '');
        if (ip === undefined) {
          socket.destroy(); // already gone
          return;
        }
        if (!limits.isLocal(ip)) {
          const count = (byHost.get(ip) ?? 0) + 1;
          if (count > limits.perHost) {
            socket.destroy();
            return;
          }
          byHost.set(ip, count);
          socket.once('close', () => {
            const left = (byHost.get(ip) ?? 1) - 1;
            if (left > 0) byHost.set(ip, left);
            else byHost.delete(ip);
          });
        }
        socket.setTimeout(limits.upgradeMs, () => socket.destroy());
      });
      return listener;
    };
    return transport;
  };
}
