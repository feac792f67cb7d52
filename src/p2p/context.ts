// What the parts of the network layer (status, gossip, sync, peer book, mempool exchange) share:
// the running host, the chain, the clock, and the network's judgement of peers.
import type { Connection } from '@libp2p/interface';
import type { Clock } from './clock.js';
import { ProtocolError } from './codec.js';
import type { Host } from './host.js';
import type { Judgement, Verdict } from './judge.js';
import type { ProtocolIds } from './protocol.js';
import type { Offence } from './scoring.js';
import type { ChainAccess, P2PLogger } from './types.js';

export interface NetContext {
  readonly chain: ChainAccess;
  readonly log: P2PLogger;
  readonly ids: ProtocolIds;
  readonly clock: Clock;
  /** The running host; undefined before start() and after stop(). */
  host(): Host | undefined;
  /** Aborted when the network stops. */
  stopSignal(): AbortSignal;
  /** Judges what a peer sent or did (judge.ts) and charges its key. */
  judge(id: string, verdict: Verdict): Judgement;
  /** Charges an offence directly (prefer judge()). */
  penalize(id: string, offence: Offence, reason: string): void;
  /** The key of a peer's points, bans and budgets (peer-key.ts): its address off loopback, else its id. */
  peerKey(id: string): string;
  /** Banned, or of another network for now: neither dialled nor accepted. */
  isRefused(id: string): boolean;
  isIncompatible(id: string): boolean;
  /** Left out by the peer filter (P2PNetwork.setPeerFilter): its blocks, transactions, sync and mempool
   * exchange are ignored and not requested, at no cost to it. */
  isFiltered?(id: string): boolean;
  connectionOf(id: string): Connection | undefined;
  hangUp(id: string): Promise<void>;
  /** Peers that completed the status handshake and are still connected. */
  readyPeers(): string[];
  /** This node's HTTP API URL to tell peers, if it has one they can reach. */
  apiUrl(): string | undefined;
}

export const silentLogger: P2PLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Bytes that break the protocol (as opposed to a stream that ended or timed out). */
export function isMalformed(err: unknown): err is ProtocolError {
  return err instanceof ProtocolError && (err.code === 'malformed' || err.code === 'too-large');
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Addresses worth dialling later: not the unspecified address a peer listens on. */
export function isDialable(addr: string): boolean {
  return !addr.startsWith('/ip4/0.0.0.0/') && !addr.startsWith('/ip6/::/');
}

export function withPeerId(addr: string, id: string): string {
  return addr.includes('/p2p/') ? addr : `${addr}/p2p/${id}`;
}
