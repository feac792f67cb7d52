// A browser node's side of the wire, in Node.js: a libp2p host with only the WebSockets transport (a
// browser can dial, not listen), Noise, Yamux, identify and gossipsub configured as a Hashline node's
// (unsigned messages, content-addressed ids), that runs the status handshake with src/p2p's own code
// (status-protocol.ts) and records every block that reaches it on the blocks topic.
//
//   const client = await startWsClient({ network: 'regtest', genesisHash });
//   const status = await client.connect('/ip4/127.0.0.1/tcp/15001/ws/p2p/12D3…');  // the node's status
//   await waitFor(() => client.blocks.has(hash), …);
//   await client.stop();
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { Connection } from '@libp2p/interface';
import { webSockets } from '@libp2p/websockets';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { blockHashOf } from '../../src/p2p/header.js';
import { LIMITS, protocolIds } from '../../src/p2p/protocol.js';
import { answerStatus, requestStatus } from '../../src/p2p/status-protocol.js';
import type { PeerStatus } from '../../src/p2p/types.js';

export interface WsClientOptions {
  /** The network's tag as the node's protocol ids use it (e.g. `regtest`). */
  network: string;
  genesisHash: string;
  /** Also take a relay reservation on the nodes it connects to (circuit relay v2), to be reachable
   * through them at `<node addr>/p2p-circuit/p2p/<us>`. */
  relay?: boolean;
}

export interface WsClient {
  readonly peerId: string;
  /** Hash (hex) of each block received on the blocks topic → when it arrived (ms since the epoch). */
  readonly blocks: Map<string, number>;
  /** Dials the node over WebSockets, exchanges status, and waits (≤ 10 s) for its subscription to the
   * blocks topic; resolves with the node's status. Rejects when the node refuses the connection. */
  connect(addr: string): Promise<PeerStatus>;
  /** The connection with the node is open. */
  connected(): boolean;
  /** Our addresses: none but relayed ones, once a reservation is taken. */
  addrs(): string[];
  /** Dials any address (e.g. another client's relayed one). */
  dial(addr: string): Promise<Connection>;
  /** Publishes raw bytes on the blocks topic. */
  gossipBlock(bytes: Uint8Array): Promise<void>;
  /** Accepts streams of `protocol`, relayed ones too, and reads them to the end. */
  sink(protocol: string): Promise<void>;
  stop(): Promise<void>;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Node 20 has no global WebSocket (Node 22 has; 20 only behind --experimental-websocket), which
 * @libp2p/websockets dials with: the `ws` package its listener already runs on stands in. */
async function ensureWebSocket(): Promise<void> {
  if (typeof globalThis.WebSocket === 'function') return;
  const wsPackage = 'ws';
  const { WebSocket } = (await import(wsPackage)) as { WebSocket: typeof globalThis.WebSocket };
  globalThis.WebSocket = WebSocket;
}

export async function startWsClient(opts: WsClientOptions): Promise<WsClient> {
  await ensureWebSocket();
  const ids = protocolIds(opts.network);
  const ours: PeerStatus = {
    network: opts.network,
    genesisHash: opts.genesisHash,
    height: 0,
    tipHash: opts.genesisHash,
    chainWork: 1n,
  };
  const host = await createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    addresses: { listen: opts.relay ? ['/p2p-circuit'] : [] },
    transports: opts.relay ? [webSockets(), circuitRelayTransport()] : [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        allowedTopics: [ids.blocksTopic, ids.txsTopic, ids.discoveryTopic],
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        fallbackToFloodsub: false,
        maxInboundDataLength: LIMITS.maxGossipRpcBytes,
      }),
    },
  });
  const blocks = new Map<string, number>();
  const pubsub = host.services.pubsub;
  pubsub.addEventListener('message', (evt) => {
    if (evt.detail.topic !== ids.blocksTopic || evt.detail.data.length < 80) return;
    const hash = blockHashOf(evt.detail.data);
    if (!blocks.has(hash)) blocks.set(hash, Date.now());
  });
  pubsub.subscribe(ids.blocksTopic);
  await host.handle(
    ids.status,
    (stream) =>
      answerStatus(stream, () => ours).then(
        () => {},
        () => {},
      ),
    {
      maxInboundStreams: 4,
    },
  );
  let node: Connection | undefined;

  return {
    peerId: host.peerId.toString(),
    blocks,
    async connect(addr) {
      node = await host.dial(multiaddr(addr), { signal: AbortSignal.timeout(10_000) });
      const status = await requestStatus(node, ids.status, ours);
      const peer = node.remotePeer.toString();
      const deadline = Date.now() + 10_000;
      while (!pubsub.getSubscribers(ids.blocksTopic).some((p) => p.toString() === peer)) {
        if (Date.now() > deadline) throw new Error('the node never announced its subscription to blocks');
        await delay(25);
      }
      return status;
    },
    connected: () => node?.status === 'open',
    addrs: () => host.getMultiaddrs().map((a) => a.toString()),
    dial: (addr) => host.dial(multiaddr(addr), { signal: AbortSignal.timeout(10_000) }),
    async gossipBlock(bytes) {
      await pubsub.publish(ids.blocksTopic, bytes);
    },
    sink: (protocol) =>
      host.handle(
        protocol,
        (stream) => {
          stream.addEventListener('message', () => {});
        },
        { runOnLimitedConnection: true },
      ),
    async stop() {
      await host.stop();
    },
  };
}
