// The composition root: creates the store, chain, mempool, miner, network and HTTP server, wires their
// events, and owns every timer, socket and file handle. Nothing below it starts anything on its own.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { ApiError } from '../api/api-error.js';
import type { ApiContext, ClassroomPort } from '../api/context.js';
import { buildServer } from '../api/server.js';
import { Chain, type ProcessResult } from '../chain/chain.js';
import type { Block } from '../core/block.js';
import { equalBytes, toHex } from '../core/bytes.js';
import { networkTag, networkWithId } from '../core/network-id.js';
import { getNetwork, type NetworkParams } from '../core/params.js';
import type { Tx } from '../core/tx.js';
import { decodeAddress, encodeAddress } from '../crypto/address.js';
import { FeeOracle } from '../mempool/fee-oracle.js';
import { Mempool, type MempoolEntry } from '../mempool/mempool.js';
import { Miner } from '../miner/miner.js';
import { NonceSearcher } from '../miner/nonce-search.js';
import { createNodeHost } from '../p2p/host-node.js';
import { loadOrCreatePeerKey, P2PNetwork, resolveHttpPeer } from '../p2p/index.js';
import type { ChainStore } from '../store/store.js';
import { VERSION } from '../version.js';
import { WalletError } from '../wallet/errors.js';
import { activityWallets, payAtRandom } from './activity.js';
import { anchorStore, banStore, chainAccess } from './chain-access.js';
import { NodeClassroom } from './classroom.js';
import type { NodeConfig } from './config.js';
import { limitHeapGrowth } from './heap-growth.js';
import { type HttpPeerState, HttpPeers } from './http-peers.js';
import { openStore } from './level-store.js';
import { LevelPeerDatastore } from './libp2p-datastore.js';
import { installNodeCrypto } from './native-crypto.js';
import { loadOrCreateNodeWallet, type NodeWallet } from './node-wallet.js';
import { SignatureVerifierPool } from './verifier.js';
import { spendableCoins, spendFromWallet, type WalletSpend } from './wallet-spend.js';

export class HashlineNode {
  readonly params: NetworkParams;
  readonly log: Logger;
  /** http URLs registered through --peer or the tutorials' /nodes/register, kept across restarts. */
  readonly httpPeers: HttpPeers;
  /** The HTTP server, once listening. */
  api: FastifyInstance | undefined;
  /** Setup warnings seen at run time, logged once each and shown in the operator's status. */
  readonly warnings: string[] = [];
  /** Fee estimates for the API and the wallets. */
  readonly fees: FeeOracle;
  /** The class this node teaches, for /api/v1/class: set by `hashline classroom` once the class runs. */
  classroomApi: ClassroomPort | undefined;
  /** The class this node is a member of (NodeConfig.classroom), and on the teacher's node the teacher. */
  classroom: NodeClassroom | undefined;

  private constructor(
    readonly config: NodeConfig,
    readonly store: ChainStore,
    readonly chain: Chain,
    readonly mempool: Mempool,
    readonly miner: Miner,
    readonly searcher: NonceSearcher,
    readonly wallet: NodeWallet,
    readonly p2p: P2PNetwork,
    readonly verifier: SignatureVerifierPool,
    log: Logger,
  ) {
    this.params = chain.params;
    this.log = log;
    this.fees = new FeeOracle({ chain, store: store.blocks, mempool });
    this.httpPeers = new HttpPeers({
      resolve: (url) => resolveHttpPeer(url),
      dial: (addr) => p2p.dial(addr),
      connectedPeerIds: () => p2p.peers().map((p) => p.id),
      load: async () => (await store.meta.httpPeers.get()) ?? [],
      save: (urls) => store.meta.httpPeers.put([...urls]),
      log: log.child({ module: 'http-peers' }),
    });
  }

  static async start(config: NodeConfig): Promise<HashlineNode> {
    // Native SHA-256 and Ed25519 for the whole process, before the id network's genesis nonce is
    // found by hashing and before the chain opens.
    installNodeCrypto();
    limitHeapGrowth();
    const params =
      config.networkId === undefined
        ? getNetwork(config.network)
        : networkWithId(getNetwork(config.network), config.networkId);
    // Off the block path: JSON lines go out through an asynchronous stdout writer (pino flushes it at
    // exit), pretty ones through pino-pretty's worker thread; a synchronous write per block was measurable.
    const log = config.prettyLogs
      ? pino({
          level: config.logLevel,
          transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } },
        })
      : pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: false }));
    // The directory holds the node wallet's key and the API token: its owner's only.
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(config.dataDir, 0o700);
    const mb = config.coinsCacheMb;
    const store = await openStore(join(config.dataDir, 'chain'), {
      coinsCacheBytes: mb === undefined ? undefined : mb * 1024 * 1024,
    });
    let verifier: SignatureVerifierPool | undefined;
    try {
      verifier = new SignatureVerifierPool();
      verifier.start();
      const verify = verifier.asChainVerifier();
      const opening = performance.now();
      const chain = await Chain.open({ store, params, verifySignatures: verify });
      const openMs = Math.round(performance.now() - opening);
      const mempool = new Mempool({ chain, store, minFeeRate: config.minFeeRate, verifySignatures: verify });
      const wallet = loadOrCreateNodeWallet(config.dataDir, params);
      const minerAddress = config.minerAddress
        ? decodeAddress(params.addressPrefix, config.minerAddress)
        : wallet.addressHash;
      const searcher = new NonceSearcher({ threads: config.threads || availableParallelism() });
      const miner = new Miner({
        chain,
        mempool,
        searcher,
        address: minerAddress,
        coinbaseText: `hashline ${VERSION}`,
      });
      const peerKey = await loadOrCreatePeerKey(join(config.dataDir, 'p2p-key'));
      // Known once the HTTP server listens (its port may be chosen then).
      let apiUrl: () => string | undefined = () => undefined;
      const p2p = new P2PNetwork({
        chain: chainAccess(chain, mempool),
        createHost: createNodeHost,
        apiUrl: () => apiUrl(),
        listenHost: config.p2pHost,
        port: config.p2pPort,
        announce: [...(config.announce ?? [])],
        wsPort: config.wsPort,
        relayReservations: config.relayReservations,
        maxConnections: config.maxConnections,
        mdns: config.mdns ?? false,
        minPeers: config.minPeers,
        bootstrap: config.peers.filter((p) => p.startsWith('/')),
        logger: log.child({ module: 'p2p' }),
        banSeconds: config.banSeconds,
        banStore: banStore(store.meta),
        anchorStore: anchorStore(store.meta),
        localSubnets: [...(config.localSubnets ?? [])],
        datastore: new LevelPeerDatastore(store.libp2p),
        privateKey: peerKey,
      });
      const node = new HashlineNode(
        config,
        store,
        chain,
        mempool,
        miner,
        searcher,
        wallet,
        p2p,
        verifier,
        log,
      );
      try {
        await node.boot(openMs);
        node.api = await buildServer(node.apiContext(), {
          host: config.host,
          token: writeCookie(config.dataDir, config.apiToken),
          allowHosts: config.allowHosts ?? [],
          corsOrigins: config.corsOrigins ?? [],
          web: config.web,
          limits: config.httpLimits,
          requireToken: config.requireToken ?? false,
          trustProxy: config.trustProxy ?? [],
          onWarning: (message) => {
            node.warnings.push(message);
            log.warn(message);
          },
        });
        await node.api.listen({ host: config.host, port: config.port });
        // Behind a wildcard bind, which address peers reach is unknown: tell none.
        apiUrl = () => (config.host === '0.0.0.0' || config.host === '::' ? undefined : node.url());
        p2p.announceStatus();
        node.startClassroom(minerAddress);
      } catch (e) {
        await node.stop();
        throw e;
      }
      return node;
    } catch (e) {
      // Its threads would keep a refused start's process alive.
      await verifier?.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      throw e;
    }
  }

  /** `openMs`: how long opening the chain took (with any replay of blocks after a crash). */
  private async boot(openMs: number): Promise<void> {
    const { log, chain, mempool, miner } = this;
    mempool.on('error', (e) => log.error({ err: e.message }, 'mempool store error'));
    const loaded = await mempool.load();
    log.info(
      { verifier: this.verifier.implementation, skipped: this.verifier.skipped },
      `signatures verified with ${this.verifier.implementation}`,
    );
    log.info(
      {
        network: networkTag(this.params),
        height: chain.height,
        tip: chain.tip.hashHex,
        mempool: loaded,
        replayed: chain.replayedOnOpen,
        openMs,
      },
      'chain loaded',
    );
    chain.on('connect', (entry, block) => {
      // All in the message: the pretty log would print a field object over several lines per block.
      log.info(`block connected: height ${entry.height} ${entry.hashHex} txs ${block.txs.length}`);
    });
    chain.on('reorg', (e) => {
      log.warn(
        {
          fork: e.fork.height,
          oldTip: e.oldTip.hashHex,
          newTip: e.newTip.hashHex,
          disconnected: e.disconnected.length,
        },
        'chain reorganised',
      );
    });
    chain.on('invalid', (hash, error) =>
      log.warn({ hash, code: error.code }, `rejected block: ${error.message}`),
    );
    miner.on('error', (e) => log.error({ err: e.message }, 'miner error'));
    // The network layer passes them on (p2p/relay.ts decides what goes to peers and how).
    mempool.on('restored', (entries) => {
      log.info({ count: entries.length }, 'transactions of abandoned blocks are back in the mempool');
    });

    await this.httpPeers.load(this.config.peers.filter((p) => !p.startsWith('/')));
    await this.p2p.start();
    this.httpPeers.tick();
    // http peers that were down at start (or restarted since) are tried again, each with its backoff.
    this.timers.push(setInterval(() => this.httpPeers.tick(), 5_000).unref());
    // The wallet's own payments are offered again until a block confirms them.
    this.timers.push(setInterval(() => this.announceWalletTxs(), WALLET_REANNOUNCE_MS).unref());
    if (this.config.mine) miner.start();
    if (this.config.mineInterval) {
      const every = this.config.mineInterval * 1000;
      this.timers.push(setInterval(() => this.scheduledMine(), every).unref());
    }
    if (this.config.activity) {
      const wallets = activityWallets(this.wallet, this.params);
      const every = Math.max(1, Math.round(60_000 / this.config.activity));
      this.timers.push(setInterval(() => this.activityTick(wallets), every).unref());
    }
    this.timers.push(
      setInterval(() => {
        if (miner.mining)
          log.info(
            `mining: ${Math.round(miner.hashRate())} H/s on ${miner.threads} threads, height ${chain.height}`,
          );
      }, 30_000).unref(),
    );
  }

  /** Joins the class of NodeConfig.classroom, if any, once the network runs. */
  private startClassroom(minerAddress: Uint8Array): void {
    const config = this.config.classroom;
    if (!config) return;
    this.classroom = new NodeClassroom(
      {
        chain: this.chain,
        miner: this.miner,
        net: this.p2p,
        network: networkTag(this.params),
        log: this.log,
        address: encodeAddress(this.params.addressPrefix, minerAddress),
        addressHash: minerAddress,
        setMining: (on, intervalSeconds) => this.setMining(on, intervalSeconds),
        isMining: () => this.isMining(),
      },
      config,
    );
    this.classroom.start();
  }

  private classMineTimer: NodeJS.Timeout | undefined;

  /** Mining as the class says: continuously (interval 0), one block per `intervalSeconds`, or none. */
  setMining(on: boolean, intervalSeconds: number): void {
    if (this.classMineTimer) clearInterval(this.classMineTimer);
    this.classMineTimer = undefined;
    if (!on || intervalSeconds > 0) void this.miner.stop();
    if (!on || this.stopping.signal.aborted) return;
    if (intervalSeconds === 0) this.miner.start();
    else this.classMineTimer = setInterval(() => this.scheduledMine(), intervalSeconds * 1000).unref();
  }

  /** Mining continuously, or on a schedule (--mine-interval, or the class's interval). */
  isMining(): boolean {
    return this.miner.mining || this.classMineTimer !== undefined || this.config.mineInterval !== undefined;
  }

  private readonly timers: NodeJS.Timeout[] = [];
  /** Aborts a scheduled mine or an activity payment under way when the node stops. */
  private readonly stopping = new AbortController();
  private scheduledMining: Promise<unknown> | undefined;
  private activityBusy: Promise<void> | undefined;

  /** --mine-interval: one block per tick; a tick while the last block is still searched for is skipped. */
  private scheduledMine(): void {
    if (this.scheduledMining || this.stopping.signal.aborted) return;
    this.scheduledMining = this.miner
      .mineOne({ signal: this.stopping.signal })
      .catch((e: unknown) => this.log.error({ err: (e as Error).message }, 'scheduled mining failed'))
      .finally(() => {
        this.scheduledMining = undefined;
      });
  }

  /** --activity: one random payment between the node's wallets (planPayment), logged at debug. */
  private activityTick(wallets: readonly NodeWallet[]): void {
    if (this.activityBusy || this.stopping.signal.aborted) return;
    this.activityBusy = this.payAtRandom(wallets).finally(() => {
      this.activityBusy = undefined;
    });
  }

  private payAtRandom(wallets: readonly NodeWallet[]): Promise<void> {
    return payAtRandom({
      wallets,
      minFeeRate: this.mempool.minFeeRate,
      coinsOf: (w) => spendableCoins(this, w),
      pay: (w, spend) => this.spendFrom(w, spend),
      log: this.log.child({ module: 'activity' }),
    });
  }

  /** Dials the libp2p addresses an http node publishes in its status. */
  connectHttpPeer(url: string): Promise<boolean> {
    return this.httpPeers.connect(url);
  }

  /** Adds http URLs (kept across restarts) and tries each; resolves with their states. */
  registerHttpPeers(urls: readonly string[]): Promise<HttpPeerState[]> {
    return this.httpPeers.register(urls);
  }

  /** Removes a registered http URL (and saves the list); true if it was registered. */
  removeHttpPeer(url: string): Promise<boolean> {
    return this.httpPeers.remove(url);
  }

  /** Each registered http URL: connected peer id, failures, last error, next attempt. */
  httpPeerStates(): HttpPeerState[] {
    return this.httpPeers.states();
  }

  /** Txids of pending transactions that spend the node wallet's coins. */
  walletPendingTxids(): string[] {
    const own = this.wallet.addressHash;
    return this.mempool
      .touching(toHex(own))
      .filter((e) => e.spent.some((coin) => equalBytes(coin.address, own)))
      .map((e) => e.txidHex);
  }

  private announceWalletTxs(): void {
    const txids = this.walletPendingTxids();
    if (txids.length > 0) this.p2p.announceTxs(txids);
  }

  /** Accepts a transaction from the API into the mempool (the network layer relays it). Throws RuleError. */
  submitTx(tx: Tx | Uint8Array): Promise<MempoolEntry> {
    return this.mempool.add(tx, 'local');
  }

  /**
   * Pays from the node's own wallet (the tutorials' unsigned transaction): confirmed mature coins and
   * unconfirmed change, signed with the node key. Throws WalletError (insufficient funds, bad address).
   */
  sendFromNodeWallet(opts: {
    recipient: string;
    amount: bigint;
    feeRate?: bigint;
    data?: string;
  }): Promise<MempoolEntry> {
    return this.spendFrom(this.wallet, opts);
  }

  /** Pays from one of the node's wallets (see sendFromNodeWallet). */
  private spendFrom(wallet: NodeWallet, spend: WalletSpend): Promise<MempoolEntry> {
    return spendFromWallet(this, wallet, spend);
  }

  /** What the HTTP API may see and do (src/api never imports this module). */
  apiContext(): ApiContext {
    const { p2p } = this;
    return {
      params: this.params,
      chain: this.chain,
      explorer: this.chain.indexer,
      mempool: this.mempool,
      coinsCache: this.store.coins.cache,
      submitter: {
        submitTx: (bytes) => this.submitTx(bytes),
        submitBlock: (bytes) => this.submitBlock(bytes),
      },
      miner: this.miner,
      mining: this.searcher,
      nodeWallet: {
        address: this.wallet.address,
        // The wallet's refusals (not enough coins…) are the caller's 400, with the wallet's code.
        send: (spend) =>
          this.sendFromNodeWallet(spend).catch((e: unknown) => {
            throw e instanceof WalletError ? new ApiError(400, e.code, e.message) : e;
          }),
      },
      network: {
        get peerId() {
          return p2p.peerId;
        },
        addrs: () => p2p.addrs(),
        peers: () => p2p.peers(),
        syncStatus: () => p2p.syncStatus(),
        dial: (addr) => p2p.dial(addr),
        httpPeers: () => this.httpPeers.urls(),
        givenPeers: () =>
          this.config.peers.filter((p) => p.startsWith('/')).length + this.httpPeers.urls().length,
        registerHttpPeers: (urls) => this.registerHttpPeers(urls),
        resolve: async () => {
          for (const url of this.httpPeers.urls()) await this.connectHttpPeer(url);
          await p2p.syncWith().catch(() => ({ blocks: 0 }));
        },
        knownPeers: () => p2p.knownPeers(),
        httpPeerStates: () => this.httpPeerStates(),
        removeHttpPeer: (url) => this.removeHttpPeer(url),
        removePeer: async (id) => {
          const known =
            p2p.peers().some((x) => x.id === id) || (await p2p.knownPeers()).some((x) => x.id === id);
          if (!known) return false;
          await p2p.hangUp(id);
          await p2p.forget(id);
          return true;
        },
        bans: () => p2p.bans(),
        unban: (idOrIp) => p2p.unban(idOrIp),
      },
      fees: this.fees,
      classroom: () => this.classroomApi,
      warnings: () => this.warnings,
    };
  }

  /** Accepts a block from the API (the network layer relays it if it became our tip). */
  async submitBlock(block: Block | Uint8Array): Promise<ProcessResult> {
    const result = await this.chain.processBlock(block);
    await this.mempool.settled();
    return result;
  }

  /** The HTTP address the server listens on. */
  url(): string {
    const addr = this.api?.server.address();
    const port = addr && typeof addr === 'object' ? addr.port : this.config.port;
    return `http://${this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host}:${port}`;
  }

  async stop(): Promise<void> {
    this.classroom?.stop();
    if (this.classMineTimer) clearInterval(this.classMineTimer);
    for (const t of this.timers) clearInterval(t);
    this.stopping.abort();
    await Promise.all([this.scheduledMining, this.activityBusy]);
    await this.api?.close().catch(() => undefined);
    await this.miner.stop();
    await this.p2p.stop().catch(() => undefined);
    await this.searcher.close();
    await this.verifier.close();
    await this.store.close();
    rmSync(cookiePath(this.config.dataDir), { force: true });
  }
}

const cookiePath = (dataDir: string) => join(dataDir, '.cookie');

/** How often the node wallet's unconfirmed payments are announced to peers again. */
const WALLET_REANNOUNCE_MS = 60_000;

/**
 * A fresh API token in `<data-dir>/.cookie` (as bitcoind does), so local tools can read it: created
 * anew with mode 0600 on every start, whatever mode an old file had. A given token (a classroom restarting
 * on a new network keeps the teacher's dashboard link) is written the same way.
 */
function writeCookie(dataDir: string, given?: string): string {
  const token = given ?? randomBytes(32).toString('hex');
  const path = cookiePath(dataDir);
  rmSync(path, { force: true });
  writeFileSync(path, token, { mode: 0o600, flag: 'wx' });
  return token;
}
