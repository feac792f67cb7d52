// P2PNetwork: the node's peer-to-peer layer. It owns the libp2p host and ties together
// gossip (blocks and transactions, validated by the chain before they are relayed), the
// status handshake, headers-first sync, and peer scoring with bans.
import { EventEmitter } from 'node:events';
import { TopicValidatorResult } from '@libp2p/gossipsub';
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { ProtocolError } from './codec.js';
import { blockHashOf } from './header.js';
import { createHost, type Host } from './host.js';
import { generatePeerKey, type PeerKey, parsePeerKey } from './keys.js';
import { HEADER_BYTES, LIMITS, type ProtocolIds, protocolIds } from './protocol.js';
import { type Offence, PeerScores } from './scoring.js';
import { answerStatus, requestStatus } from './status-protocol.js';
import { syncFromPeer } from './sync.js';
import { SyncSession, serveSync } from './sync-protocol.js';
import type {
  BanInfo,
  ChainAccess,
  P2PEvents,
  P2PLogger,
  PeerInfo,
  PeerStatus,
  SyncProgress,
  SyncStatus,
} from './types.js';

export interface P2PNetworkOptions {
  chain: ChainAccess;
  /** Interface to listen on; default 127.0.0.1. */
  listenHost?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Multiaddrs (with /p2p/<id>) dialled at start and re-dialled while disconnected. */
  bootstrap?: string[];
  logger?: P2PLogger;
  /** How long a misbehaving peer stays banned; default 3600. */
  banSeconds?: number;
  /** Persisted identity (see keys.ts), as a key or its serialized bytes; a new one if absent. */
  privateKey?: PeerKey | Uint8Array;
  maxConnections?: number;
  /** How often bootstrap peers are re-dialled when not connected; default 30 s, 0 = never. */
  reconnectMs?: number;
  /** How often the chain tip is checked for changes to announce; default 1 s. */
  tipPollMs?: number;
  /** Blocks per sync request; default 128. */
  syncBatchSize?: number;
}

const silentLogger: P2PLogger = { debug() {}, info() {}, warn() {}, error() {} };
const PROGRESS_LOG_MS = 3000;
const MAX_REMEMBERED_PEERS = 256;

/** Thrown by dial() when the remote runs another network or genesis. */
export class IncompatiblePeerError extends Error {
  constructor(
    readonly peerId: string,
    message: string,
  ) {
    super(message);
    this.name = 'IncompatiblePeerError';
  }
}

/** Addresses worth dialling later: not the unspecified address a peer listens on. */
function isDialable(addr: string): boolean {
  return !addr.startsWith('/ip4/0.0.0.0/') && !addr.startsWith('/ip6/::/');
}

function withPeerId(addr: string, id: string): string {
  return addr.includes('/p2p/') ? addr : `${addr}/p2p/${id}`;
}

/** Bytes that break the protocol (as opposed to a stream that ended or timed out). */
function isMalformed(err: unknown): err is ProtocolError {
  return err instanceof ProtocolError && (err.code === 'malformed' || err.code === 'too-large');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The gossipsub internals forgetSeenMessage() uses: not in its typed API, so checked before use. */
interface GossipsubSeenCache {
  msgIdFn?: (msg: { type: 'unsigned'; topic: string; data: Uint8Array }) => Uint8Array | Promise<Uint8Array>;
  msgIdToStrFn?: (id: Uint8Array) => string;
  seenCache?: { entries?: unknown };
}

/** Makes gossipsub forget it has seen `data` on `topic`, so that publishing it again sends it. */
async function forgetSeenMessage(pubsub: object, topic: string, data: Uint8Array): Promise<void> {
  const { msgIdFn, msgIdToStrFn, seenCache } = pubsub as GossipsubSeenCache;
  const entries = seenCache?.entries;
  if (!msgIdFn || !msgIdToStrFn || !(entries instanceof Map)) return;
  const id = await msgIdFn.call(pubsub, { type: 'unsigned', topic, data });
  entries.delete(msgIdToStrFn.call(pubsub, id));
}

export class P2PNetwork extends EventEmitter<P2PEvents> {
  private readonly chain: ChainAccess;
  private readonly log: P2PLogger;
  private readonly ids: ProtocolIds;
  private readonly scores: PeerScores;
  private readonly banMs: number;
  private host?: Host;
  private id?: string;
  private stopController = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];

  /** Peers that passed the handshake, with their latest status. */
  private readonly statuses = new Map<string, PeerStatus>();
  private readonly handshakes = new Map<string, Promise<PeerStatus>>();
  /** Peers of another network/genesis: not dialled or accepted until this time. */
  private readonly incompatible = new Map<string, number>();
  /** Addresses of compatible peers, for knownAddrs(). */
  private readonly goodAddrs = new Map<string, Set<string>>();
  private readonly listenAddrsOf = new Map<string, string[]>();
  /** Peer ids of bootstrap addresses given without /p2p/, once dialled. */
  private readonly bootstrapIds = new Map<string, string>();

  private syncQueue: Promise<unknown> = Promise.resolve();
  private readonly pendingSync = new Set<string>();
  /** Tip each peer announced when we last auto-synced from it: do not retry the same claim. */
  private readonly autoSyncedTip = new Map<string, string>();
  private syncingWith?: string;
  private lastProgressLog = 0;
  private announcedTip = '';
  private announcing = false;

  constructor(private readonly opts: P2PNetworkOptions) {
    super();
    this.chain = opts.chain;
    this.log = opts.logger ?? silentLogger;
    this.ids = protocolIds(opts.chain.network);
    this.banMs = (opts.banSeconds ?? 3600) * 1000;
    this.scores = new PeerScores(this.banMs);
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.host) return;
    this.stopController = new AbortController();
    const key = this.opts.privateKey;
    const privateKey =
      key === undefined ? await generatePeerKey() : key instanceof Uint8Array ? parsePeerKey(key) : key;
    const host = await createHost({
      privateKey,
      listenHost: this.opts.listenHost ?? '127.0.0.1',
      port: this.opts.port ?? 0,
      ids: this.ids,
      maxConnections: this.opts.maxConnections,
      gater: {
        denyDialPeer: (peer) => this.isRefused(peer.toString()),
        denyInboundEncryptedConnection: (peer) => this.isRefused(peer.toString()),
        denyOutboundEncryptedConnection: (peer) => this.isRefused(peer.toString()),
      },
    });
    this.host = host;
    this.id = host.peerId.toString();

    host.addEventListener('peer:connect', (evt) => this.onConnect(evt.detail));
    host.addEventListener('peer:disconnect', (evt) => this.onDisconnect(evt.detail.toString()));
    host.addEventListener('peer:identify', (evt) => {
      // Identify tells us where an inbound peer listens (its source port is ephemeral).
      const id = evt.detail.peerId.toString();
      const addrs = evt.detail.listenAddrs.map((a) => a.toString()).filter(isDialable);
      this.listenAddrsOf.set(id, addrs);
      if (this.statuses.has(id)) for (const a of addrs) this.remember(id, withPeerId(a, id));
    });

    await host.handle(this.ids.status, (stream, connection) => this.onStatusStream(stream, connection), {
      maxInboundStreams: 4,
    });
    await host.handle(this.ids.sync, (stream, connection) => this.onSyncStream(stream, connection), {
      maxInboundStreams: 8,
    });

    const pubsub = host.services.pubsub;
    pubsub.topicValidators.set(this.ids.blocksTopic, (peer, msg) =>
      this.validateBlock(peer.toString(), msg.data),
    );
    pubsub.topicValidators.set(this.ids.txsTopic, (peer, msg) => this.validateTx(peer.toString(), msg.data));
    pubsub.subscribe(this.ids.blocksTopic);
    pubsub.subscribe(this.ids.txsTopic);

    this.announcedTip = this.chain.tip().hash;
    this.timers.push(setInterval(() => this.checkTip(), this.opts.tipPollMs ?? 1000));
    const reconnectMs = this.opts.reconnectMs ?? 30_000;
    if (reconnectMs > 0) this.timers.push(setInterval(() => this.dialBootstrap(), reconnectMs));
    for (const timer of this.timers) timer.unref();

    this.log.info({ peerId: this.peerId, addrs: this.addrs(), network: this.chain.network }, 'p2p listening');
    this.dialBootstrap();
  }

  async stop(): Promise<void> {
    const host = this.host;
    if (!host) return;
    this.stopController.abort(new Error('p2p network stopping'));
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.host = undefined;
    await host.stop();
    await this.syncQueue.catch(() => {});
    this.statuses.clear();
    this.handshakes.clear();
    this.pendingSync.clear();
    this.log.info('p2p stopped');
  }

  private get started(): Host {
    if (!this.host) throw new Error('P2PNetwork is not started');
    return this.host;
  }

  /** Our peer id; available from start() on (and still after stop()). */
  get peerId(): string {
    if (this.id === undefined) throw new Error('P2PNetwork is not started');
    return this.id;
  }

  /** Our full multiaddrs, each ending in /p2p/<peerId>. */
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
    await this.connectTo(addr);
  }

  /** dial(), resolving with the peer id. */
  private async connectTo(addr: string): Promise<string> {
    const host = this.started;
    const ma = multiaddr(addr);
    const connection = await host.dial(ma, { signal: AbortSignal.timeout(10_000) });
    const status = await this.handshake(connection.remotePeer);
    if (!this.isCompatible(status)) {
      throw new IncompatiblePeerError(
        connection.remotePeer.toString(),
        `peer runs ${status.network} with genesis ${status.genesisHash}`,
      );
    }
    const id = connection.remotePeer.toString();
    this.remember(id, withPeerId(addr, id));
    return id;
  }

  private dialBootstrap(): void {
    const host = this.host;
    if (!host) return;
    const connected = new Set(host.getPeers().map((p) => p.toString()));
    for (const addr of this.opts.bootstrap ?? []) {
      const id = addr.split('/p2p/')[1] ?? this.bootstrapIds.get(addr);
      if (id !== undefined && (connected.has(id) || this.isRefused(id) || id === this.peerId)) continue;
      this.connectTo(addr).then(
        (peer) => this.bootstrapIds.set(addr, peer),
        (err) => this.log.debug({ addr, err: errorText(err) }, 'bootstrap dial failed'),
      );
    }
  }

  private onConnect(peer: PeerId): void {
    const id = peer.toString();
    if (this.isRefused(id)) {
      void this.hangUp(id);
      return;
    }
    this.handshake(peer).catch(() => {});
  }

  private onDisconnect(id: string): void {
    const had = this.statuses.delete(id);
    this.listenAddrsOf.delete(id);
    this.handshakes.delete(id);
    this.pendingSync.delete(id);
    if (had) {
      this.log.info({ peer: id }, 'peer disconnected');
      this.emit('peer:disconnect', id);
    }
  }

  private connectionOf(id: string): Connection | undefined {
    return this.host?.getConnections().find((c) => c.remotePeer.toString() === id && c.status === 'open');
  }

  private async hangUp(id: string): Promise<void> {
    const host = this.host;
    if (!host) return;
    for (const connection of host.getConnections()) {
      if (connection.remotePeer.toString() !== id) continue;
      await host.hangUp(connection.remotePeer).catch(() => {});
      return;
    }
  }

  private isRefused(id: string): boolean {
    if (this.scores.isBanned(id)) return true;
    const until = this.incompatible.get(id);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.incompatible.delete(id);
    return false;
  }

  private remember(id: string, addr: string): void {
    let set = this.goodAddrs.get(id);
    if (!set) {
      if (this.goodAddrs.size >= MAX_REMEMBERED_PEERS) {
        const oldest = this.goodAddrs.keys().next().value;
        if (oldest !== undefined) this.goodAddrs.delete(oldest);
      }
      set = new Set();
      this.goodAddrs.set(id, set);
    }
    set.add(addr);
  }

  peers(): PeerInfo[] {
    const host = this.host;
    if (!host) return [];
    const seen = new Set<string>();
    const out: PeerInfo[] = [];
    for (const connection of host.getConnections()) {
      const id = connection.remotePeer.toString();
      if (seen.has(id) || connection.status !== 'open' || this.incompatible.has(id)) continue;
      seen.add(id);
      const status = this.statuses.get(id);
      const counts = this.scores.counts(id);
      const info: PeerInfo = {
        id,
        address: connection.remoteAddr.toString(),
        direction: connection.direction,
        score: this.scores.score(id),
        height: status?.height ?? -1,
        tipHash: status?.tipHash ?? '',
        invalid: counts.invalid,
        malleated: counts.malleated,
      };
      if (this.scores.isBanned(id)) info.banned = true;
      out.push(info);
    }
    return out;
  }

  /** Addresses of compatible peers we have talked to: worth saving for the next start. */
  knownAddrs(): string[] {
    const out = new Set<string>();
    for (const [id, addrs] of this.goodAddrs) {
      if (!this.isRefused(id)) for (const a of addrs) out.add(a);
    }
    return [...out];
  }

  /** Active bans (peer id, reason, until). */
  bans(): BanInfo[] {
    return this.scores.bans();
  }

  /** Peers in our gossip mesh for a topic (diagnostics: relay needs a mesh). */
  meshPeers(kind: 'blocks' | 'txs'): string[] {
    const host = this.host;
    if (!host) return [];
    const topic = kind === 'blocks' ? this.ids.blocksTopic : this.ids.txsTopic;
    return (host.services.pubsub as unknown as { getMeshPeers(topic: string): string[] }).getMeshPeers(topic);
  }

  // ---------------------------------------------------------------- scoring

  private penalize(id: string, offence: Offence, reason: string): void {
    const { score, shouldBan } = this.scores.penalize(id, offence);
    this.log.debug({ peer: id, offence, reason, score }, 'peer penalized');
    if (shouldBan) this.ban(id, `${offence}: ${reason}`);
  }

  private ban(id: string, reason: string): void {
    const info = this.scores.ban(id, reason);
    this.log.warn({ peer: id, reason, until: new Date(info.until).toISOString() }, 'peer banned');
    this.emit('peer:banned', info);
    void this.hangUp(id);
  }

  // ---------------------------------------------------------------- status handshake

  private ourStatus(): PeerStatus {
    const tip = this.chain.tip();
    return {
      network: this.chain.network,
      genesisHash: this.chain.genesisHash,
      height: tip.height,
      tipHash: tip.hash,
      chainWork: tip.chainWork,
    };
  }

  private isCompatible(status: PeerStatus): boolean {
    return status.network === this.chain.network && status.genesisHash === this.chain.genesisHash;
  }

  /** Exchanges status with `peer` (once at a time per peer). */
  private handshake(peer: PeerId): Promise<PeerStatus> {
    const id = peer.toString();
    const running = this.handshakes.get(id);
    if (running) return running;
    // async so that even a synchronous failure (stopped meanwhile) becomes a rejection
    const exchange = (async () =>
      requestStatus(this.started, peer, this.ids.status, this.ourStatus(), this.stopController.signal))()
      .then((status) => {
        this.onStatus(id, status);
        return status;
      })
      .catch((err) => {
        if (isMalformed(err)) this.penalize(id, 'malformedFrame', `status: ${err.message}`);
        if (err instanceof Error && err.name === 'UnsupportedProtocolError') {
          // Protocol names carry the network name: the peer runs another network.
          this.markIncompatible(id);
          void this.hangUp(id);
          throw new IncompatiblePeerError(id, `peer does not speak ${this.ids.status} (another network?)`);
        }
        // A peer that cannot do the handshake (another network has other protocol names) is of no use.
        if (!this.statuses.has(id)) {
          this.log.debug({ peer: id, err: errorText(err) }, 'status handshake failed; disconnecting');
          void this.hangUp(id);
        }
        throw err;
      })
      .finally(() => this.handshakes.delete(id));
    this.handshakes.set(id, exchange);
    return exchange;
  }

  private async onStatusStream(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    try {
      const status = await answerStatus(stream, () => this.ourStatus(), this.stopController.signal);
      this.onStatus(id, status);
    } catch (err) {
      if (isMalformed(err)) this.penalize(id, 'malformedFrame', `status: ${err.message}`);
      this.log.debug({ peer: id, err: errorText(err) }, 'inbound status failed');
    }
  }

  /** Keeps a peer of another network/genesis away for a while (not a ban: it did nothing wrong). */
  private markIncompatible(id: string): void {
    this.incompatible.set(id, Date.now() + Math.min(this.banMs, 600_000));
    this.statuses.delete(id);
    this.goodAddrs.delete(id);
  }

  private onStatus(id: string, status: PeerStatus): void {
    if (!this.isCompatible(status)) {
      this.markIncompatible(id);
      this.log.info(
        { peer: id, network: status.network, genesis: status.genesisHash },
        'peer is on another network or genesis; disconnecting',
      );
      // Let our answer reach the peer before the connection goes.
      setTimeout(() => void this.hangUp(id), 100).unref();
      return;
    }
    const isNew = !this.statuses.has(id);
    this.statuses.set(id, status);
    if (isNew) {
      const connection = this.connectionOf(id);
      if (connection?.direction === 'outbound')
        this.remember(id, withPeerId(connection.remoteAddr.toString(), id));
      for (const a of this.listenAddrsOf.get(id) ?? []) this.remember(id, withPeerId(a, id));
      const info = this.peers().find((p) => p.id === id);
      this.log.info({ peer: id, height: status.height, address: info?.address }, 'peer connected');
      if (info) this.emit('peer:connect', info);
    }
    if (status.chainWork > this.chain.tip().chainWork && this.autoSyncedTip.get(id) !== status.tipHash) {
      this.requestSync(id, status.tipHash);
    }
  }

  /** Announces our tip to every peer when it changed (their answers refresh theirs). */
  private checkTip(): void {
    const host = this.host;
    if (!host || this.announcing) return;
    const tip = this.chain.tip().hash;
    if (tip === this.announcedTip) return;
    this.announcedTip = tip;
    this.announcing = true;
    const peers = host.getConnections().filter((c) => this.statuses.has(c.remotePeer.toString()));
    const unique = new Map(peers.map((c) => [c.remotePeer.toString(), c.remotePeer]));
    Promise.allSettled([...unique.values()].map((peer) => this.handshake(peer))).finally(() => {
      this.announcing = false;
    });
  }

  // ---------------------------------------------------------------- gossip

  async publishBlock(bytes: Uint8Array): Promise<void> {
    await this.started.services.pubsub.publish(this.ids.blocksTopic, bytes);
    this.checkTip();
  }

  /**
   * Publishes a transaction, also one that was gossiped before: the transactions of blocks abandoned
   * in a reorganisation are offered again, and gossipsub silently drops a publish of a message it has
   * seen in the last two minutes (its seen-cache TTL), which they almost always are.
   */
  async publishTx(bytes: Uint8Array): Promise<void> {
    const pubsub = this.started.services.pubsub;
    await forgetSeenMessage(pubsub, this.ids.txsTopic, bytes);
    await pubsub.publish(this.ids.txsTopic, bytes);
  }

  /** Gossip validation: runs before gossipsub relays a block; Accept relays, Reject penalizes. */
  private async validateBlock(from: string, data: Uint8Array): Promise<TopicValidatorResult> {
    try {
      if (data.length < HEADER_BYTES || data.length > LIMITS.maxBlockBytes) {
        this.penalize(from, 'malformedFrame', `gossiped block of ${data.length} bytes`);
        return TopicValidatorResult.Reject;
      }
      if (this.incompatible.has(from)) return TopicValidatorResult.Ignore;
      if (this.chain.hasBlock(blockHashOf(data))) return TopicValidatorResult.Ignore;
      const result = await this.chain.submitBlock(data, from);
      switch (result.status) {
        case 'accepted':
          this.checkTip();
          return TopicValidatorResult.Accept;
        case 'duplicate':
          return TopicValidatorResult.Ignore;
        case 'orphan':
          // We miss its ancestors: ask the sender for them.
          this.requestSync(from);
          return TopicValidatorResult.Ignore;
        case 'invalid':
          if (result.malleated) {
            this.scores.noteMalleated(from);
            return TopicValidatorResult.Ignore;
          }
          this.penalize(from, 'invalidBlock', result.code ?? result.message ?? 'invalid block');
          return TopicValidatorResult.Reject;
      }
    } catch (err) {
      this.log.error({ peer: from, err: errorText(err) }, 'block validation failed');
      return TopicValidatorResult.Ignore;
    }
  }

  private async validateTx(from: string, data: Uint8Array): Promise<TopicValidatorResult> {
    try {
      if (data.length === 0 || data.length > LIMITS.maxTxBytes) {
        this.penalize(from, 'malformedFrame', `gossiped tx of ${data.length} bytes`);
        return TopicValidatorResult.Reject;
      }
      if (this.incompatible.has(from)) return TopicValidatorResult.Ignore;
      const result = await this.chain.submitTx(data, from);
      switch (result.status) {
        case 'accepted':
          return TopicValidatorResult.Accept;
        case 'duplicate':
        case 'orphan':
          return TopicValidatorResult.Ignore;
        case 'invalid':
          if (result.malleated) {
            this.scores.noteMalleated(from);
            return TopicValidatorResult.Ignore;
          }
          this.penalize(from, 'invalidTx', result.code ?? result.message ?? 'invalid tx');
          return TopicValidatorResult.Reject;
      }
    } catch (err) {
      this.log.error({ peer: from, err: errorText(err) }, 'tx validation failed');
      return TopicValidatorResult.Ignore;
    }
  }

  // ---------------------------------------------------------------- sync

  private async onSyncStream(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    try {
      await serveSync(stream, this.chain, this.stopController.signal);
    } catch (err) {
      if (isMalformed(err)) this.penalize(id, 'malformedFrame', `sync request: ${err.message}`);
      this.log.debug({ peer: id, err: errorText(err) }, 'sync request failed');
    }
  }

  /** Queues an automatic sync with `id` unless one is already queued. */
  private requestSync(id: string, claimedTip?: string): void {
    if (this.pendingSync.has(id) || !this.host) return;
    if (claimedTip !== undefined) this.autoSyncedTip.set(id, claimedTip);
    this.pendingSync.add(id);
    this.exclusive(() => this.syncOnce(id)).catch((err) =>
      this.log.warn({ peer: id, err: errorText(err) }, 'sync failed'),
    );
  }

  /** Runs sync rounds one at a time: two rounds at once would only fetch the same blocks twice. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.syncQueue.then(task, task);
    this.syncQueue = run.catch(() => {});
    return run;
  }

  /**
   * One headers-first sync round with one peer, or with every peer (most work first).
   * Resolves with the number of blocks the chain accepted.
   */
  async syncWith(peerId?: string): Promise<{ blocks: number }> {
    if (!this.host) throw new Error('P2PNetwork is not started');
    const targets =
      peerId !== undefined
        ? [peerId]
        : [...this.statuses.entries()]
            .sort((a, b) => (b[1].chainWork > a[1].chainWork ? 1 : -1))
            .map(([id]) => id);
    let blocks = 0;
    for (const id of targets) blocks += await this.exclusive(() => this.syncOnce(id));
    return { blocks };
  }

  private async syncOnce(id: string): Promise<number> {
    this.pendingSync.delete(id);
    const connection = this.connectionOf(id);
    const host = this.host;
    if (!host || !connection || this.isRefused(id)) return 0;
    this.syncingWith = id;
    const started = Date.now();
    const startHeight = this.chain.tip().height;
    this.log.debug({ peer: id, height: startHeight }, 'sync round started');
    const session = new SyncSession(connection, this.ids.sync, this.stopController.signal);
    try {
      const result = await syncFromPeer({
        chain: this.chain,
        source: session,
        batchSize: this.opts.syncBatchSize,
        signal: this.stopController.signal,
        onProgress: (blocks) => this.reportProgress(id, blocks),
      });
      if (result.malleated) this.scores.noteMalleated(id);
      if (result.offence) this.penalize(id, result.offence, result.reason ?? 'sync');
      const level = result.blocks > 0 ? 'info' : 'debug';
      this.log[level](
        {
          peer: id,
          blocks: result.blocks,
          height: this.chain.tip().height,
          ms: Date.now() - started,
          stopped: result.reason,
        },
        'sync round finished',
      );
      if (result.blocks > 0) this.checkTip();
      return result.blocks;
    } finally {
      this.syncingWith = undefined;
      await session.close();
    }
  }

  private reportProgress(peer: string, blocks: number): void {
    const status: SyncProgress = { ...this.syncStatus(), peer, blocks };
    this.emit('sync:progress', status);
    const now = Date.now();
    if (now - this.lastProgressLog >= PROGRESS_LOG_MS) {
      this.lastProgressLog = now;
      this.log.info(
        {
          peer,
          height: status.ourHeight,
          peerHeight: status.peerHeight,
          percent: Math.floor(status.progress * 1000) / 10,
        },
        `syncing ${progressBar(status.progress)} ${status.ourHeight}/${status.peerHeight}`,
      );
    }
  }

  syncStatus(): SyncStatus {
    const ourHeight = this.chain.tip().height;
    let peerHeight = ourHeight;
    for (const status of this.statuses.values()) peerHeight = Math.max(peerHeight, status.height);
    const progress = peerHeight <= 0 ? 1 : Math.min(1, ourHeight / peerHeight);
    return { syncing: this.syncingWith !== undefined, peerHeight, ourHeight, progress };
  }
}

/** A text progress bar for log lines: `[########------------] 40.0%`. */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const done = Math.round(f * width);
  return `[${'#'.repeat(done)}${'-'.repeat(width - done)}] ${(f * 100).toFixed(1)}%`;
}
