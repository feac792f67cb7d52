// The libp2p host: TCP + Noise + Yamux, identify, gossipsub for the gossip topics, and peer
// discovery through libp2p's own modules (pubsub-peer-discovery over gossipsub; mDNS on request).
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { type Identify, identify } from '@libp2p/identify';
import type { ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface';
import { mdns } from '@libp2p/mdns';
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery';
import { tcp } from '@libp2p/tcp';
import type { Datastore } from 'interface-datastore';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import { GOSSIP_THRESHOLDS, gossipScoreParams } from './gossip-scoring.js';
import { LIMITS, type ProtocolIds } from './protocol.js';

export type Host = Libp2p<{ identify: Identify; pubsub: GossipSub }>;

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
}

export function listenAddr(host: string, port: number): string {
  return `/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}`;
}

const DAY_MS = 24 * 3600_000;

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
  return createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: [listenAddr(opts.listenHost, opts.port)], announce: opts.announce ?? [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    // A fresh 256 KB stream window stalls every sync answer of large blocks on window
    // updates; 2 MB lets a whole batch flow (the reader consumes eagerly and caps its buffer).
    streamMuxers: [yamux({ streamOptions: { initialStreamWindowSize: 2 * 1024 * 1024 } })],
    connectionGater: opts.gater,
    connectionManager: { maxConnections: opts.maxConnections ?? 32 },
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
        allowedTopics: [opts.ids.blocksTopic, opts.ids.txsTopic, opts.ids.discoveryTopic],
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        fallbackToFloodsub: false,
        emitSelf: false,
        maxInboundDataLength: LIMITS.maxGossipRpcBytes,
        scoreParams: gossipScoreParams(opts.ids, opts.localIps ?? new Set(['127.0.0.1', '::1'])),
        scoreThresholds: GOSSIP_THRESHOLDS,
      }),
    },
  });
}
