// The full node's libp2p host: TCP + Noise + Yamux, identify, gossipsub for the gossip topics, and
// peer discovery through libp2p's own modules (pubsub-peer-discovery over gossipsub; mDNS on request).
// With a WebSockets port, also a WebSockets listener (browser nodes dial it) and the circuit relay
// service of circuit-relay.ts. Node only (TCP, node:net): the browser node's host is host-browser.ts.
// What only some nodes use (mDNS, the WebSockets transport, the relay service) is imported when an
// option asks for it: an ordinary node does not hold those modules (about 2 MB of heap).
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import { isLoopbackIp } from './bans.js';
import {
  discoveryService,
  gossipService,
  type Host,
  type HostOptions,
  listenAddr,
  PEER_STORE_LIMITS,
  STREAM_WINDOW_BYTES,
  wsListenAddr,
} from './host.js';

/** Raw sockets the WebSockets listener holds beyond the connection limit (upgrades in progress). */
const WS_PENDING_SOCKETS = 32;
/** Raw sockets from one address (off loopback and local subnets): its 4 inbound peers, and as many
 * upgrading. */
const WS_SOCKETS_PER_HOST = 8;

export async function createNodeHost(opts: HostOptions): Promise<Host> {
  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = [discoveryService(opts)];
  if (opts.mdns) {
    const { mdns } = await import('@libp2p/mdns');
    peerDiscovery.push(mdns({ serviceTag: opts.ids.mdnsTag }));
  }
  const ws = opts.wsPort !== undefined ? await wsParts() : undefined;
  const maxConnections = opts.maxConnections ?? 32;
  const listen = [listenAddr(opts.listenHost, opts.port)];
  if (ws) listen.push(wsListenAddr(opts.listenHost, opts.wsPort!));
  return createLibp2p({
    start: opts.start ?? true,
    privateKey: opts.privateKey,
    addresses: { listen, announce: opts.announce ?? [] },
    // A WebSocket peer goes through the same upgrader, gater and limits as a TCP one; before that,
    // its raw socket has 10 s to complete the WebSocket upgrade (ws-transport.ts).
    transports: ws
      ? [
          tcp(),
          ws.boundedWebSockets({
            maxSockets: maxConnections + WS_PENDING_SOCKETS,
            upgradeMs: 10_000,
            perHost: WS_SOCKETS_PER_HOST,
            isLocal: opts.isLocalIp ?? isLoopbackIp,
          }),
        ]
      : [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { initialStreamWindowSize: STREAM_WINDOW_BYTES } })],
    connectionGater: opts.gater,
    connectionManager: { maxConnections },
    datastore: opts.datastore,
    peerStore: PEER_STORE_LIMITS,
    peerDiscovery,
    nodeInfo: { name: 'hashline' },
    services: {
      identify: identify(),
      pubsub: gossipService(opts),
      ...(ws ? { relay: ws.relayService(opts.relayReservations) } : {}),
    },
  }) as Promise<Host>;
}

/** The WebSockets listener's transport and the relay service, for a node with a WebSockets port. */
async function wsParts() {
  const [{ boundedWebSockets }, { relayService }] = await Promise.all([
    import('./ws-transport.js'),
    import('./relay-service.js'),
  ]);
  return { boundedWebSockets, relayService };
}
