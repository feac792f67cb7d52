// The peer book: libp2p's peer store (persistent when the node gives libp2p a datastore) plus the
// dialer that keeps us connected. Peers come from the bootstrap list, identify, pubsub peer
// discovery and mDNS; the dialer works towards `minPeers` outbound peers (inbound ones do not
// count: they are the ones an attacker chooses), backs off from failing ones and forgets peers that
// kept failing (dial-policy.ts). The outbound peers we had at shutdown are the anchors, dialled
// first at the next start (Core's anchors.dat). A stranger's LAN addresses are dialled only from
// that LAN (netgroup.ts mayDialAddress).
import type { Connection, Peer, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { ipOf } from './bans.js';
import type { TimerHandle } from './clock.js';
import { errorText, isDialable, type NetContext, withPeerId } from './context.js';
import type { DialPolicy, DialState } from './dial-policy.js';
import { type LocalNets, mayDialAddress } from './netgroup.js';
import { PeerAddrs } from './peer-addrs.js';
import type { AnchorStore, KnownPeer } from './types.js';

/** Peer store metadata key of the dialer's state (JSON), so it survives restarts with the store. */
const DIAL_STATE_KEY = 'hashline/dial';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export interface PeerBookOptions {
  bootstrap: string[];
  /** Most time between two dials of a bootstrap address that is not connected; 0 = dial at start only. */
  reconnectMs: number;
  /** How often the dialer looks at the peer count. */
  dialIntervalMs: number;
  /** Peers kept in the peer store; beyond, the least useful are removed. */
  maxKnownPeers: number;
  /** The operator's local subnets: their addresses are dialled as a LAN's. */
  localNets: LocalNets;
  /** Where the outbound peers at shutdown are kept for the next start. */
  anchorStore?: AnchorStore;
  /** Anchors kept at most. */
  maxAnchors: number;
  /** The address book's random source (tests inject a seeded one). */
  random?: () => number;
}

/** The peer store is scanned for pruning at most this often (discovery may set off many ticks). */
const PRUNE_EVERY_MS = 60_000;

function decodeState(bytes: Uint8Array | undefined): DialState | undefined {
  if (!bytes) return undefined;
  try {
    const v = JSON.parse(fromUtf8.decode(bytes)) as DialState;
    return typeof v.failures === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

export class PeerBook {
  private timer?: TimerHandle;
  private readonly dialing = new Set<string>();
  private readonly bootstrapState = new Map<string, { failures: number; nextAt: number; id?: string }>();
  private ticking = false;
  /** A tick was asked for while one ran: run another (new peers may have come meanwhile). */
  private tickAgain = false;
  private readonly writes = new Set<Promise<unknown>>();
  /** Bounded by what the operator dials. */
  private readonly operatorPeers = new Set<string>();
  private readonly addrs: PeerAddrs;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: NetContext,
    private readonly policy: DialPolicy,
    private readonly opts: PeerBookOptions,
    /** Dials and completes the status handshake; resolves with the peer id. */
    private readonly connect: (target: PeerId | Multiaddr | Multiaddr[]) => Promise<string>,
  ) {
    this.addrs = new PeerAddrs(ctx, opts.localNets, opts.random);
  }

  async start(): Promise<void> {
    const host = this.ctx.host();
    if (!host) return;
    const peers = await host.peerStore.all();
    for (const peer of peers) {
      const state = decodeState(peer.metadata.get(DIAL_STATE_KEY));
      if (state) this.policy.restore(peer.id.toString(), state);
    }
    this.addrs.rebuild(peers);
    const every = this.opts.reconnectMs > 0 ? Math.min(this.opts.dialIntervalMs, this.opts.reconnectMs) : 0;
    const interval = every > 0 ? every : this.opts.dialIntervalMs;
    this.timer = this.ctx.clock.every(interval, () => void this.tick());
    await this.dialAnchors();
    this.dialBootstrap(true);
    void this.tick();
  }

  /** The outbound peers of the last run, dialled before any other; read once (as Core does). */
  private async dialAnchors(): Promise<void> {
    const store = this.opts.anchorStore;
    if (!store) return;
    const anchors = (await store.load().catch(() => [])).slice(0, this.opts.maxAnchors);
    await store.save([]).catch(() => undefined);
    if (anchors.length === 0) return;
    this.ctx.log.info({ anchors }, 'dialling anchors');
    for (const addr of anchors) {
      const id = addr.split('/p2p/')[1];
      if (id === undefined || this.ctx.isRefused(id) || this.dialing.has(id)) continue;
      this.dialing.add(id);
      this.connect(multiaddr(addr))
        .catch((err) => this.ctx.log.debug({ addr, err: errorText(err) }, 'anchor dial failed'))
        .finally(() => this.dialing.delete(id));
    }
  }

  /** Keeps our outbound peers as the next start's anchors (inbound ones an attacker chooses). */
  private async saveAnchors(): Promise<void> {
    const store = this.opts.anchorStore;
    if (!store) return;
    const dialled = new Map<string, string>();
    for (const c of this.ctx.host()?.getConnections() ?? []) {
      if (c.direction === 'outbound' && c.status === 'open')
        dialled.set(c.remotePeer.toString(), c.remoteAddr.toString());
    }
    const anchors = this.outboundPeers()
      .slice(0, this.opts.maxAnchors)
      .map((id) => withPeerId(dialled.get(id)!, id));
    await store
      .save(anchors)
      .catch((err) => this.ctx.log.warn({ err: errorText(err) }, 'saving anchors failed'));
  }

  /** Handshaken peers we dialled (an inbound connection of the same peer does not make it one). */
  outboundPeers(): string[] {
    const host = this.ctx.host();
    if (!host) return [];
    const out = new Set(
      host
        .getConnections()
        .filter((c) => c.direction === 'outbound' && c.status === 'open')
        .map((c) => c.remotePeer.toString()),
    );
    return this.ctx.readyPeers().filter((id) => out.has(id));
  }

  /** The addresses a peer's signed record says it listens on (empty when none is known). */
  listenAddrs(id: string): string[] {
    return this.addrs.addrsOf(id).map((a) => a.toString());
  }

  /** The operator dialled this peer (an http --peer, the API's connect): treated as a --peer one. */
  markOperator(id: string): void {
    this.operatorPeers.add(id);
  }

  /** A peer id of the operator's --peer list (known from its address, or learnt when it answered). */
  isBootstrap(id: string): boolean {
    if (this.operatorPeers.has(id)) return true;
    for (const [addr, state] of this.bootstrapState)
      if (state.id === id || addr.endsWith(`/p2p/${id}`)) return true;
    return this.opts.bootstrap.some((addr) => addr.endsWith(`/p2p/${id}`));
  }

  /** Stops dialling; resolves once the dialer's peer store writes are done. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.saveAnchors();
    // Connected peers were seen until now; written last, so that no concurrent peer-store update of
    // identify's overwrites it.
    await Promise.allSettled([...this.writes]);
    for (const id of this.ctx.readyPeers()) this.persist(id, this.policy.succeeded(id));
    await Promise.allSettled([...this.writes]);
  }

  /** A peer completed its handshake: it is good, whatever failed before; if we dialled it, tried. */
  onReady(id: string): void {
    this.persist(id, this.policy.succeeded(id));
    const dialled = this.ctx
      .host()
      ?.getConnections()
      .find((c) => c.remotePeer.toString() === id && c.direction === 'outbound');
    if (dialled) void this.addrs.markTried(id, dialled.remoteAddr);
  }

  /** identify checked and stored a peer's signed record: the peer is its own source. */
  identified(id: string, connection: Connection): void {
    const ready = this.ctx.readyPeers().includes(id);
    const learnt =
      connection.direction === 'outbound' && ready
        ? this.addrs.markTried(id, connection.remoteAddr)
        : this.addrs.learn(id, this.addrs.sourceOf(id, connection.remoteAddr));
    void learnt.catch(() => undefined);
  }

  /** Signed records a peer told us (peer exchange) are in the peer store: into the book, the teller their source. */
  async told(ids: readonly string[], teller: Connection): Promise<number> {
    const source = this.addrs.sourceOf(teller.remotePeer.toString(), teller.remoteAddr);
    let learnt = 0;
    for (const id of ids) if (await this.addrs.learn(id, source)) learnt++;
    return learnt;
  }

  /** An unsigned discovery record (pubsub discovery, mDNS): kept only for its local addresses; true if it told something new (the caller runs the dialer). */
  discovered(id: PeerId, multiaddrs: readonly Multiaddr[]): boolean {
    return this.addrs.discovered(id, multiaddrs);
  }

  /** Fewer outbound peers completed the handshake than the dialer works towards. */
  wantsPeers(): boolean {
    return this.outboundPeers().length < this.policy.settings.minPeers;
  }

  /** Dials more peers when we have fewer than minPeers; forgets peers that kept failing. */
  async tick(): Promise<void> {
    const host = this.ctx.host();
    if (!host) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    this.tickAgain = false;
    try {
      this.dialBootstrap(false);
      if (this.ctx.clock.now() - this.prunedAt >= PRUNE_EVERY_MS) {
        this.prunedAt = this.ctx.clock.now();
        await this.prune(await host.peerStore.all());
      }
      const connected = new Set(host.getPeers().map((p) => p.toString()));
      const missing = this.policy.settings.minPeers - this.outboundPeers().length - this.dialing.size;
      if (missing <= 0) return;
      const self = host.peerId.toString();
      const ourIps = host.getMultiaddrs().flatMap((ma) => ipOf(ma) ?? []);
      const dialable = (id: string) =>
        this.addrs.addrsOf(id).filter((ma) => {
          const ip = ipOf(ma);
          return ip !== undefined && mayDialAddress(ip, ourIps, this.opts.localNets);
        });
      const usable = (id: string) =>
        id !== self &&
        !connected.has(id) &&
        !this.dialing.has(id) &&
        !this.ctx.isRefused(id) &&
        this.policy.canDial(id) &&
        dialable(id).length > 0;
      for (const id of this.addrs.book.select(missing, usable)) void this.dialPeer(id, dialable(id));
    } catch (err) {
      this.ctx.log.debug({ err: errorText(err) }, 'dialer round failed');
    } finally {
      this.ticking = false;
      if (this.tickAgain) void this.tick();
    }
  }

  private async dialPeer(id: string, addrs: Multiaddr[]): Promise<void> {
    this.dialing.add(id);
    try {
      await this.connect(addrs.map((a) => multiaddr(withPeerId(a.toString(), id))));
    } catch (err) {
      if (!this.ctx.host()) return;
      const state = this.policy.failed(id, errorText(err));
      this.ctx.log.debug({ peer: id, failures: state.failures, err: state.lastError }, 'dial failed');
      if (this.policy.shouldForget(id)) await this.forget(id);
      else this.persist(id, state);
    } finally {
      this.dialing.delete(id);
    }
  }

  private dialBootstrap(atStart: boolean): void {
    const host = this.ctx.host();
    if (!host || (!atStart && this.opts.reconnectMs <= 0)) return;
    const now = this.ctx.clock.now();
    const connected = new Set(host.getPeers().map((p) => p.toString()));
    for (const addr of this.opts.bootstrap) {
      const state = this.bootstrapState.get(addr) ?? { failures: 0, nextAt: 0 };
      this.bootstrapState.set(addr, state);
      const id = addr.split('/p2p/')[1] ?? state.id;
      if (id !== undefined && (connected.has(id) || this.ctx.isRefused(id) || id === host.peerId.toString()))
        continue;
      if (state.nextAt > now || this.dialing.has(addr)) continue;
      this.dialing.add(addr);
      this.connect(multiaddr(addr))
        .then(
          (peer) => {
            if (state.failures > 0) this.ctx.log.info({ addr, peer }, 'peer reachable again');
            state.id = peer;
            state.failures = 0;
          },
          (err) => {
            state.failures++;
            const wait = Math.min(this.opts.reconnectMs || Infinity, this.policy.backoffMs(state.failures));
            state.nextAt = this.ctx.clock.now() + wait;
            // The operator named this peer: told once per run of failures, with the reason.
            const log = state.failures === 1 ? this.ctx.log.info : this.ctx.log.debug;
            log.call(
              this.ctx.log,
              { addr, err: errorText(err) },
              `peer unreachable: ${errorText(err)}; retrying`,
            );
          },
        )
        .finally(() => this.dialing.delete(addr));
    }
  }

  /** Removes the least useful peers (never seen, then seen longest ago) beyond maxKnownPeers. */
  private async prune(peers: Peer[]): Promise<void> {
    const host = this.ctx.host();
    const excess = peers.length - this.opts.maxKnownPeers;
    if (!host || excess <= 0) return;
    const connected = new Set(host.getPeers().map((p) => p.toString()));
    const removable = peers
      .filter((p) => !connected.has(p.id.toString()))
      .sort(
        (a, b) =>
          (this.policy.state(a.id.toString()).lastSeen ?? 0) -
          (this.policy.state(b.id.toString()).lastSeen ?? 0),
      )
      .slice(0, excess);
    for (const peer of removable) await this.forget(peer.id.toString());
  }

  private persist(id: string, state: DialState): void {
    const host = this.ctx.host();
    if (!host) return;
    const peerId = peerIdFromString(id);
    const write = host.peerStore
      .merge(peerId, { metadata: { [DIAL_STATE_KEY]: utf8.encode(JSON.stringify(state)) } })
      .catch((err) => this.ctx.log.debug({ peer: id, err: errorText(err) }, 'peer store write failed'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Drops a peer from the peer store and the dialer's memory (its connection, if any, stays). */
  async forget(id: string): Promise<void> {
    this.policy.drop(id);
    this.addrs.remove(id);
    const host = this.ctx.host();
    if (!host) return;
    await host.peerStore.delete(peerIdFromString(id)).catch(() => undefined);
    this.ctx.log.info({ peer: id }, 'peer forgotten');
  }

  async knownPeers(): Promise<KnownPeer[]> {
    const host = this.ctx.host();
    if (!host) return [];
    const connected = new Set(host.getPeers().map((p) => p.toString()));
    return (await host.peerStore.all()).map((peer) => {
      const id = peer.id.toString();
      const state = this.policy.state(id);
      const known: KnownPeer = {
        id,
        addrs: peer.addresses.map((a) => withPeerId(a.multiaddr.toString(), id)),
        connected: connected.has(id),
        failures: state.failures,
      };
      if (state.lastSeen !== undefined) known.lastSeen = state.lastSeen;
      if (state.failingSince !== undefined) known.failingSince = state.failingSince;
      if (state.lastError !== undefined) known.lastError = state.lastError;
      if (state.nextDialAt !== undefined) known.nextDialAt = state.nextDialAt;
      return known;
    });
  }

  /** Addresses of compatible peers we completed a handshake with: worth dialling later. */
  async knownAddrs(): Promise<string[]> {
    const out = new Set<string>();
    for (const peer of await this.knownPeers()) {
      if (peer.lastSeen === undefined || this.ctx.isRefused(peer.id)) continue;
      for (const a of peer.addrs) if (isDialable(a)) out.add(a);
    }
    return [...out];
  }
}
