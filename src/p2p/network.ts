// P2PNetwork: the node's peer-to-peer layer, a thin composition of its parts: the libp2p host
// (host.ts), the status handshake (peer-status.ts), gossip (gossip.ts), sync scheduling
// (sync-scheduler.ts), the peer book and dialer (peer-book.ts), the mempool exchange
// (mempool-exchange.ts), peer exchange (peer-exchange.ts), scoring with bans (peer-guard.ts), and the
// inbound slots with their caps and eviction (inbound-slots.ts); with a WebSockets port, the relay
// service's per-host cap (circuit-relay.ts).

import { EventEmitter } from 'node:events';
import type { Connection, PeerId } from '@libp2p/interface';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import type { Datastore } from 'interface-datastore';
import { BanList } from './bans.js';
import { RelayReservations } from './circuit-relay.js';
import { atMostEvery, type Clock, systemClock, type Throttled } from './clock.js';
import { type NetContext, silentLogger } from './context.js';
import { DIAL_DEFAULTS, DialPolicy, type DialSettings } from './dial-policy.js';
import { Gossip } from './gossip.js';
import type { CreateHost, Host } from './host.js';
import { INBOUND_DEFAULTS, type InboundSettings } from './inbound-limits.js';
import { InboundSlots, noticingUseful } from './inbound-slots.js';
import { generatePeerKey, type PeerKey, parsePeerKey } from './keys.js';
import { MempoolExchange } from './mempool-exchange.js';
import { LocalNets } from './netgroup.js';
import { PeerBook } from './peer-book.js';
import { PeerExchange } from './peer-exchange.js';
import { PeerGuard } from './peer-guard.js';
import { PeerKeys } from './peer-key.js';
import { IncompatiblePeerError, PeerStatuses } from './peer-status.js';
import { isAddrInUse, P2PPortInUseError, wsPortTaken } from './port-errors.js';
import { type ProtocolIds, protocolIds } from './protocol.js';
import { Relay } from './relay.js';
import { PeerScores } from './scoring.js';
import { SyncScheduler, type UploadSettings } from './sync-scheduler.js';
import { AddedTopics, type TopicHandler } from './topics.js';
import type {
  AnchorStore,
  BanInfo,
  BanStore,
  ChainAccess,
  KnownPeer,
  P2PEvents,
  P2PLogger,
  PeerInfo,
  SyncStatus,
} from './types.js';

export { IncompatiblePeerError } from './peer-status.js';
export { P2PPortInUseError } from './port-errors.js';
export { progressBar } from './sync-scheduler.js';

export interface P2PNetworkOptions {
  chain: ChainAccess;
  /** Builds the libp2p host: host-node.ts's createNodeHost for a full node, host-browser.ts's factory
   * in a browser (passed in, so that a browser bundle never includes the Node one). */
  createHost: CreateHost;
  /** This node's HTTP API as peers may reach it, told in the status handshake (for topology views). */
  apiUrl?: () => string | undefined;
  /** Interface to listen on; default 127.0.0.1 (0.0.0.0 for every interface). */
  listenHost?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Multiaddrs told to peers instead of the listening ones (a host behind NAT). */
  announce?: string[];
  /** WebSockets port (0 picks a free one) on `listenHost`, for browser nodes, with the circuit relay
   * service (circuit-relay.ts); neither when absent. */
  wsPort?: number;
  /** Relay reservations held at once (1 to 256); default RELAY_LIMITS.maxReservations. */
  relayReservations?: number;
  /** Multiaddrs (with /p2p/<id>) dialled at start and re-dialled while disconnected. */
  bootstrap?: string[];
  logger?: P2PLogger;
  /** How long a misbehaving peer stays banned; default 3600. */
  banSeconds?: number;
  /** Where bans are kept across restarts; in memory only if absent. */
  banStore?: BanStore;
  /** libp2p's datastore (its peer store lives there); in memory if absent. */
  datastore?: Datastore;
  /** Persisted identity (see keys.ts), as a key or its serialized bytes; a new one if absent. */
  privateKey?: PeerKey | Uint8Array;
  /** Connections at most, inbound and outbound; default 32. Inbound ones get all but the outbound
   * reserve: `minPeers`, at least 8, at most half (see src/p2p/README.md). */
  maxConnections?: number;
  /** Inbound caps per host and netgroup; defaults in inbound-limits.ts. */
  inbound?: Partial<Omit<InboundSettings, 'maxInbound'>>;
  /**
   * Subnets (CIDR, e.g. `192.168.1.0/24`) whose addresses are many hosts, as loopback is (a devnet, a
   * classroom behind one NAT): there connection caps, points, bans and budgets go by peer id; elsewhere
   * by IP address (IPv6 /64 for points and bans).
   */
  localSubnets?: string[];
  /** Where the outbound peers at shutdown are kept, to be dialled first at the next start. */
  anchorStore?: AnchorStore;
  /** Most time between dials of a disconnected bootstrap address; default 30 s, 0 = only at start. */
  reconnectMs?: number;
  /** Outbound peers the dialer works towards; default 4 (0 = dial bootstrap peers only). */
  minPeers?: number;
  /** How often the dialer checks the peer count; default 5 s. */
  dialIntervalMs?: number;
  /** Dialer backoff and forgetting; defaults in dial-policy.ts. */
  dial?: Partial<Omit<DialSettings, 'minPeers'>>;
  /** How often our addresses go out on the discovery topic; default 10 s. */
  discoveryIntervalMs?: number;
  /** Find peers on the LAN by multicast DNS. */
  mdns?: boolean;
  /** How long announcements of transactions are gathered before going out; default 500 ms. */
  announceDelayMs?: number;
  /** Blocks per sync request; default 128. */
  syncBatchSize?: number;
  /** Bytes the sync server sends one peer key: a burst, refilled per second; default 32 MB, 4 MB/s. */
  uploadBudget?: UploadSettings;
  clock?: Clock;
}

export class P2PNetwork extends EventEmitter<P2PEvents> {
  private readonly chain: ChainAccess;
  private readonly log: P2PLogger;
  private readonly ids: ProtocolIds;
  private readonly clock: Clock;
  private readonly scores: PeerScores;
  private readonly banList: BanList;
  private readonly guard: PeerGuard;
  private readonly keys: PeerKeys;
  private readonly ctx: NetContext;
  private readonly statuses: PeerStatuses;
  private readonly gossip: Gossip;
  private readonly syncs: SyncScheduler;
  private readonly book: PeerBook;
  private readonly exchange: MempoolExchange;
  private readonly peerExchange: PeerExchange;
  private readonly relay: Relay;
  private readonly inbound: InboundSlots;
  private readonly reservations: RelayReservations;
  private readonly localNets: LocalNets;
  private readonly maxConnections: number;
  private host?: Host;
  private id?: string;
  private stopController = new AbortController();
  private unfollowTip?: () => void;
  private unfollowRelay?: () => void;
  private readonly discoveryTick: Throttled;
  private readonly topics: AddedTopics;
  private key?: PeerKey;
  /** While set, peers it refuses are left out of blocks, transactions, sync and mempool exchange. */
  private peerFilter: ((peerId: string) => boolean) | null = null;

  constructor(private readonly opts: P2PNetworkOptions) {
    super();
    this.chain = noticingUseful(opts.chain, (id, kind) => this.inbound.noteUseful(id, kind));
    this.log = opts.logger ?? silentLogger;
    this.ids = protocolIds(opts.chain.network);
    this.clock = opts.clock ?? systemClock;
    const banSeconds = opts.banSeconds ?? 3600;
    this.scores = new PeerScores(() => this.clock.now());
    this.banList = new BanList(this.clock, opts.banStore, this.log);
    const localNets = new LocalNets(opts.localSubnets ?? []);
    this.localNets = localNets;
    this.keys = new PeerKeys(localNets);
    this.discoveryTick = atMostEvery(this.clock, 1000, () => void this.book.tick());
    this.guard = new PeerGuard(this.scores, this.banList, this.keys, banSeconds, this.log, {
      connections: () => this.host?.getConnections() ?? [],
      hangUp: (id) => this.hangUp(id),
      isIncompatible: (id) => this.statuses.isIncompatible(id),
      banned: (info) => this.emit('peer:banned', info),
      denyInbound: (peer, addr) => this.inbound.deny(peer, addr),
      denyRelayReservation: (peer) => this.reservations.deny(peer),
    });
    this.reservations = new RelayReservations(localNets, {
      service: () => this.host?.services.relay,
      connections: () => this.host?.getConnections() ?? [],
    });
    const minPeers = opts.minPeers ?? 4;
    this.maxConnections = opts.maxConnections ?? 32;
    const outboundReserve = Math.min(Math.max(8, minPeers), Math.floor(this.maxConnections / 2));
    this.inbound = new InboundSlots(
      { ...INBOUND_DEFAULTS, ...opts.inbound, maxInbound: this.maxConnections - outboundReserve },
      localNets,
      this.clock,
      this.log,
      {
        connections: () => this.host?.getConnections() ?? [],
        hangUp: (id) => this.hangUp(id),
        isBootstrap: (id) => this.book.isBootstrap(id),
      },
    );
    this.ctx = {
      chain: this.chain,
      log: this.log,
      ids: this.ids,
      clock: this.clock,
      host: () => this.host,
      stopSignal: () => this.stopController.signal,
      judge: (id, verdict) => this.guard.judge(id, verdict),
      penalize: (id, offence, reason) => this.guard.penalize(id, offence, reason),
      peerKey: (id) => this.guard.keyOf(id),
      isRefused: (id) => this.guard.isRefused(id),
      isIncompatible: (id) => this.statuses.isIncompatible(id),
      isFiltered: (id) => this.peerFilter !== null && !this.peerFilter(id),
      connectionOf: (id) => this.connectionOf(id),
      hangUp: (id) => this.hangUp(id),
      readyPeers: () => this.statuses.ids().filter((id) => this.connectionOf(id) !== undefined),
      apiUrl: () => opts.apiUrl?.(),
    };
    this.statuses = new PeerStatuses(
      this.ctx,
      {
        ready: (id, status) => this.onReady(id, status.height),
        status: (id, status) => this.syncs.onStatus(id, status),
        incompatible: (id) => void this.book.forget(id),
      },
      Math.min(banSeconds * 1000, 600_000),
    );
    this.gossip = new Gossip(this.ctx, (id) => this.syncs.request(id));
    this.syncs = new SyncScheduler(
      this.ctx,
      this.statuses,
      (progress) => this.emit('sync:progress', progress),
      opts.syncBatchSize,
      opts.uploadBudget,
    );
    const dial = new DialPolicy(this.clock, { ...DIAL_DEFAULTS, ...opts.dial, minPeers });
    this.book = new PeerBook(
      this.ctx,
      dial,
      {
        bootstrap: opts.bootstrap ?? [],
        reconnectMs: opts.reconnectMs ?? 30_000,
        dialIntervalMs: opts.dialIntervalMs ?? 5_000,
        maxKnownPeers: 1000,
        localNets,
        anchorStore: opts.anchorStore,
        maxAnchors: Math.max(2, Math.min(minPeers, 8)),
      },
      (target) => this.connectTo(target),
    );
    this.exchange = new MempoolExchange(this.ctx, { announceDelayMs: opts.announceDelayMs ?? 500 });
    this.peerExchange = new PeerExchange(
      this.ctx,
      () => this.book.wantsPeers(),
      async (ids, teller) => {
        const learnt = await this.book.told(ids, teller);
        if (learnt > 0) void this.book.tick();
        return learnt;
      },
    );
    this.topics = new AddedTopics(this.ctx);
    this.relay = new Relay(this.ctx, {
      publishBlock: (bytes) => this.gossip.publishBlock(bytes),
      publishTx: (bytes) => this.gossip.publishTx(bytes),
      announce: (txids) => this.exchange.announce(txids),
    });
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.host) return;
    this.stopController = new AbortController();
    await this.banList.load();
    const key = this.opts.privateKey;
    const privateKey =
      key === undefined ? await generatePeerKey() : key instanceof Uint8Array ? parsePeerKey(key) : key;
    const port = this.opts.port ?? 0;
    const host = await this.opts.createHost({
      privateKey,
      listenHost: this.opts.listenHost ?? '127.0.0.1',
      port,
      announce: this.opts.announce,
      ids: this.ids,
      // libp2p refuses beyond its own limit before a peer id is known; ours (inbound-slots.ts) decides
      // after Noise, evicting when it may: libp2p's is only a backstop.
      maxConnections: this.maxConnections + 16,
      gater: this.guard.gater(),
      datastore: this.opts.datastore,
      discoveryIntervalMs: this.opts.discoveryIntervalMs,
      mdns: this.opts.mdns,
      localIps: this.keys.localSet(),
      wsPort: this.opts.wsPort,
      relayReservations: this.opts.relayReservations,
      isLocalIp: (ip) => this.localNets.isLocal(ip),
      // Started below, once every protocol has its handler: libp2p redials kept-alive peers (a relay)
      // as it starts, and a peer whose status stream finds no handler is refused for a while.
      start: false,
    });
    this.host = host;
    this.key = privateKey;
    this.id = host.peerId.toString();

    host.addEventListener('peer:connect', (evt) => this.onConnect(evt.detail));
    host.addEventListener('connection:open', (evt) => this.onConnectionOpen(evt.detail));
    host.addEventListener('peer:disconnect', (evt) => {
      this.reservations.release(evt.detail);
      this.onDisconnect(evt.detail.toString());
    });
    // Unsigned records: kept only for local addresses (peer-addrs.ts); identify's are signed. Records
    // come in bursts: the dialer's look at the book is enough once a second.
    host.addEventListener('peer:discovery', (evt) => {
      if (this.book.discovered(evt.detail.id, evt.detail.multiaddrs)) this.discoveryTick();
    });
    host.addEventListener('peer:identify', (evt) =>
      this.book.identified(evt.detail.peerId.toString(), evt.detail.connection),
    );

    await host.handle(
      this.ids.status,
      (stream, connection) => this.statuses.onStatusStream(stream, connection),
      {
        maxInboundStreams: 4,
      },
    );
    await host.handle(this.ids.sync, (stream, connection) => this.syncs.serve(stream, connection), {
      maxInboundStreams: 8,
    });
    await this.exchange.attach(host);
    await this.peerExchange.attach(host);
    try {
      await host.start();
    } catch (err) {
      this.host = undefined;
      await Promise.resolve(host.stop()).catch(() => undefined);
      if (isAddrInUse(err) && wsPortTaken(err, this.opts.wsPort))
        throw new P2PPortInUseError(this.opts.wsPort!, '--ws-port');
      if (isAddrInUse(err)) throw new P2PPortInUseError(port);
      throw err;
    }
    this.gossip.attach(host);
    this.topics.attach(host);
    this.unfollowTip = this.statuses.followTip();
    this.unfollowRelay = this.relay.follow();

    this.log.info({ peerId: this.peerId, addrs: this.addrs(), network: this.chain.network }, 'p2p listening');
    await this.book.start();
  }

  async stop(): Promise<void> {
    const host = this.host;
    if (!host) return;
    this.stopController.abort(new Error('p2p network stopping'));
    this.unfollowTip?.();
    this.unfollowRelay?.();
    this.discoveryTick.cancel();
    await this.book.stop();
    this.host = undefined;
    await host.stop();
    await this.syncs.idle();
    await this.banList.flushed();
    this.statuses.clear();
    this.log.info('p2p stopped');
  }

  /** Our peer id; available from start() on (and still after stop()). */
  get peerId(): string {
    if (this.id === undefined) throw new Error('P2PNetwork is not started');
    return this.id;
  }

  private get started(): Host {
    if (!this.host) throw new Error('P2PNetwork is not started');
    return this.host;
  }

  /** Our full multiaddrs (announced ones when given), each ending in /p2p/<peerId>. */
  addrs(): string[] {
    const host = this.started;
    const suffix = `/p2p/${host.peerId.toString()}`;
    return host.getMultiaddrs().map((ma) => {
      const text = ma.toString();
      return text.includes('/p2p/') ? text : `${text}${suffix}`;
    });
  }

  // ---------------------------------------------------------------- connections

  /** Connects to `addr` and completes the status handshake; rejects if the peer is incompatible. */
  async dial(addr: string): Promise<void> {
    this.book.markOperator(await this.connectTo(multiaddr(addr)));
  }

  private async connectTo(target: PeerId | Multiaddr | Multiaddr[]): Promise<string> {
    const host = this.started;
    const connection = await host.dial(target, { signal: AbortSignal.timeout(10_000) });
    const id = connection.remotePeer.toString();
    // Both sides open a handshake: the peer's may tell us first that it is of another network, and
    // hang up before ours completes. The reason is then the one to report, not the closed stream.
    const status = await this.statuses.handshake(connection.remotePeer, connection).catch((err: unknown) => {
      const reason = this.statuses.incompatibleReason(id);
      throw reason === undefined ? err : new IncompatiblePeerError(id, reason);
    });
    if (!this.statuses.isCompatible(status)) {
      throw new IncompatiblePeerError(id, this.statuses.incompatibility(status));
    }
    return id;
  }

  private onConnect(peer: PeerId): void {
    const id = peer.toString();
    if (this.guard.isRefused(id)) {
      void this.hangUp(id);
      return;
    }
    // A relayed (limited) connection of a browser node carries WebRTC signalling only: the handshake
    // waits for the direct connection (onConnectionOpen). A full node has no limited connections.
    const connections = this.host?.getConnections(peer) ?? [];
    if (connections.length > 0 && connections.every((c) => c.limits !== undefined)) return;
    this.statuses.handshake(peer).catch(() => {});
  }

  /**
   * Another connection with a peer we have a status of: usually the peer lost the older one (a cut
   * we have not noticed yet: it stays open here until the ping fails) and missed what we announced
   * meanwhile. So the new one starts over: handshake and mempool exchange on it.
   */
  private onConnectionOpen(connection: Connection): void {
    const id = connection.remotePeer.toString();
    if (connection.limits !== undefined || this.guard.isRefused(id)) return;
    if (!this.statuses.has(id)) {
      // The first direct connection of a peer that came by relay first (WebRTC): onConnect skipped it.
      const others = this.host?.getConnections(connection.remotePeer).filter((c) => c.id !== connection.id);
      if (others?.length && others.every((c) => c.limits !== undefined))
        this.statuses.handshake(connection.remotePeer, connection).catch(() => {});
      return; // otherwise a first connection: see onConnect
    }
    this.statuses
      .handshake(connection.remotePeer, connection)
      .then(() => {
        this.log.info({ peer: id, address: connection.remoteAddr.toString() }, 'peer reconnected');
        this.book.onReady(id);
        void this.exchange.onReady(id);
      })
      .catch(() => {});
  }

  private onReady(id: string, height: number): void {
    this.book.onReady(id);
    const info = this.peers().find((p) => p.id === id);
    this.log.info({ peer: id, height, address: info?.address }, 'peer connected');
    if (info) this.emit('peer:connect', info);
    void this.exchange.onReady(id);
    void this.peerExchange.onReady(id);
  }

  private onDisconnect(id: string): void {
    const had = this.statuses.has(id);
    this.statuses.forget(id);
    this.syncs.forget(id);
    this.exchange.forget(id);
    this.peerExchange.forget(id);
    this.inbound.forget(id);
    if (had) {
      this.log.info({ peer: id }, 'peer disconnected');
      this.emit('peer:disconnect', id);
    }
    void this.book.tick();
  }

  /** The newest open connection with a peer: an older one may be dead without our knowing yet. */
  private connectionOf(id: string): Connection | undefined {
    // A limited (relayed) connection carries none of our protocols: only a browser node has one.
    return this.host
      ?.getConnections()
      .findLast((c) => c.remotePeer.toString() === id && c.status === 'open' && c.limits === undefined);
  }

  /** Closes every connection with a peer (it may come back: see ban() to keep it away). */
  async hangUp(id: string): Promise<void> {
    const host = this.host;
    const connection = host?.getConnections().find((c) => c.remotePeer.toString() === id);
    if (host && connection) await host.hangUp(connection.remotePeer).catch(() => {});
  }

  /** Drops a peer from the peer store and the dialer's memory (a connected peer is also hung up). */
  async forget(id: string): Promise<void> {
    // Out of the book first: hanging up runs the dialer, which must not pick the peer again.
    await this.book.forget(id);
    await this.hangUp(id);
  }

  peers(): PeerInfo[] {
    const host = this.host;
    if (!host) return [];
    const seen = new Set<string>();
    const out: PeerInfo[] = [];
    const dialled = new Set(
      host
        .getConnections()
        .filter((c) => c.direction === 'outbound' && c.status === 'open')
        .map((c) => c.remotePeer.toString()),
    );
    for (const connection of host.getConnections()) {
      const id = connection.remotePeer.toString();
      if (seen.has(id) || connection.status !== 'open' || this.statuses.isIncompatible(id)) continue;
      if (connection.limits !== undefined) continue; // relayed signalling, not a peer yet
      seen.add(id);
      const status = this.statuses.get(id);
      const counts = this.guard.counts(id);
      const info: PeerInfo = {
        id,
        address: connection.remoteAddr.toString(),
        // As the dialer counts: a peer we dialled is outbound, even if it also connected in.
        direction: dialled.has(id) ? 'outbound' : 'inbound',
        score: this.guard.score(id),
        height: status?.height ?? -1,
        tipHash: status?.tipHash ?? '',
        invalid: counts.invalid,
        malleated: counts.malleated,
      };
      if (status?.api) info.api = status.api;
      const listenAddrs = this.book.listenAddrs(id).slice(0, 4);
      if (listenAddrs.length > 0) info.listenAddrs = listenAddrs;
      if (this.guard.isRefused(id)) info.banned = true;
      out.push(info);
    }
    return out;
  }

  /** Tells every peer our status again (e.g. once the HTTP API listens and has an address to tell). */
  announceStatus(): void {
    this.statuses.announceTip(true);
  }

  /** Every peer of the peer store, connected or not, with the dialer's view of it. */
  knownPeers(): Promise<KnownPeer[]> {
    return this.book.knownPeers();
  }

  /** Addresses of compatible peers we completed a handshake with. */
  knownAddrs(): Promise<string[]> {
    return this.book.knownAddrs();
  }

  /** Relay reservations held now (0 without a WebSockets port). */
  relayReservations(): number {
    return this.reservations.count();
  }

  /** Peers in our gossip mesh for a topic (diagnostics: relay needs a mesh). */
  meshPeers(kind: 'blocks' | 'txs'): string[] {
    return this.gossip.meshPeers(kind);
  }

  /** gossipsub's own score of a peer (diagnostics; see src/p2p/gossip-scoring.ts). */
  gossipScore(id: string): number {
    return this.gossip.gossipScore(id);
  }

  // ---------------------------------------------------------------- bans

  /** Bans a peer id, or an IP address, for `seconds`; its connections are closed. */
  ban(idOrIp: string, seconds: number, reason: string): BanInfo {
    return this.guard.ban(idOrIp, seconds, reason);
  }

  /** Lifts a ban by peer id or IP; true if there was one. */
  unban(idOrIp: string): boolean {
    return this.banList.unban(idOrIp);
  }

  /** Active bans, by peer id and by IP. */
  bans(): BanInfo[] {
    return this.banList.list();
  }

  // ---------------------------------------------------------------- gossip, mempool, sync

  async publishBlock(bytes: Uint8Array): Promise<void> {
    await this.gossip.publishBlock(bytes);
  }

  /** Gossips a new transaction (offer known ones again with announceTxs). */
  async publishTx(bytes: Uint8Array): Promise<void> {
    await this.gossip.publishTx(bytes);
  }

  /** Tells every peer of these pending txids; those that lack them fetch them over the mempool exchange. */
  announceTxs(txids: readonly string[]): void {
    this.exchange.announce(txids);
  }

  syncWith(peerId?: string): Promise<{ blocks: number }> {
    return this.syncs.syncWith(peerId);
  }

  syncStatus(): SyncStatus {
    return this.syncs.status();
  }

  // ---------------------------------------------------------------- added topics, peer filter

  /** Subscribes to a topic of this network (protocol.ts: the class topic) with its owner's validator. */
  addTopic(topic: string, onMessage: TopicHandler): void {
    this.topics.add(topic, onMessage);
  }

  publishTopic(topic: string, data: Uint8Array): Promise<void> {
    return this.topics.publish(topic, data);
  }

  /** Signs with this node's libp2p key (its peer id names the public key). */
  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (!this.key) throw new Error('P2PNetwork is not started');
    return await this.key.sign(data);
  }

  /**
   * While `accept` is set, blocks and transactions gossiped by the peers it refuses are ignored (no
   * points, not imported, not relayed), and sync and the mempool exchange neither ask them nor answer
   * them. Every change tells peers our status again and syncs with every peer the filter accepts, so
   * that lifting it lets the network converge on the chain with the most work.
   */
  setPeerFilter(accept: ((peerId: string) => boolean) | null): void {
    if (accept === null && this.peerFilter === null) return;
    this.peerFilter = accept;
    if (!this.host) return;
    this.statuses.announceTip(true);
    void this.syncs
      .syncWith()
      .catch((err: unknown) =>
        this.log.debug(
          { err: err instanceof Error ? err.message : String(err) },
          'sync after a filter change failed',
        ),
      );
  }
}
