// The libp2p host: TCP + Noise + Yamux, identify, gossipsub for the gossip topics, and peer
// discovery through libp2p's own modules (pubsub-peer-discovery over gossipsub; mDNS on request).
// With a WebSockets port, also a WebSockets listener (browser nodes dial it) and the circuit relay
// service of circuit-relay.ts.
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { type Identify, identify } from '@libp2p/identify';
import type { ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface';
import { mdns } from '@libp2p/mdns';
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery';
import { tcp } from '@libp2p/tcp';
import type { Datastore } from 'interface-datastore';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import { isLoopbackIp } from './bans.js';
import { relayService } from './circuit-relay.js';
import { GOSSIP_THRESHOLDS, gossipScoreParams } from './gossip-scoring.js';
import { LIMITS, type ProtocolIds } from './protocol.js';
import { boundedWebSockets } from './ws-transport.js';

export type Host = Libp2p<{ identify: Identify; pubsub: GossipSub; relay?: CircuitRelayService }>;

export interface HostOptions {
  privateKey: PrivateKey;
  listenHost: string;
  port: number;
  ids: ProtocolIds;
  gater?: ConnectionGater;
  maxConnections?: number;
  /** Multiaddrs to tell peers instead of the listening ones (a host behind NAT). */
  announce?: string[];
  /** Where libp2p keeps its peer store; in memory if absent. */
  datastore?: Datastore;
  /** How often our addresses are published on the discovery topic; 0 = none published, and (the
   * module drops messages unless it publishes) none heard. */
  discoveryIntervalMs?: number;
  /** Find peers on the local network by multicast DNS. */
  mdns?: boolean;
  /** Addresses many honest nodes may share (loopback, local subnets): exempt from gossipsub's IP
   * colocation penalty. Loopback only if absent. */
  localIps?: Set<string>;
  /** Also listen for WebSockets on this port (0: any free one) of `listenHost`, and run the relay
   * service; neither when absent. */
  wsPort?: number;
  /** Addresses many hosts share (loopback, local subnets); loopback only if absent. */
  isLocalIp?: (ip: string) => boolean;
}

export function listenAddr(host: string, port: number): string {
  return `/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}`;
}

export function wsListenAddr(host: string, port: number): string {
  return `${listenAddr(host, port)}/ws`;
}

const DAY_MS = 24 * 3600_000;
/** Raw sockets the WebSockets listener holds beyond the connection limit (upgrades in progress). */
const WS_PENDING_SOCKETS = 32;
/** Raw sockets from one address (off loopback and local subnets): its 4 inbound peers, and as many
 * upgrading. */
const WS_SOCKETS_PER_HOST = 8;

export function createHost(opts: HostOptions): Promise<Host> {
  const discoveryMs = opts.discoveryIntervalMs ?? 10_000;
  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = [
    pubsubPeerDiscovery({
      topics: [opts.ids.discoveryTopic],
      interval: discoveryMs > 0 ? discoveryMs : 10_000,
      listenOnly: discoveryMs <= 0,
    }),
  ];
  if (opts.mdns) peerDiscovery.push(mdns({ serviceTag: opts.ids.mdnsTag }));
  const ws = opts.wsPort !== undefined;
  const maxConnections = opts.maxConnections ?? 32;
  const listen = [listenAddr(opts.listenHost, opts.port)];
  if (ws) listen.push(wsListenAddr(opts.listenHost, opts.wsPort!));
  return createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen, announce: opts.announce ?? [] },
    // A WebSocket peer goes through the same upgrader, gater and limits as a TCP one; before that,
    // its raw socket has 10 s to complete the WebSocket upgrade (ws-transport.ts).
    transports: ws
      ? [
          tcp(),
          boundedWebSockets({
            maxSockets: maxConnections + WS_PENDING_SOCKETS,
            upgradeMs: 10_000,
            perHost: WS_SOCKETS_PER_HOST,
            isLocal: opts.isLocalIp ?? isLoopbackIp,
          }),
        ]
      : [tcp()],
    connectionEncrypters: [noise()],
    // A fresh 256 KB stream window stalls every sync answer of large blocks on window
    // updates; 2 MB lets a whole batch flow (the reader consumes eagerly and caps its buffer).
    streamMuxers: [yamux({ streamOptions: { initialStreamWindowSize: 2 * 1024 * 1024 } })],
    connectionGater: opts.gater,
    connectionManager: { maxConnections },
    datastore: opts.datastore,
    // Addresses are kept a week: a peer that was down for a night is still worth a dial (the
    // dialer forgets peers that keep failing).
    peerStore: { maxAddressAge: 7 * DAY_MS, maxPeerAge: 7 * DAY_MS },
    peerDiscovery,
    nodeInfo: { name: 'hashline' },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Unsigned messages get content-addressed ids (SHA-256 of the data), so the same
        // block relayed by different peers is recognised as one message.
        globalSignaturePolicy: StrictNoSign,
        allowedTopics: [
          opts.ids.blocksTopic,
          opts.ids.txsTopic,
          opts.ids.discoveryTopic,
          opts.ids.classTopic,
        ],
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        fallbackToFloodsub: false,
        emitSelf: false,
        maxInboundDataLength: LIMITS.maxGossipRpcBytes,
        scoreParams: gossipScoreParams(opts.ids, opts.localIps ?? new Set(['127.0.0.1', '::1'])),
        scoreThresholds: GOSSIP_THRESHOLDS,
      }),
      ...(ws ? { relay: relayService() } : {}),
    },
  }) as Promise<Host>;
}
