// The node itself: status, miner, peers, mempool, its wallet, and the event stream's payloads.
import { type Static, Type } from '@sinclair/typebox';
import { BalanceSchema, BlockSummarySchema, TxSchema } from './chain.js';
import { Hash, Height, Nullable, Obj, Units } from './common.js';

export const StatusSchema = Obj({
  network: Type.String(),
  networkId: Type.Optional(
    Type.String({
      description: 'the network id (--network-id): its own genesis and peers; absent without one',
    }),
  ),
  version: Type.String(),
  height: Height,
  tip: Hash,
  bits: Type.String({ description: "the tip's compact target, 8 hex digits" }),
  target: Type.String({ description: 'the next block’s target, 64 hex digits' }),
  difficulty: Type.Number({ description: 'of the next block' }),
  chainWork: Type.String({ description: 'a decimal string' }),
  medianTime: Type.Integer(),
  mining: Nullable(Type.Boolean(), { description: 'null for callers without operator access' }),
  threads: Nullable(Type.Integer(), { description: 'null for callers without operator access' }),
  hashRate: Nullable(Type.Number(), { description: 'null for callers without operator access' }),
  kernel: Nullable(Type.String(), { description: 'null for callers without operator access' }),
  minerAddress: Nullable(Type.String(), { description: 'null for callers without operator access' }),
  walletAddress: Nullable(Type.String(), { description: 'null for callers without operator access' }),
  mempool: Obj({ count: Type.Integer(), bytes: Type.Integer(), minFeeRate: Type.Number() }),
  peers: Type.Integer(),
  p2p: Obj({ peerId: Type.String(), addrs: Type.Array(Type.String()) }),
  sync: Obj({
    syncing: Type.Boolean(),
    peerHeight: Height,
    progress: Type.Number(),
    state: Type.Union(
      [Type.Literal('syncing'), Type.Literal('in sync'), Type.Literal('no peers'), Type.Literal('alone')],
      {
        description:
          '`no peers`: given peers (--peer, registered URLs) but connected to none; `alone`: given none, has none',
      },
    ),
  }),
  genesis: Hash,
  warnings: Type.Array(Type.String(), {
    description:
      'setup warnings for the operator (e.g. a proxy in front without --require-token); empty for other callers',
  }),
});

export const MinerSchema = Obj({
  mining: Type.Boolean(),
  threads: Type.Integer(),
  hashRate: Type.Number(),
  kernel: Type.String(),
  address: Type.String(),
  found: Type.Array(BlockSummarySchema, { description: 'the last 20 blocks found, newest first' }),
});

export const PeerSchema = Obj({
  id: Type.String(),
  address: Type.String({ description: 'the connection’s remote multiaddr' }),
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
  score: Type.Number({ description: '100 is clean; banned at 0 or below' }),
  height: Type.Integer({ description: '-1 until the peer has told its status' }),
  tipHash: Type.String({ description: 'empty until the peer has told its status' }),
  invalid: Type.Integer(),
  malleated: Type.Integer(),
  banned: Type.Optional(Type.Boolean()),
  api: Type.Optional(Type.String({ description: 'the HTTP API URL the peer told in its status' })),
  listenAddrs: Type.Optional(
    Type.Array(Type.String(), {
      maxItems: 4,
      description:
        'where the peer listens, from its signed peer record, when known (an inbound peer’s `address` is its ephemeral port)',
    }),
  ),
});

const Millis = (description: string) =>
  Type.Optional(Type.Integer({ description: `${description}, Unix ms` }));

export const KnownPeerSchema = Obj({
  id: Type.String(),
  addrs: Type.Array(Type.String()),
  connected: Type.Boolean(),
  lastSeen: Millis('last completed handshake'),
  failures: Type.Integer({ description: 'dial failures in a row' }),
  failingSince: Millis('first failure of the current run'),
  lastError: Type.Optional(Type.String()),
  nextDialAt: Millis('not dialled again before'),
});

export const HttpPeerStateSchema = Obj({
  url: Type.String(),
  peerId: Type.Optional(Type.String({ description: 'the libp2p peer the URL turned out to be' })),
  connected: Type.Boolean(),
  attempts: Type.Integer({ description: 'attempts since the last success' }),
  failingSince: Millis('first failure of the current run'),
  lastError: Type.Optional(Type.String()),
  nextAttemptAt: Millis('not tried again before'),
});

export const BanSchema = Obj({
  kind: Type.Union([Type.Literal('peer'), Type.Literal('ip')]),
  id: Type.String({ description: 'the peer id, or the IP address for an IP ban' }),
  ip: Type.Optional(Type.String({ description: 'the IP address, for an IP ban' })),
  reason: Type.String(),
  until: Type.Integer({ description: 'Unix ms' }),
});

export const PeersSchema = Obj({
  peers: Type.Array(PeerSchema, { description: 'connected peers' }),
  known: Type.Array(KnownPeerSchema, { description: 'the persistent peer store, connected or not' }),
  http: Type.Array(Type.String(), { description: 'http peers (the tutorials’ /nodes/register)' }),
  httpPeers: Type.Array(HttpPeerStateSchema, { description: 'the same, with their state' }),
  bans: Type.Array(BanSchema, { description: 'by peer id and by IP address, kept across restarts' }),
});

export const RemovedSchema = Obj({ removed: Type.String() });

export const PeerAddedSchema = Obj({
  peers: Type.Array(PeerSchema),
  /** For an http URL: its state after the first attempt (`connected` false and `lastError` when it
   * could not be reached; it stays registered and is retried with backoff). */
  registered: Type.Optional(HttpPeerStateSchema),
});

export const MempoolSchema = Obj({
  count: Type.Integer(),
  bytes: Type.Integer(),
  txs: Type.Array(TxSchema, { description: 'highest fee rate first' }),
});

export const SubmitTxSchema = Obj({ txid: Hash });

export const WalletSchema = Obj({ address: Type.String(), balance: BalanceSchema });

/** Payloads of /api/v1/events (Server-Sent Events); `status` carries a StatusSchema. */
export const BlockEventSchema = Obj({
  hash: Hash,
  height: Height,
  txCount: Type.Integer(),
  time: Type.Integer(),
});

export const TxEventSchema = Obj({ txid: Hash, fee: Units, size: Type.Integer() });

export const ReorgEventSchema = Obj({
  oldTip: Hash,
  newTip: Hash,
  forkHeight: Height,
  disconnected: Type.Integer(),
  connected: Type.Integer(),
});

export type StatusJson = Static<typeof StatusSchema>;
export type MinerJson = Static<typeof MinerSchema>;
export type PeerJson = Static<typeof PeerSchema>;
export type PeersJson = Static<typeof PeersSchema>;
export type KnownPeerJson = Static<typeof KnownPeerSchema>;
export type HttpPeerStateJson = Static<typeof HttpPeerStateSchema>;
export type BanJson = Static<typeof BanSchema>;
export type PeerAddedJson = Static<typeof PeerAddedSchema>;
export type MempoolJson = Static<typeof MempoolSchema>;
export type SubmitTxJson = Static<typeof SubmitTxSchema>;
export type WalletJson = Static<typeof WalletSchema>;
export type BlockEventJson = Static<typeof BlockEventSchema>;
export type TxEventJson = Static<typeof TxEventSchema>;
export type ReorgEventJson = Static<typeof ReorgEventSchema>;
