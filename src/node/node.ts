// The composition root: creates the store, chain, mempool, miner, network and HTTP server, wires their
// events, and owns every timer, socket and file handle. Nothing below it starts anything on its own.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { ApiContext } from '../api/context.js';
import { buildServer } from '../api/server.js';
import { Chain, type ProcessResult } from '../chain/chain.js';
import { type Block, encodeBlock } from '../core/block.js';
import { equalBytes, toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { getNetwork, type NetworkParams } from '../core/params.js';
import { outpointKey, type Tx } from '../core/tx.js';
import { isMature } from '../core/validation.js';
import { decodeAddress } from '../crypto/address.js';
import { signNode } from '../crypto/ed25519-node.js';
import { Mempool, type MempoolEntry } from '../mempool/mempool.js';
import { Miner } from '../miner/miner.js';
import { NonceSearcher } from '../miner/nonce-search.js';
import {
  type ChainAccess,
  loadOrCreatePeerKey,
  P2PNetwork,
  resolveHttpPeer,
  type SubmitResult,
} from '../p2p/index.js';
import { ChainStore } from '../store/store.js';
import { VERSION } from '../version.js';
import { buildTransaction } from '../wallet/build-tx.js';
import type { Utxo } from '../wallet/coin-select.js';
import type { NodeConfig } from './config.js';
import { loadOrCreateNodeWallet, type NodeWallet } from './node-wallet.js';
import { SignatureVerifierPool } from './verifier.js';

export class HashlineNode {
  readonly params: NetworkParams;
  readonly log: Logger;
  /** http URLs registered through the tutorials' /nodes/register, kept across restarts. */
  readonly httpPeers = new Set<string>();
  /** The HTTP server, once listening. */
  api: FastifyInstance | undefined;

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
  }

  static async start(config: NodeConfig): Promise<HashlineNode> {
    const params = getNetwork(config.network);
    const log = pino({
      level: config.logLevel,
      ...(config.prettyLogs
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
        : {}),
    });
    // The directory holds the node wallet's key and the API token: its owner's only.
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(config.dataDir, 0o700);
    const store = await ChainStore.open(join(config.dataDir, 'chain'));
    try {
      const verifier = new SignatureVerifierPool();
      const verify = (checks: Parameters<SignatureVerifierPool['verify']>[0]) => verifier.verify(checks);
      const chain = await Chain.open({ store, params, verifySignatures: verify });
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
      const p2p = new P2PNetwork({
        chain: chainAccess(chain, mempool),
        listenHost: config.p2pHost,
        port: config.p2pPort,
        bootstrap: config.peers.filter((p) => p.startsWith('/')),
        logger: log.child({ module: 'p2p' }),
        banSeconds: config.banSeconds,
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
        await node.boot();
        node.api = await buildServer(node.apiContext(), {
          host: config.host,
          token: writeCookie(config.dataDir),
          allowHosts: config.allowHosts ?? [],
          corsOrigins: config.corsOrigins ?? [],
          web: config.web,
        });
        await node.api.listen({ host: config.host, port: config.port });
      } catch (e) {
        await node.stop();
        throw e;
      }
      return node;
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
  }

  private async boot(): Promise<void> {
    const { log, chain, mempool, miner } = this;
    mempool.on('error', (e) => log.error({ err: e.message }, 'mempool store error'));
    const loaded = await mempool.load();
    log.info(
      { network: this.params.name, height: chain.height, tip: chain.tip.hashHex, mempool: loaded },
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
    miner.on('found', ({ block }) => {
      void this.p2p
        .publishBlock(encodeBlock(block))
        .catch((e: Error) => log.debug({ err: e.message }, 'publish failed'));
    });
    miner.on('error', (e) => log.error({ err: e.message }, 'miner error'));
    // Peers that followed the same reorganisation lost these too: offer them again so they get mined.
    mempool.on('restored', (entries) => {
      log.info({ count: entries.length }, 'transactions of abandoned blocks are back in the mempool');
      for (const e of entries) void this.p2p.publishTx(e.bytes).catch(() => undefined);
    });

    const saved = await this.store.getMeta('http-peers');
    if (saved)
      for (const url of JSON.parse(new TextDecoder().decode(saved)) as string[]) this.httpPeers.add(url);
    for (const p of this.config.peers) if (!p.startsWith('/')) this.httpPeers.add(p);

    await this.p2p.start();
    for (const url of this.httpPeers) void this.connectHttpPeer(url);
    // http peers that were down at start (or restarted since) are looked up again now and then.
    this.timers.push(
      setInterval(() => {
        const connected = new Set(this.p2p.peers().map((p) => p.id));
        for (const [url, peerId] of this.httpPeerIds) {
          if (!peerId || !connected.has(peerId)) void this.connectHttpPeer(url);
        }
        for (const url of this.httpPeers) if (!this.httpPeerIds.has(url)) void this.connectHttpPeer(url);
      }, 15_000).unref(),
    );
    const savedAddrs = await this.store.getMeta('p2p-peers');
    if (savedAddrs) {
      for (const addr of JSON.parse(new TextDecoder().decode(savedAddrs)) as string[]) {
        void this.p2p.dial(addr).catch(() => undefined);
      }
    }
    if (this.config.mine) miner.start();
    this.timers.push(
      setInterval(() => {
        if (miner.mining)
          log.info(
            `mining: ${Math.round(miner.hashRate())} H/s on ${miner.threads} threads, height ${chain.height}`,
          );
      }, 30_000).unref(),
    );
  }

  private readonly timers: NodeJS.Timeout[] = [];
  /** http peer URL → the libp2p peer id it turned out to be (undefined until a dial succeeds). */
  private readonly httpPeerIds = new Map<string, string | undefined>();

  /** Dials the libp2p addresses an http node publishes in its status. */
  async connectHttpPeer(url: string): Promise<boolean> {
    this.httpPeerIds.set(url, this.httpPeerIds.get(url));
    try {
      const addrs = await resolveHttpPeer(url);
      for (const addr of addrs) {
        try {
          await this.p2p.dial(addr);
          this.httpPeerIds.set(url, addr.slice(addr.lastIndexOf('/p2p/') + 5));
          return true;
        } catch (e) {
          this.log.debug({ url, addr, err: (e as Error).message }, 'dial failed');
        }
      }
    } catch (e) {
      this.log.warn({ url, err: (e as Error).message }, 'peer unreachable');
    }
    return false;
  }

  async registerHttpPeers(urls: readonly string[]): Promise<void> {
    for (const url of urls) this.httpPeers.add(url);
    await this.store.putMeta('http-peers', new TextEncoder().encode(JSON.stringify([...this.httpPeers])));
    await Promise.all(urls.map((u) => this.connectHttpPeer(u)));
  }

  /** Accepts a transaction from the API: into the mempool, then to the peers. Throws RuleError. */
  async submitTx(tx: Tx | Uint8Array): Promise<MempoolEntry> {
    const entry = await this.mempool.add(tx);
    void this.p2p.publishTx(entry.bytes).catch(() => undefined);
    return entry;
  }

  /**
   * Pays from the node's own wallet (the tutorials' unsigned transaction): confirmed mature coins and
   * unconfirmed change, signed with the node key. Throws WalletError (insufficient funds, bad address).
   */
  async sendFromNodeWallet(opts: {
    recipient: string;
    amount: bigint;
    feeRate?: bigint;
    data?: string;
  }): Promise<MempoolEntry> {
    const { params, chain, mempool, wallet } = this;
    const utxos: Utxo[] = [];
    for (const { txid: id, index, coin } of await this.store.addressCoins(wallet.addressHash)) {
      const key = outpointKey(id, index);
      if (isMature(coin, chain.height + 1, params) && !mempool.spender(key))
        utxos.push({ txid: toHex(id), index, amount: coin.amount, address: wallet.address });
    }
    for (const e of mempool.sorted()) {
      e.tx.outputs.forEach((o, index) => {
        if (equalBytes(o.address, wallet.addressHash) && !mempool.spender(outpointKey(e.txidHex, index))) {
          utxos.push({ txid: e.txidHex, index, amount: o.amount, address: wallet.address });
        }
      });
    }
    const built = buildTransaction({
      params,
      utxos,
      payments: [{ address: opts.recipient, amount: opts.amount }],
      feeRate: opts.feeRate ?? BigInt(Math.max(1, Math.ceil(mempool.minFeeRate))),
      changeAddress: wallet.address,
      data: opts.data,
      keyFor: (address) => (address === wallet.address ? wallet.keyPair : undefined),
      sign: signNode,
    });
    return this.submitTx(built.bytes);
  }

  /** What the HTTP API may see and do (src/api never imports this module). */
  apiContext(): ApiContext {
    const { p2p } = this;
    return {
      params: this.params,
      chain: this.chain,
      mempool: this.mempool,
      store: this.store,
      miner: this.miner,
      mining: this.searcher,
      walletAddress: this.wallet.address,
      network: {
        get peerId() {
          return p2p.peerId;
        },
        addrs: () => p2p.addrs(),
        peers: () => p2p.peers(),
        syncStatus: () => p2p.syncStatus(),
        dial: (addr) => p2p.dial(addr),
        httpPeers: () => [...this.httpPeers],
        registerHttpPeers: (urls) => this.registerHttpPeers(urls),
        resolve: async () => {
          for (const url of this.httpPeers) await this.connectHttpPeer(url);
          await p2p.syncWith().catch(() => ({ blocks: 0 }));
        },
      },
      submitTx: (bytes) => this.submitTx(bytes),
      submitBlock: (bytes) => this.submitBlock(bytes),
      settled: () => this.mempool.settled(),
      sendFromNodeWallet: (spend) => this.sendFromNodeWallet(spend),
    };
  }

  /** Accepts a block from the API. */
  async submitBlock(block: Block | Uint8Array): Promise<ProcessResult> {
    const result = await this.chain.processBlock(block);
    await this.mempool.settled();
    if (result.status === 'connected' || result.status === 'side') {
      const bytes = block instanceof Uint8Array ? block : encodeBlock(block);
      void this.p2p.publishBlock(bytes).catch(() => undefined);
    }
    return result;
  }

  /** The HTTP address the server listens on. */
  url(): string {
    const addr = this.api?.server.address();
    const port = addr && typeof addr === 'object' ? addr.port : this.config.port;
    return `http://${this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host}:${port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.api?.close().catch(() => undefined);
    await this.miner.stop();
    try {
      await this.store.putMeta('p2p-peers', new TextEncoder().encode(JSON.stringify(this.p2p.knownAddrs())));
    } catch {
      // The store may already be failing; peers are a convenience.
    }
    await this.p2p.stop().catch(() => undefined);
    await this.searcher.close();
    await this.verifier.close();
    await this.store.close();
    rmSync(cookiePath(this.config.dataDir), { force: true });
  }
}

const cookiePath = (dataDir: string) => join(dataDir, '.cookie');

/**
 * A fresh API token in `<data-dir>/.cookie` (as bitcoind does), so local tools can read it: created
 * anew with mode 0600 on every start, whatever mode an old file had.
 */
function writeCookie(dataDir: string): string {
  const token = randomBytes(32).toString('hex');
  const path = cookiePath(dataDir);
  rmSync(path, { force: true });
  writeFileSync(path, token, { mode: 0o600, flag: 'wx' });
  return token;
}

/** What the network layer may see of the chain and mempool, and how what it receives is submitted. */
function chainAccess(chain: Chain, mempool: Mempool): ChainAccess {
  return {
    network: chain.params.name,
    genesisHash: chain.genesis.hashHex,
    tip: () => ({ height: chain.height, hash: chain.tip.hashHex, chainWork: chain.tip.chainWork }),
    blockLocator: () => chain.locator(),
    headersAfter: async (locator, max) => chain.headersAfter(locator, max),
    getBlock: (hash) => chain.getBlockBytes(hash),
    hasBlock: (hash) => chain.hasBlock(hash),
    submitBlock: async (bytes): Promise<SubmitResult> => {
      const r = await chain.processBlock(bytes);
      if (r.status === 'connected' || r.status === 'side') return { status: 'accepted' };
      if (r.status === 'invalid') {
        return {
          status: 'invalid',
          code: r.error?.code,
          message: r.error?.message,
          malleated: r.error?.malleated,
        };
      }
      return { status: r.status };
    },
    submitTx: async (bytes): Promise<SubmitResult> => {
      try {
        await mempool.add(bytes);
        return { status: 'accepted' };
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        // Not proof of bad intent: we may lack the parent, or already have it, or our policy differs.
        if (NOT_PEER_FAULTS.has(e.code)) return { status: 'duplicate', code: e.code };
        return { status: 'invalid', code: e.code, message: e.message, malleated: e.malleated };
      }
    },
  };
}

const NOT_PEER_FAULTS = new Set<string>([
  'already-known',
  'missing-inputs',
  'double-spend',
  'fee-too-low',
  'mempool-full',
]);
