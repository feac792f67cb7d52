// Protocol names and wire limits, in one place.

export interface ProtocolIds {
  blocksTopic: string;
  txsTopic: string;
  status: string;
  sync: string;
  mempool: string;
  /** Peer exchange: signed peer records of a peer's other peers (peer-exchange.ts). */
  peers: string;
  /** pubsub-peer-discovery's topic: peers of one network announce their addresses on it. */
  discoveryTopic: string;
  /** mDNS service tag, so that only nodes of one network answer each other. */
  mdnsTag: string;
  /** The class topic (src/classroom): subscribed only by a node that joins a class (addTopic). */
  classTopic: string;
}

/**
 * Every name but the status handshake's carries the network tag (docs/protocol.md, "Network ids"), so
 * peers of different networks never share a topic or protocol. The handshake is shared so that a peer
 * of another network is told apart with a reason: its status names its network and genesis.
 */
export function protocolIds(network: string): ProtocolIds {
  return {
    blocksTopic: `/hashline/${network}/blocks/1`,
    txsTopic: `/hashline/${network}/txs/1`,
    status: STATUS_PROTOCOL,
    sync: `/hashline/${network}/sync/1`,
    mempool: `/hashline/${network}/mempool/1`,
    peers: `/hashline/${network}/peers/2`,
    discoveryTopic: `hashline-${network}._peer-discovery._p2p._pubsub`,
    mdnsTag: `_hashline-${network}._udp.local`,
    classTopic: `/hashline/${network}/class/1`,
  };
}

/** The status handshake, the same on every network. */
export const STATUS_PROTOCOL = '/hashline/status/1';

export const HEADER_BYTES = 80;
export const HASH_BYTES = 32;

export const LIMITS = {
  /** Largest block accepted from gossip or sync. */
  maxBlockBytes: 1_100_000,
  /** Largest transaction accepted from gossip. */
  maxTxBytes: 100_000,
  /** Largest gossipsub RPC frame (one block plus protobuf overhead and piggy-backed control). */
  maxGossipRpcBytes: 1_300_000,
  /** Headers returned by one getHeaders. */
  maxHeaders: 2000,
  /** Hashes in a getHeaders locator. */
  maxLocator: 101,
  /** Blocks asked for in one getBlocks. */
  maxBlocksPerRequest: 200,
  /** Bytes of blocks returned by one getBlocks (the first block is always sent). */
  maxBlocksResponseBytes: 8_000_000,
  /** Largest request frame: type + u16 + 200 hashes, rounded up. */
  maxRequestFrame: 8192,
  /** Largest status frame (JSON). */
  maxStatusFrame: 1024,
  /** Largest error message in an error frame. */
  maxErrorText: 256,
  /** Largest message on a topic added with addTopic (topics.ts); its owner may bound it tighter. */
  maxTopicMessageBytes: 4096,
  /** Largest pubsub-peer-discovery record (public key and a few addresses). */
  maxPeerRecordBytes: 4096,
  /** Signed peer records in one peer exchange answer... */
  maxExchangedRecords: 32,
  /** ...each at most this many bytes (a RecordEnvelope: key, a few addresses, signature)... */
  maxSignedPeerRecordBytes: 1024,
  /** ...and the frame: 32 × {"id": ≤ 128 chars, "record": base64 of ≤ 1024 bytes}. */
  maxPeerRecordsFrame: 49_152,
  /** Txids in one mempool INV answer (the rest of a larger mempool is not offered). */
  maxInvTxids: 5000,
  /** Txids in one GET_TXS request. */
  maxTxsPerRequest: 100,
  /** Bytes of transactions in one TXS answer (the first transaction is always sent). */
  maxTxsResponseBytes: 1_000_000,
  /** Txids in one ANNOUNCE. */
  maxAnnounceTxids: 500,
  /** Transactions fetched from one peer in the exchange after connecting... */
  maxExchangeTxs: 5000,
  /** ...and their bytes. */
  maxExchangeBytes: 16_000_000,
  /** Mempool requests a peer may make: a bucket of this many... */
  mempoolRequestBurst: 100,
  /** ...refilled at this many per second; a request beyond is refused and scored. */
  mempoolRequestsPerSecond: 10,
  /** Gossiped blocks being validated at once, in total... */
  gossipBlockValidations: 8,
  /** ...and per peer key; a block beyond is Ignored unseen. */
  gossipBlockValidationsPerPeer: 2,
  /** Gossiped transactions being validated at once, in total... */
  gossipTxValidations: 256,
  /** ...and per peer key (an honest wallet's burst fits); a transaction beyond is Ignored unseen. */
  gossipTxValidationsPerPeer: 64,
  /** Discovery records accepted per author (the record's public key): one per this many ms... */
  discoveryRecordMs: 5000,
  /** ...and from everyone: a bucket of this many... */
  discoveryRecordBurst: 50,
  /** ...refilled at this many per second. */
  discoveryRecordsPerSecond: 20,
  /** Bytes the sync server sends one peer key: a bucket of this many... */
  uploadBurstBytes: 32 * 1024 * 1024,
  /** ...refilled at this many per second; a request on an empty bucket is answered ERROR `rate limited`. */
  uploadBytesPerSecond: 4 * 1024 * 1024,
  /** Refused requests a peer key may make per minute before each further one costs `flood` points. */
  uploadRefusalsPerMinute: 10,
} as const;

export const TIMEOUTS = {
  statusMs: 10_000,
  headersMs: 20_000,
  blocksMs: 60_000,
  /** A server closes a sync stream that carried no request for this long. */
  idleStreamMs: 30_000,
  /** One mempool request and its whole answer. */
  mempoolMs: 20_000,
  /** A peer exchange request and its answer. */
  peersMs: 10_000,
} as const;

/** Largest mempool frame: a TX frame of the largest transaction, or an INV of maxInvTxids. */
export const MAX_MEMPOOL_FRAME = Math.max(1 + LIMITS.maxTxBytes, 3 + LIMITS.maxInvTxids * HASH_BYTES);

/** Most bytes of one TXS answer: the byte cap, the transaction that crosses it, and framing. */
export const MAX_TXS_RESPONSE_BYTES =
  LIMITS.maxTxsResponseBytes + LIMITS.maxTxBytes + LIMITS.maxTxsPerRequest * 8 + 64;

/** Largest frame a sync response may carry. */
export const MAX_RESPONSE_FRAME = Math.max(1 + LIMITS.maxHeaders * HEADER_BYTES, 1 + LIMITS.maxBlockBytes);

/** Most bytes one whole sync response may amount to: the byte cap, plus the block that crosses it, plus framing. */
export const MAX_RESPONSE_BYTES =
  LIMITS.maxBlocksResponseBytes + MAX_RESPONSE_FRAME + LIMITS.maxBlocksPerRequest * 8 + 64;
