// The browser node's surface: what the student page and the benches use. A BrowserNode is the same
// chain, mempool, explorer index and p2p code as the full node, over IndexedDB (browser-level) and
// libp2p in the page (WebSockets to full nodes, WebRTC between browsers through a relay).
import type { Chain } from '../../../src/chain/chain.js';
import type { NetworkParams } from '../../../src/core/params.js';
import type { Tx } from '../../../src/core/tx.js';
import type { Mempool } from '../../../src/mempool/mempool.js';
import type { P2PNetwork } from '../../../src/p2p/network.js';
import type { ChainStore } from '../../../src/store/store.js';

export interface BrowserNodeOptions {
  /** Base network (dev) and class network id: the node's params are networkWithId(dev, networkId). */
  readonly networkId: string;
  /** Full nodes' WebSockets multiaddrs with /p2p/<id> (the teacher's), dialled at start and kept. */
  readonly bootstrap: readonly string[];
  /** IndexedDB database name; default `hashline-<network tag>`. */
  readonly dbName?: string;
  /** Mining workers; default navigator.hardwareConcurrency − 1, at least 1. */
  readonly threads?: number;
}

export interface BrowserNodeStatus {
  readonly network: string;
  readonly peerId: string;
  readonly height: number;
  readonly tip: string;
  readonly peers: number;
  readonly mining: boolean;
  readonly hashRate: number;
  readonly mempool: number;
}

/** A spendable coin of an address, with the mempool overlaid (spent ones left out). */
export interface BrowserCoin {
  readonly txid: string;
  readonly index: number;
  readonly value: bigint;
  readonly height: number;
  readonly coinbase: boolean;
}

export interface BrowserNode {
  readonly params: NetworkParams;
  readonly store: ChainStore;
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly p2p: P2PNetwork;
  readonly peerId: string;
  status(): BrowserNodeStatus;
  /** Mines to `address` (20-byte hash) on the workers: continuously, or one block per interval. */
  startMining(address: Uint8Array, intervalSeconds?: number): void;
  stopMining(): void;
  /** Coinbase-paying blocks of the active chain mined to `address` (for the class report). */
  blocksFoundBy(address: Uint8Array): number;
  coinsOf(address: Uint8Array): Promise<BrowserCoin[]>;
  /** Admits a signed transaction to the mempool and relays it; throws the rule's error if refused. */
  submitTx(tx: Tx): Promise<string>;
  /** Called after every tip change and peer change (a cheap signal; read status() then). */
  onChange(listener: () => void): () => void;
  stop(): Promise<void>;
}
