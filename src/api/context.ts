// What the HTTP API may see of a node. The node implements it; the API never imports the node, so a
// route can reach only what is listed here.
import type { Chain, ProcessResult } from '../chain/chain.js';
import type { ExplorerIndex } from '../chain/indexer.js';
import type { NetworkParams } from '../core/params.js';
import type { FeeReport } from '../mempool/fee-oracle.js';
import type { Mempool, MempoolEntry } from '../mempool/mempool.js';
import type { Miner } from '../miner/miner.js';
import type { BanInfo, KnownPeer, PeerInfo, SyncStatus } from '../p2p/types.js';
import type { ApiLimits } from './limits.js';

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

export interface ApiContext {
  readonly params: NetworkParams;
  readonly chain: Chain;
  readonly mempool: Mempool;
  /** Tx locations and address history; each read waits for the index to reach the tip. */
  readonly explorer: ExplorerIndex;
  readonly miner: Miner;
  readonly mining: { readonly threads: number; readonly kernelName: string };
  /** The node wallet's address (the sender of unsigned tutorial transactions). */
  readonly walletAddress: string;
  readonly network: NetworkControl;
  readonly fees: FeeReader;
  /** Into the mempool, then to the peers. Throws RuleError. */
  submitTx(bytes: Uint8Array): Promise<MempoolEntry>;
  /** Into the chain, then to the peers; resolves once the mempool has followed any reorganisation. */
  submitBlock(bytes: Uint8Array): Promise<ProcessResult>;
  /** Resolves once the mempool has followed every reorganisation so far (readers wait for it). */
  settled(): Promise<void>;
  /** Pays from the node wallet. Throws WalletError or RuleError. */
  sendFromNodeWallet(spend: NodeWalletSpend): Promise<MempoolEntry>;
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
