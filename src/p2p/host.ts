// The libp2p host: TCP + Noise + Yamux, identify, and gossipsub for the two gossip topics.
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { type Identify, identify } from '@libp2p/identify';
import type { ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import { LIMITS, type ProtocolIds } from './protocol.js';

export type Host = Libp2p<{ identify: Identify; pubsub: GossipSub }>;

export interface HostOptions {
  privateKey: PrivateKey;
  listenHost: string;
  port: number;
  ids: ProtocolIds;
  gater?: ConnectionGater;
  maxConnections?: number;
}

export function listenAddr(host: string, port: number): string {
  return `/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}`;
}

export function createHost(opts: HostOptions): Promise<Host> {
  return createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: [listenAddr(opts.listenHost, opts.port)] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    // A fresh 256 KB stream window stalls every sync answer of large blocks on window
    // updates; 2 MB lets a whole batch flow (the reader consumes eagerly and caps its buffer).
    streamMuxers: [yamux({ streamOptions: { initialStreamWindowSize: 2 * 1024 * 1024 } })],
    connectionGater: opts.gater,
    connectionManager: { maxConnections: opts.maxConnections ?? 64 },
    nodeInfo: { name: 'hashline' },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Unsigned messages get content-addressed ids (SHA-256 of the data), so the same
        // block relayed by different peers is recognised as one message.
        globalSignaturePolicy: StrictNoSign,
        allowedTopics: [opts.ids.blocksTopic, opts.ids.txsTopic],
        allowPublishToZeroTopicPeers: true,
        ignoreDuplicatePublishError: true,
        fallbackToFloodsub: false,
        emitSelf: false,
        maxInboundDataLength: LIMITS.maxGossipRpcBytes,
      }),
    },
  });
}
