// What the network layer needs from the node, and what it reports back.
// The p2p package treats blocks and transactions as opaque bytes; it only reads the
// 80-byte block header (for the hash and the previous-block link).

/**
 * - `accepted`: stored (and, for a block, connected or kept as a side block within the work window)
 * - `orphan`: its parent (block) or an input (tx) is unknown
 * - `duplicate`: already known
 * - `invalid`: breaks a rule (`malleated` when the bytes may have been corrupted in transit)
 * - `low-work`: a block whose branch has too little work to be stored (not invalid, not kept); code
 *   `stale` when it is only a few blocks behind our tip (an honest race lost, not the sender's fault)
 */
export type SubmitStatus = 'accepted' | 'orphan' | 'duplicate' | 'invalid' | 'low-work';

export interface SubmitResult {
  status: SubmitStatus;
  /** Rule code when refused (for logs); `missing-inputs`: we lack what it spends (kept as an orphan). */
  code?: string;
  message?: string;
  /** The bytes were corrupted in transit (e.g. merkle mismatch): not proof the sender is malicious. */
  malleated?: boolean;
  /** Txid (hex) of an accepted transaction, so that it can be announced onward. */
  txid?: string;
  /** An accepted block that is now on the active chain (connected, or part of a reorganisation onto it). */
  tip?: boolean;
}

/**
 * The chain's verdict on a run of headers (headers-first sync), before any body is fetched:
 * - `ok`: they link to a block we know and to each other, each has valid proof of work, bits and
 *   time in context; `work` is the chain work at the last header. When that work is at least our
 *   tip's, the chain remembers them so that their bodies are accepted (see `submitBlock`).
 * - `unconnected`: the first header's parent is unknown.
 * - `invalid`: header `index` breaks rule `code`.
 */
export type HeadersVerdict =
  | { status: 'ok'; work: bigint }
  | { status: 'unconnected' }
  | { status: 'invalid'; index: number; code: string; message?: string };

export interface ChainTip {
  height: number;
  hash: string;
  chainWork: bigint;
}

export interface ChainAccess {
  readonly network: string;
  readonly genesisHash: string;
  tip(): ChainTip;
  /** Active-chain hashes, tip first, exponentially spaced back, genesis last. */
  blockLocator(): string[];
  /** Active-chain headers after the first locator hash found on it (from genesis if none). */
  headersAfter(locator: string[], max: number): Promise<Uint8Array[]>;
  /** Serialized block, if stored. */
  getBlock(hash: string): Promise<Uint8Array | undefined>;
  /** Known (stored or orphan-pooled): do not download again. */
  hasBlock(hash: string): boolean;
  /** Branches with less chain work than this are never downloaded (0 on regtest). */
  readonly minimumChainWork: bigint;
  /** Checks headers before their bodies are fetched (see HeadersVerdict). */
  checkHeaders(headers: readonly Uint8Array[]): HeadersVerdict;
  submitBlock(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult>;
  /**
   * Blocks downloaded in order, imported together (a result for each, as submitBlock gives); `from` is
   * the sender of each block (a download hands over what several peers sent), or one sender for all.
   */
  submitBlocks(blocks: readonly Uint8Array[], from?: string | readonly string[]): Promise<SubmitResult[]>;
  submitTx(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult>;
  /** Txids (hex) of the transactions waiting in the mempool. */
  pendingTxids(): string[];
  /** A pending transaction's bytes, if it is in the mempool. */
  getPendingTx(txid: string): Uint8Array | undefined;
  /** Calls `listener` whenever the active tip changes (block connected or reorganisation); returns an unsubscribe. */
  onTip(listener: (tip: ChainTip) => void): () => void;
  /** Calls `listener` with what the node has to pass on (see RelayEvent); returns an unsubscribe. */
  onRelay(listener: (event: RelayEvent) => void): () => void;
}

/**
 * What the node has for its peers; the network layer (relay.ts) decides how each goes out:
 * - `block`: a block that became our tip, recent enough to be news (not one of a long catch-up)
 * - `tx`: a transaction accepted from this node's own API or wallet (peers' ones travel by gossip
 *   and the mempool exchange already)
 * - `restored`: transactions back in the mempool after a reorganisation (peers that followed it
 *   lost them too)
 */
export type RelayEvent =
  | { kind: 'block'; hash: string; bytes: Uint8Array }
  | { kind: 'tx'; txid: string; bytes: Uint8Array }
  | { kind: 'restored'; txids: string[] };

/** Where bans are kept across restarts (the node implements it over its store). */
export interface BanStore {
  load(): Promise<BanInfo[]>;
  save(bans: BanInfo[]): Promise<void>;
}

/** Where the outbound peers at shutdown (multiaddrs with /p2p/<id>) are kept for the next start. */
export interface AnchorStore {
  load(): Promise<string[]>;
  save(addrs: string[]): Promise<void>;
}

/** pino-compatible subset: `log.info({ obj }, 'message')` or `log.info('message')`. */
export interface P2PLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** What a peer told us in its last status message. */
export interface PeerStatus {
  network: string;
  genesisHash: string;
  height: number;
  tipHash: string;
  chainWork: bigint;
  /** Where the peer says its HTTP API is (optional; only for people's views, never trusted for sync). */
  api?: string;
}

export interface PeerInfo {
  id: string;
  /** Remote multiaddr of the connection (for an inbound peer, its ephemeral source port). */
  address: string;
  direction: 'inbound' | 'outbound';
  /** 100 = clean; the peer is banned when it falls to 0 or below. */
  score: number;
  /** From the peer's last status message; -1 until the handshake completes. */
  height: number;
  tipHash: string;
  /** Invalid messages counted against this peer, malleated ones included. */
  invalid: number;
  malleated: number;
  banned?: boolean;
  /** The HTTP API URL the peer told in its status, if any. */
  api?: string;
  /** Where the peer listens, from its signed peer record (identify), when known: for an inbound
   * peer, the address to dial it at rather than its ephemeral source port. At most 4. */
  listenAddrs?: string[];
}

export interface SyncStatus {
  /** A sync is running toward a peer that claims more chain work than our tip. */
  syncing: boolean;
  /** Best height announced by any connected peer (or reached while syncing). */
  peerHeight: number;
  ourHeight: number;
  /** ourHeight / peerHeight, clamped to 0..1 (1 when we are not behind). */
  progress: number;
}

export interface SyncProgress extends SyncStatus {
  peer: string;
  /** Blocks accepted so far in the current sync round. */
  blocks: number;
}

export interface BanInfo {
  /** The banned peer id, or IP address when kind is 'ip'. */
  id: string;
  kind: 'peer' | 'ip';
  reason: string;
  /** Unix milliseconds. */
  until: number;
}

/** A peer of the peer store (connected or not), with what the dialer knows of it. */
export interface KnownPeer {
  id: string;
  addrs: string[];
  connected: boolean;
  /** Unix ms of the last completed handshake; undefined if never. */
  lastSeen?: number;
  /** Dial failures in a row. */
  failures: number;
  /** Unix ms of the first failure of the current run of failures. */
  failingSince?: number;
  lastError?: string;
  /** Unix ms before which the dialer will not try it again. */
  nextDialAt?: number;
}

/** Events of P2PNetwork (Node EventEmitter, typed). */
export interface P2PEvents {
  'peer:connect': [PeerInfo];
  'peer:disconnect': [string];
  'peer:banned': [BanInfo];
  'sync:progress': [SyncProgress];
}
