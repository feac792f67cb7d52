// The browser node's libp2p host: it dials full nodes' WebSockets listeners, reserves a slot on their
// circuit relay (listening on `/p2p-circuit`), and takes WebRTC connections from other browsers
// (`/webrtc`): a browser reaches another at `/…/p2p/<relay>/p2p-circuit/webrtc/p2p/<browser>`, the
// relayed connection carries only the WebRTC signalling, then blocks flow on the direct connection.
// Same encryption, muxer, identify, gossipsub params and discovery as the full node (host.ts).
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2';
import { identify } from '@libp2p/identify';
import { webRTC } from '@libp2p/webrtc';
import { webSockets } from '@libp2p/websockets';
import { createLibp2p } from 'libp2p';
import {
  type CreateHost,
  discoveryService,
  gossipService,
  type Host,
  type HostOptions,
  PEER_STORE_LIMITS,
  STREAM_WINDOW_BYTES,
} from './host.js';

/** A STUN or TURN server (the DOM's RTCIceServer; the Node build has no DOM types). */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface BrowserHostSettings {
  /** STUN/TURN servers for WebRTC; none by default: browsers of one classroom share a LAN, where
   * host candidates connect (and no outside server learns who talks to whom). */
  iceServers?: IceServer[];
}

/** Where a browser listens: its relay reservations, and WebRTC through them. */
export const BROWSER_LISTEN = ['/p2p-circuit', '/webrtc'];

/** A host factory for a browser page (the listen host, port and WebSockets port are not used). */
export function browserHostFactory(settings: BrowserHostSettings = {}): CreateHost {
  return (opts) => createBrowserHost(opts, settings);
}

export function createBrowserHost(opts: HostOptions, settings: BrowserHostSettings = {}): Promise<Host> {
  return createLibp2p({
    start: opts.start ?? true,
    privateKey: opts.privateKey,
    addresses: { listen: BROWSER_LISTEN },
    transports: [
      webSockets(),
      webRTC({ rtcConfiguration: { iceServers: settings.iceServers ?? [] } }),
      circuitRelayTransport(),
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { initialStreamWindowSize: STREAM_WINDOW_BYTES } })],
    connectionGater: opts.gater,
    connectionManager: { maxConnections: opts.maxConnections ?? 32 },
    datastore: opts.datastore,
    peerStore: PEER_STORE_LIMITS,
    peerDiscovery: [discoveryService(opts)],
    nodeInfo: { name: 'hashline-browser' },
    services: {
      identify: identify(),
      pubsub: gossipService(opts),
    },
  }) as Promise<Host>;
}
