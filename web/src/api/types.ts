// JSON shapes of the node's HTTP API (docs/api.md). Amounts are decimal strings of base units.

export type Units = string;

export interface TxInputJson {
  readonly prevTxid: string;
  readonly prevIndex: number;
  readonly publicKey: string;
  readonly signature: string;
  readonly address?: string | null;
  readonly amount?: Units | null;
}

export interface TxOutputJson {
  readonly index: number;
  readonly amount: Units;
  readonly address: string;
}

export interface MerkleStepJson {
  readonly hash: string;
  readonly side: 'left' | 'right';
}

export interface TxJson {
  readonly txid: string;
  readonly size: number;
  readonly coinbase: boolean;
  readonly inputs: readonly TxInputJson[];
  readonly outputs: readonly TxOutputJson[];
  readonly data: { readonly hex: string; readonly text: string | null };
  readonly fee: Units;
  readonly feeRate: number;
  readonly block: { readonly hash: string; readonly height: number } | null;
  readonly confirmations: number;
  readonly merkleProof: readonly MerkleStepJson[] | null;
}

export interface BlockSummary {
  readonly hash: string;
  readonly height: number;
  readonly previousHash: string;
  readonly time: number;
  readonly bits: number | string;
  readonly difficulty: number | string;
  readonly nonce: number;
  readonly txCount: number;
  readonly size: number;
  readonly miner: string | null;
}

export interface BlockJson extends BlockSummary {
  readonly version: number;
  readonly merkleRoot: string;
  readonly target: string;
  readonly chainWork: string;
  readonly confirmations: number;
  readonly nextHash: string | null;
  readonly reward: Units;
  readonly fees: Units;
  readonly txs: readonly TxJson[];
}

export interface StatusJson {
  readonly network: string;
  readonly version: string;
  readonly height: number;
  readonly tip: string;
  readonly bits: number | string;
  readonly target: string;
  readonly difficulty: number | string;
  readonly chainWork: string;
  readonly medianTime: number;
  readonly mining: boolean;
  readonly threads: number;
  readonly hashRate: number;
  readonly kernel: string;
  readonly minerAddress: string | null;
  readonly mempool: { readonly count: number; readonly bytes: number; readonly minFeeRate: number };
  readonly peers: number;
  readonly p2p?: { readonly peerId: string; readonly addrs: readonly string[] };
  readonly sync?: { readonly syncing: boolean; readonly peerHeight: number; readonly progress: number };
}

export interface BlocksJson {
  readonly height: number;
  readonly blocks: readonly BlockSummary[];
}

export interface UtxoJson {
  readonly txid: string;
  readonly index: number;
  readonly amount: Units;
  readonly height: number | null;
  readonly coinbase: boolean;
  readonly confirmations: number;
  readonly spendable: boolean;
}

export interface HistoryEntryJson {
  readonly txid: string;
  readonly height: number | null;
  readonly time: number | null;
  readonly delta: string;
}

export interface AddressJson {
  readonly address: string;
  readonly balance: { readonly confirmed: Units; readonly unconfirmed: Units };
  readonly utxos: readonly UtxoJson[];
  readonly history: readonly HistoryEntryJson[];
  readonly total: number;
}

export interface MempoolJson {
  readonly count: number;
  readonly bytes: number;
  readonly txs: readonly TxJson[];
}

export interface MinerJson {
  readonly mining: boolean;
  readonly threads: number;
  readonly hashRate: number;
  readonly kernel: string;
  readonly address: string | null;
  readonly found: readonly BlockSummary[];
}

export interface PeerJson {
  readonly id: string;
  readonly address: string;
  readonly direction: string;
  readonly score: number;
  readonly height: number | null;
  readonly tipHash: string | null;
}

export interface PeersJson {
  readonly peers: readonly PeerJson[];
}

export interface ResolveJson {
  readonly message: string;
  readonly new_chain?: readonly unknown[];
  readonly chain?: readonly unknown[];
}

/** Server-sent event payloads on /api/v1/events. */
export interface BlockEventJson {
  readonly hash: string;
  readonly height: number;
  readonly txCount: number;
  readonly time: number;
}

export interface TxEventJson {
  readonly txid: string;
  readonly fee: Units;
  readonly size: number;
}
