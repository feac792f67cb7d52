// The libp2p host as the network layer sees it, and what every host shares whatever runs it: the
// gossipsub service (params, allowed topics from the protocol ids). The hosts themselves are built by
// a factory the composition root passes in (`createHost` of P2PNetworkOptions): host-node.ts for a
// full node (TCP, WebSockets listener, relay service), host-browser.ts for a browser node (WebSockets
// client, WebRTC, circuit relay client). Nothing here is Node-only.
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import type { Identify } from '@libp2p/identify';
import type { ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface';
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery';
import type { Datastore } from 'interface-datastore';
import { GOSSIP_THRESHOLDS, gossipScoreParams } from './gossip-scoring.js';
import { LIMITS, type ProtocolIds } from './protocol.js';

export type Host = Libp2p<{ identify: Identify; pubsub: GossipSub; relay?: CircuitRelayService }>;

export interface HostOptions {
  /** Start listening and dialling at once (default); false leaves it to the caller's host.start(). */
  start?: boolean;
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
  /** Relay reservations held at once; RELAY_LIMITS.maxReservations if absent. */
  relayReservations?: number;
  /** Addresses many hosts share (loopback, local subnets); loopback only if absent. */
  isLocalIp?: (ip: string) => boolean;
}

/** Builds (and starts) a host: host-node.ts's createNodeHost, or host-browser.ts's createBrowserHost. */
export type CreateHost = (opts: HostOptions) => Promise<Host>;

export function listenAddr(host: string, port: number): string {
  return `/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}`;
}

export function wsListenAddr(host: string, port: number): string {
  return `${listenAddr(host, port)}/ws`;
}

/** The gossip topics a host takes part in: those of its protocol ids, nothing else. */
export function allowedTopics(ids: ProtocolIds): string[] {
  return [ids.blocksTopic, ids.txsTopic, ids.discoveryTopic, ids.classTopic];
}

/** The gossipsub service, with the same params on every host. */
export function gossipService(opts: Pick<HostOptions, 'ids' | 'localIps'>) {
  return gossipsub({
    // Unsigned messages get content-addressed ids (SHA-256 of the data), so the same
    // block relayed by different peers is recognised as one message.
    globalSignaturePolicy: StrictNoSign,
    allowedTopics: allowedTopics(opts.ids),
    allowPublishToZeroTopicPeers: true,
    ignoreDuplicatePublishError: true,
    fallbackToFloodsub: false,
    emitSelf: false,
    maxInboundDataLength: LIMITS.maxGossipRpcBytes,
    scoreParams: gossipScoreParams(opts.ids, opts.localIps ?? new Set(['127.0.0.1', '::1'])),
    scoreThresholds: GOSSIP_THRESHOLDS,
  });
}

/** Our addresses on the discovery topic every `discoveryIntervalMs` (default 10 s; 0: only listen). */
export function discoveryService(opts: Pick<HostOptions, 'ids' | 'discoveryIntervalMs'>) {
  const discoveryMs = opts.discoveryIntervalMs ?? 10_000;
  return pubsubPeerDiscovery({
    topics: [opts.ids.discoveryTopic],
    interval: discoveryMs > 0 ? discoveryMs : 10_000,
    listenOnly: discoveryMs <= 0,
  });
}

/** Yamux streams open with a 2 MB window: a fresh 256 KB one stalls every sync answer of large blocks
 * on window updates; 2 MB lets a whole batch flow (the reader consumes eagerly and caps its buffer). */
export const STREAM_WINDOW_BYTES = 2 * 1024 * 1024;

const DAY_MS = 24 * 3600_000;
/** Addresses are kept a week: a peer that was down for a night is still worth a dial (the dialer
 * forgets peers that keep failing). */
export const PEER_STORE_LIMITS = { maxAddressAge: 7 * DAY_MS, maxPeerAge: 7 * DAY_MS };
