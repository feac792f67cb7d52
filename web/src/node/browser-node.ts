// The browser node: the full node's chain, mempool, explorer index, miner and p2p code, in a page.
// Its database is IndexedDB (browser-level), its host libp2p in the page (host-browser.ts: WebSockets
// to full nodes, WebRTC to other browsers through a full node's relay), its libp2p key kept in the
// store so its peer id survives a reload. Every block it takes is validated by the same rules.
import type { PrivateKey } from '@libp2p/interface';
import { Chain, type SignatureVerifier } from '../../../src/chain/chain.js';
import { toHex } from '../../../src/core/bytes.js';
import { networkTag, networkWithId } from '../../../src/core/network-id.js';
import { getNetwork } from '../../../src/core/params.js';
import { outpointKey, type Tx } from '../../../src/core/tx.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { Miner } from '../../../src/miner/miner.js';
import type { NonceSource } from '../../../src/miner/nonce-search.js';
import { anchorStore, banStore, chainAccess } from '../../../src/node/chain-access.js';
import { LevelPeerDatastore } from '../../../src/node/libp2p-datastore.js';
import type { CreateHost, Host } from '../../../src/p2p/host.js';
import { browserHostFactory } from '../../../src/p2p/host-browser.js';
import { generatePeerKey, parsePeerKey, serializePeerKey } from '../../../src/p2p/keys.js';
import { P2PNetwork } from '../../../src/p2p/network.js';
import type { P2PLogger } from '../../../src/p2p/types.js';
import type { ChainStore } from '../../../src/store/store.js';
import { BrowserPeering } from './browser-peering.js';
import { openBrowserStore } from './browser-store.js';
import { WorkerNonceSearcher } from './nonce-workers.js';
import type { BrowserCoin, BrowserNode, BrowserNodeOptions, BrowserNodeStatus } from './types.js';
import { createBrowserVerifier } from './verifier.js';

/** What the miner needs of a nonce searcher (Web Workers, or the page's own thread). */
export type BrowserSearcher = NonceSource;

/** Parts a caller may supply instead of the defaults (the verifier and searcher on workers). */
export interface BrowserNodeParts {
  readonly verify?: SignatureVerifier;
  readonly searcher?: BrowserSearcher;
  readonly createHost?: CreateHost;
}

/** A started browser node, with its miner (the page's "mine one block") and its log. */
export type RunningBrowserNode = BrowserNode & {
  readonly log: PageLog;
  readonly miner: Miner;
  /** The chain as IndexedDB gave it back, before the network started. */
  readonly opened: { readonly height: number; readonly tip: string };
};

declare global {
  interface Window {
    /** The page's running node (tab-node and student pages), for the console and the browser tests. */
    hashlineNode?: RunningBrowserNode;
  }
}

/** Log lines kept for the page and tests (the newest). */
const LOG_LINES = 200;

/** The node's recent log lines, and a P2PLogger writing to them. */
export class PageLog implements P2PLogger {
  readonly lines: string[] = [];

  private add(level: string, obj: object | string, msg?: string): void {
    const text = typeof obj === 'string' ? obj : `${msg ?? ''} ${JSON.stringify(obj)}`;
    this.lines.push(`${new Date().toISOString().slice(11, 19)} ${level} ${text}`);
    if (this.lines.length > LOG_LINES) this.lines.shift();
  }
  debug(): void {}
  info(obj: object | string, msg?: string): void {
    this.add('info', obj, msg);
  }
  warn(obj: object | string, msg?: string): void {
    this.add('warn', obj, msg);
  }
  error(obj: object | string, msg?: string): void {
    this.add('error', obj, msg);
  }
}

function workerSearcher(threads: number | undefined): WorkerNonceSearcher {
  const searcher = new WorkerNonceSearcher({ threads });
  searcher.warmUp();
  return searcher;
}

async function loadOrCreateKey(store: ChainStore): Promise<PrivateKey> {
  const saved = await store.meta.peerKey.get();
  if (saved !== undefined) return parsePeerKey(saved);
  const key = await generatePeerKey();
  await store.meta.peerKey.put(serializePeerKey(key));
  return key;
}

export async function startBrowserNode(
  opts: BrowserNodeOptions,
  parts: BrowserNodeParts = {},
): Promise<RunningBrowserNode> {
  const params = networkWithId(getNetwork('dev'), opts.networkId);
  const store = await openBrowserStore(opts.dbName ?? `hashline-${networkTag(params)}`);
  try {
    const verifier = parts.verify
      ? { name: 'supplied by the caller', verify: parts.verify }
      : await createBrowserVerifier();
    const verify = verifier.verify;
    const chain = await Chain.open({ store, params, verifySignatures: verify });
    const mempool = new Mempool({ chain, store, verifySignatures: verify });
    await mempool.load();
    const searcher = parts.searcher ?? workerSearcher(opts.threads);
    const ownSearcher = parts.searcher ? undefined : (searcher as WorkerNonceSearcher);
    // The Miner's searcher type is the Node class; it uses only BrowserSearcher's members.
    const miner = new Miner({
      chain,
      mempool,
      searcher,
      address: new Uint8Array(20),
    });
    const log = new PageLog();
    log.info(`signatures verified with ${verifier.name}`);
    let host: Host | undefined;
    const createHost = parts.createHost ?? browserHostFactory();
    const p2p = new P2PNetwork({
      chain: chainAccess(chain, mempool),
      createHost: async (hostOpts) => {
        host = await createHost(hostOpts);
        return host;
      },
      bootstrap: [...opts.bootstrap],
      logger: log,
      banStore: banStore(store.meta),
      anchorStore: anchorStore(store.meta),
      datastore: new LevelPeerDatastore(store.libp2p),
      privateKey: await loadOrCreateKey(store),
      // Re-dial the full node soon after it comes back (a student's laptop sleeps, a teacher restarts).
      reconnectMs: 5_000,
    });
    const node = new PageNode(store, chain, mempool, miner, p2p, log);
    const peering = new BrowserPeering({
      host: () => host,
      dial: (addr) => p2p.dial(addr),
      log: (line) => log.info(line),
    });
    node.onStop(async () => peering.stop());
    node.onStop(async () => ownSearcher?.close());
    await node.start();
    peering.start();
    return node;
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
}

class PageNode implements RunningBrowserNode {
  readonly params;
  readonly opened: { readonly height: number; readonly tip: string };
  private readonly listeners = new Set<() => void>();
  private readonly stops: Array<() => Promise<void>> = [];
  /** Payee (hex) of each active block's coinbase, by height (for blocksFoundBy). */
  private readonly payees = new Map<number, string>();
  private interval: ReturnType<typeof setInterval> | undefined;
  private intervalMining: Promise<unknown> | undefined;
  /** Aborts the interval's search under way when mining stops. */
  private intervalAbort = new AbortController();

  constructor(
    readonly store: ChainStore,
    readonly chain: Chain,
    readonly mempool: Mempool,
    readonly miner: Miner,
    readonly p2p: P2PNetwork,
    readonly log: PageLog,
  ) {
    this.params = chain.params;
    this.opened = { height: chain.height, tip: chain.tip.hashHex };
  }

  get peerId(): string {
    return this.p2p.peerId;
  }

  onStop(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async start(): Promise<void> {
    const notify = () => {
      for (const listener of this.listeners) listener();
    };
    this.chain.on('connect', (entry, block) => {
      this.payees.set(entry.height, toHex(block.txs[0]?.outputs[0]?.address ?? new Uint8Array()));
    });
    this.chain.on('disconnect', (entry) => this.payees.delete(entry.height));
    this.chain.on('tip', notify);
    this.p2p.on('peer:connect', notify);
    this.p2p.on('peer:disconnect', notify);
    this.miner.on('error', (err) => this.log.error(`mining: ${err.message}`));
    await this.readPayees();
    await this.p2p.start();
  }

  /** The coinbase payee of every block of the active chain (a class chain is short). */
  private async readPayees(): Promise<void> {
    for (let height = 1; height <= this.chain.height; height++) {
      const entry = this.chain.entryAtHeight(height);
      const block = entry && (await this.chain.getBlock(entry.hashHex));
      if (block) this.payees.set(height, toHex(block.txs[0]?.outputs[0]?.address ?? new Uint8Array()));
    }
  }

  status(): BrowserNodeStatus {
    return {
      network: networkTag(this.params),
      peerId: this.p2p.peerId,
      height: this.chain.height,
      tip: this.chain.tip.hashHex,
      peers: this.p2p.peers().length,
      mining: this.miner.mining || this.interval !== undefined,
      hashRate: this.miner.hashRate(),
      mempool: this.mempool.size,
    };
  }

  startMining(address: Uint8Array, intervalSeconds = 0): void {
    this.stopMining();
    this.miner.address = address;
    if (intervalSeconds <= 0) {
      this.miner.start();
    } else {
      this.intervalAbort = new AbortController();
      this.interval = setInterval(() => this.mineScheduled(), intervalSeconds * 1000);
      this.mineScheduled();
    }
    this.notify();
  }

  /** One block per interval; a tick while the last one is still searched for is skipped. */
  private mineScheduled(): void {
    if (this.intervalMining || this.intervalAbort.signal.aborted) return;
    this.intervalMining = this.miner
      .mineOne({ signal: this.intervalAbort.signal })
      .catch((err: unknown) => this.log.error(`mining: ${(err as Error).message}`))
      .finally(() => {
        this.intervalMining = undefined;
      });
  }

  stopMining(): void {
    clearInterval(this.interval);
    this.interval = undefined;
    this.intervalAbort.abort();
    void this.miner.stop();
    this.notify();
  }

  blocksFoundBy(address: Uint8Array): number {
    const hex = toHex(address);
    let count = 0;
    for (const payee of this.payees.values()) if (payee === hex) count++;
    return count;
  }

  async coinsOf(address: Uint8Array): Promise<BrowserCoin[]> {
    const coins = await this.chain.indexer.addressCoins(address);
    return coins
      .filter((c) => this.mempool.spender(outpointKey(c.txid, c.index)) === undefined)
      .map((c) => ({
        txid: toHex(c.txid),
        index: c.index,
        value: c.coin.amount,
        height: c.coin.height,
        coinbase: c.coin.coinbase,
      }));
  }

  async submitTx(tx: Tx): Promise<string> {
    const entry = await this.mempool.add(tx, 'local');
    return entry.txidHex;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  async stop(): Promise<void> {
    this.stopMining();
    await this.miner.stop();
    await this.intervalMining;
    for (const stop of this.stops.splice(0)) await stop();
    await this.p2p.stop();
    await this.store.close();
  }
}
