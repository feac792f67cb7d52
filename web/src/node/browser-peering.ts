// Browser to browser: a browser reaches another through a full node's circuit relay, at
// `/…/p2p/<relay>/p2p-circuit/webrtc/p2p/<browser>`; the relayed connection carries the WebRTC
// signalling only, then blocks flow on the direct connection. The browser learns such addresses from
// the discovery topic and peer exchange (they land in the peer store); this looks there every few
// seconds and dials, over WebRTC, the browsers it has no direct connection with. Bounded: a few dials
// at once, each peer at most once per backoff, a cap on browser peers.
import type { Connection } from '@libp2p/interface';
import type { Host } from '../../../src/p2p/host.js';

export interface BrowserPeeringOptions {
  /** The running host (undefined while stopped). */
  host(): Host | undefined;
  /** Dials an address and completes the status handshake (P2PNetwork.dial). */
  dial(addr: string): Promise<void>;
  /** How often the peer store is looked at; default 3 s. */
  intervalMs?: number;
  /** Most browser peers connected directly; default 8. */
  maxPeers?: number;
  log?: (message: string) => void;
}

const DIALS_AT_ONCE = 2;
const BACKOFF_MS = 15_000;

/** The transport of a connection as the page shows it. */
export function transportOf(remoteAddr: string): 'webrtc' | 'relay' | 'websocket' | 'other' {
  if (remoteAddr.includes('/webrtc')) return 'webrtc';
  if (remoteAddr.includes('/p2p-circuit')) return 'relay';
  if (remoteAddr.includes('/ws')) return 'websocket';
  return 'other';
}

export class BrowserPeering {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly lastTry = new Map<string, number>();
  private dialling = 0;

  constructor(private readonly opts: BrowserPeeringOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs ?? 3_000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Dials browsers of the peer store we have no WebRTC connection with (a few, not too often). */
  async tick(): Promise<void> {
    const host = this.opts.host();
    if (!host) return;
    const direct = new Set(
      host
        .getConnections()
        .filter((c: Connection) => c.status === 'open' && transportOf(c.remoteAddr.toString()) === 'webrtc')
        .map((c) => c.remotePeer.toString()),
    );
    if (direct.size >= (this.opts.maxPeers ?? 8)) return;
    const now = Date.now();
    for (const peer of await host.peerStore.all()) {
      if (this.dialling >= DIALS_AT_ONCE) return;
      const id = peer.id.toString();
      // One side dials (the smaller peer id): two dials at once would race their signalling.
      if (direct.has(id) || id <= host.peerId.toString()) continue;
      if (now - (this.lastTry.get(id) ?? 0) < BACKOFF_MS) continue;
      const addr = peer.addresses
        .map((a) => a.multiaddr.toString())
        .find((a) => a.includes('/p2p-circuit/webrtc'));
      if (addr === undefined) continue;
      this.lastTry.set(id, now);
      if (this.lastTry.size > 1_000) this.lastTry.delete(this.lastTry.keys().next().value!);
      this.dialling++;
      const full = addr.endsWith(`/p2p/${id}`) ? addr : `${addr}/p2p/${id}`;
      this.opts
        .dial(full)
        .then(() => this.opts.log?.(`webrtc peer ${id}`))
        .catch((err: unknown) => this.opts.log?.(`webrtc dial ${id} failed: ${(err as Error).message}`))
        .finally(() => {
          this.dialling--;
        });
    }
  }
}
