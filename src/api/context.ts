// What the HTTP API may see of a node: narrow ports, each listing the reads (or the one write) a group of
// endpoints needs. The node implements them (src/node/node.ts, apiContext()); the API never imports the
// node, nor a store or a writer, so a handler can reach only what is listed here.
import type { ChainEvents, ProcessResult } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import type { ExplorerIndex } from '../chain/indexer.js';
import type { Orphan } from '../chain/orphans.js';
import type { ClassState, RosterEntry } from '../classroom/types.js';
import type { Block } from '../core/block.js';
import type { NetworkParams } from '../core/params.js';
import type { Tx } from '../core/tx.js';
import type { BlockContext, Coin } from '../core/validation.js';
import type { FeeReport } from '../mempool/fee-oracle.js';
import type { MempoolEntry, MempoolEvents } from '../mempool/mempool.js';
import type { MinedBlock } from '../miner/miner.js';
import type { BanInfo, KnownPeer, PeerInfo, SyncStatus } from '../p2p/types.js';
import type { ApiLimits } from './limits.js';

export type { ExplorerIndex };

/** Listening only: a port with events offers on/off, never emit. */
interface Listenable<Events extends Record<keyof Events, unknown[]>> {
  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): unknown;
  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): unknown;
}

/** The coins a connected block spent (its undo data), so its transactions show sender and fee. */
export interface UndoReader {
  getUndo(
    blockHash: Uint8Array,
  ): Promise<ReadonlyArray<{ txid: Uint8Array; index: number; coin: Coin }> | undefined>;
}

/** Coins of the UTXO set at the tip, by outpoint (undefined where spent or unknown). */
export interface CoinReader {
  getCoins(
    outpoints: ReadonlyArray<{ txid: Uint8Array; index: number }>,
  ): Promise<ReadonlyArray<Coin | undefined>>;
}

/** The block index and block bodies, read only. `Chain` implements it. */
export interface ChainReader extends Listenable<ChainEvents> {
  readonly params: NetworkParams;
  readonly height: number;
  readonly tip: ChainEntry;
  readonly genesis: ChainEntry;
  getEntry(hashHex: string): ChainEntry | undefined;
  entryAtHeight(height: number): ChainEntry | undefined;
  /** Every known entry from a height up (to a height, when given), side branches included. */
  entriesFrom(fromHeight: number, toHeight?: number): ChainEntry[];
  isActive(entry: ChainEntry): boolean;
  getBlock(hashHex: string): Promise<Block | undefined>;
  /** A block's serialized bytes, as stored. */
  getBlockBytes(hashHex: string): Promise<Uint8Array | undefined>;
  medianTimePast(): number;
  nextContext(): { readonly expectedBits: number };
  /** The rules' context for a block on top of `parent`. */
  contextFor(parent: ChainEntry): BlockContext;
  orphanBlocks(): readonly Orphan[];
  readonly store: { readonly blocks: UndoReader; readonly coins: CoinReader };
}

/** The pending transactions, read only. `Mempool` implements it. */
export interface MempoolView extends Listenable<MempoolEvents> {
  readonly size: number;
  readonly bytes: number;
  /** What its transactions take in memory, as its limit counts it. */
  readonly memory: number;
  readonly minFeeRate: number;
  get(txidHex: string): MempoolEntry | undefined;
  has(txidHex: string): boolean;
  /** The pending transaction spending an outpoint (outpointKey), if any. */
  spender(outpointKey: string): string | undefined;
  /** Highest fee rate first. */
  sorted(): MempoolEntry[];
  /** Pending transactions paying to or spending from an address hash (hex). */
  touching(addressHex: string): MempoolEntry[];
  /** Resolves once the pool has followed every reorganisation so far (readers wait for it). */
  settled(): Promise<void>;
  /** Whether a transaction would be admitted now, without adding it. Throws RuleError. */
  check(tx: Tx, bytes: Uint8Array): Promise<MempoolEntry>;
}

/** Data signed elsewhere, into the node (and then to its peers). */
export interface Submitter {
  /** Into the mempool, then to the peers. Throws RuleError. */
  submitTx(bytes: Uint8Array): Promise<MempoolEntry>;
  /** Into the chain, then to the peers; resolves once the mempool has followed any reorganisation. */
  submitBlock(bytes: Uint8Array): Promise<ProcessResult>;
}

/** The local miner. `Miner` implements it. */
export interface MinerControl {
  readonly mining: boolean;
  /** The address hash block rewards go to; set to change it. */
  address: Uint8Array;
  /** The last blocks found, oldest first. */
  readonly found: readonly MinedBlock[];
  hashRate(): number;
  setThreads(threads: number): void;
  /** Mines `count` blocks now, one after the other; fewer (maybe none) when interrupted. */
  mineMany(count: number, opts?: { address?: Uint8Array }): Promise<MinedBlock[]>;
  start(): void;
  stop(): Promise<void>;
}

/** The node's own wallet: its address, and paying from it. */
export interface NodeWalletControl {
  readonly address: string;
  /** Pays from the node wallet. Throws ApiError (the wallet's refusal, with its code) or RuleError. */
  send(spend: NodeWalletSpend): Promise<MempoolEntry>;
}

export interface NetworkControl {
  readonly peerId: string;
  addrs(): string[];
  peers(): PeerInfo[];
  syncStatus(): SyncStatus;
  /** Dials a libp2p multiaddr; rejects with the reason when the peer cannot be reached. */
  dial(addr: string): Promise<void>;
  /** How many peers the operator gave: --peer multiaddrs and registered http URLs. */
  givenPeers(): number;
  /** http URLs registered through /nodes/register or --peer. */
  httpPeers(): readonly string[];
  /** Registers and tries each; resolves with their states after the attempt. */
  registerHttpPeers(urls: readonly string[]): Promise<HttpPeerStateView[]>;
  /** Looks every http peer up again and syncs with the peers (the tutorials' /nodes/resolve). */
  resolve(): Promise<void>;
  /** Peers of the persistent peer store, connected or not, with what the dialer knows of them. */
  knownPeers(): Promise<KnownPeer[]>;
  /** Each registered http URL with its state (connected, failing since, last error). */
  httpPeerStates(): HttpPeerStateView[];
  /** Forgets a registered http URL; false when it was not registered. */
  removeHttpPeer(url: string): Promise<boolean>;
  /** Hangs up on a peer and forgets its addresses; false when the peer is neither connected nor known. */
  removePeer(peerId: string): Promise<boolean>;
  bans(): BanInfo[];
  /** Lifts the ban of a peer id or IP address; false when there was none. */
  unban(idOrIp: string): boolean;
}

export interface HttpPeerStateView {
  readonly url: string;
  readonly peerId?: string;
  readonly connected: boolean;
  readonly attempts: number;
  readonly failingSince?: number;
  readonly lastError?: string;
  readonly nextAttemptAt?: number;
}

/** Fee estimates and the projected blocks (src/mempool/fee-oracle.ts). */
export interface FeeReader {
  report(): Promise<FeeReport>;
}

export interface NodeWalletSpend {
  readonly recipient: string;
  readonly amount: bigint;
  readonly feeRate?: bigint;
  readonly data?: string;
}

/** A change the teacher asks for: each field given replaces the class state's (src/classroom/README.md). */
export interface ClassControlChange {
  readonly mining?: boolean;
  readonly intervalSeconds?: number;
  readonly mode?: ClassState['mode'];
  readonly groups?: Readonly<Record<string, 'A' | 'B'>>;
  /** A network id: the class moves there (the teacher's node restarts on it). */
  readonly reset?: string;
}

/**
 * The teacher's side of a class (`hashline classroom`): the roster members report, the signed state,
 * and the one write, a control. Balances, blocks found and the block tree are read from the chain.
 */
export interface ClassroomPort {
  /** The teacher's Ed25519 public key, 64 hex. */
  readonly teacherKey: string;
  /** The link students open (src/classroom/README.md, "Join link"). */
  joinUrl(): string;
  state(): ClassState;
  /** Every member heard from lately, the teacher's own node included. */
  roster(): readonly RosterEntry[];
  /** Signs and publishes the next state; throws ApiError when the change cannot apply. */
  control(change: ClassControlChange): ClassState;
}

/** Everything the API may use, by port; each group of endpoints takes the ports it needs. */
export interface ApiContext {
  readonly params: NetworkParams;
  readonly chain: ChainReader;
  readonly explorer: ExplorerIndex;
  readonly mempool: MempoolView;
  readonly submitter: Submitter;
  readonly miner: MinerControl;
  readonly mining: { readonly threads: number; readonly kernelName: string };
  readonly nodeWallet: NodeWalletControl;
  readonly network: NetworkControl;
  readonly fees: FeeReader;
  /** The class this node teaches, read at each call (set once the class is running); absent elsewhere. */
  classroom?(): ClassroomPort | undefined;
  /** The coins cache's counted memory and its budget (--coins-cache), bytes. */
  readonly coinsCache?: { readonly bytes: number; readonly maxBytes: number };
  /** Warnings about the node's setup for its operator (shown in the operator's status). */
  warnings?(): readonly string[];
}

/** How the server is exposed: who may call what (see docs/api.md, "Security"). */
export interface ServerOptions {
  /** The address the server binds; loopback unless the operator says otherwise. */
  readonly host: string;
  /** Bearer token for operator routes (the content of <data-dir>/.cookie). */
  readonly token: string;
  /** Extra names the Host header may carry (--allow-host), e.g. a LAN name of this machine. */
  readonly allowHosts: readonly string[];
  /** Web origins granted cross-origin operator calls, with the token (--cors-origin). */
  readonly corsOrigins: readonly string[];
  /** Serve the built web app at /. */
  readonly web: boolean;
  readonly logger?: boolean;
  /** Connection, timeout, event-stream and expensive-read limits other than the defaults (limits.ts). */
  readonly limits?: Partial<ApiLimits>;
  /** Operator routes need the token whatever the bind address and the caller (--require-token). */
  readonly requireToken?: boolean;
  /** Addresses or CIDRs of proxies whose X-Forwarded-For names the client (--trust-proxy). */
  readonly trustProxy?: readonly string[];
  /** Told once of a risky setup seen at run time (a proxy in front without --require-token). */
  readonly onWarning?: (message: string) => void;
}
