// One place decides what a peer's doing costs it: every outcome of something a peer sent (a gossiped,
// synced or exchanged block or transaction, a malformed frame, a protocol violation, a timeout, a flood)
// is a Verdict, and judge() maps it to an offence (points in scoring.ts's PENALTY) or to none. Gossip,
// sync, the mempool exchange and the status handshake report verdicts; PeerGuard applies judgements.
import { ProtocolError } from './codec.js';
import type { Offence } from './scoring.js';
import type { SubmitResult } from './types.js';

export type Verdict =
  /** The chain's answer to a block the peer sent (gossip, sync). */
  | { kind: 'block'; result: SubmitResult }
  /** The mempool's answer to a transaction the peer sent (gossip, mempool exchange). */
  | { kind: 'tx'; result: SubmitResult }
  /** Bytes that break the protocol: a frame or message of an impossible size, undecodable. */
  | { kind: 'malformed'; detail: string }
  /** Well-formed but against the protocol: unexpected frames, unrequested blocks, headers that do not link. */
  | { kind: 'violation'; detail: string }
  /** A message on an added topic (topics.ts) its owner rejected. */
  | { kind: 'message'; detail: string }
  /** Requests beyond a rate limit. */
  | { kind: 'flood'; detail: string }
  /** A request, answer or stream that failed: judged by its ProtocolError code (other failures are no offence). */
  | { kind: 'failure'; err: unknown; detail: string }
  /** A sync round's end as the downloader reports it (its offence, and whether a copy was corrupted). */
  | { kind: 'syncRound'; offence?: Offence; malleated?: boolean; reason: string };

export interface Judgement {
  /** What the peer is charged with, if anything. */
  offence?: Offence;
  /** A corrupted copy to count without points (a transaction's: see judge()). */
  noteMalleated?: boolean;
  reason: string;
}

/** Refused only for a timestamp too far ahead of our clock: the sender's clock or ours may be off (Core does
 * not punish it either), and the block may be fine a little later. */
const CLOCK_CODES = new Set(['time-too-new']);

function blockJudgement(result: SubmitResult): Judgement {
  const reason = result.code ?? result.message ?? result.status;
  switch (result.status) {
    case 'accepted':
    case 'duplicate':
    case 'orphan':
      return { reason };
    case 'low-work':
      // `stale`: a few blocks behind our tip, as an honest peer's block that lost a race is.
      if (result.code === 'stale') return { reason: 'stale block' };
      return { offence: 'lowWork', reason: `low-work block${result.code ? `: ${result.code}` : ''}` };
    case 'invalid':
      if (result.code !== undefined && CLOCK_CODES.has(result.code)) return { reason };
      // The block's hash commits to its body: a copy that does not match its header was built so.
      if (result.malleated) return { offence: 'mutatedBlock', reason: `mutated block: ${reason}` };
      return { offence: 'invalidBlock', reason };
  }
}

function txJudgement(result: SubmitResult): Judgement {
  const reason = result.code ?? result.message ?? result.status;
  if (result.status !== 'invalid') return { reason };
  // A txid does not commit to every byte a relay could change: such a copy is counted, not charged.
  if (result.malleated) return { noteMalleated: true, reason };
  return { offence: 'invalidTx', reason };
}

function failureJudgement(err: unknown, detail: string): Judgement {
  const message = err instanceof Error ? err.message : String(err);
  const reason = `${detail}: ${message}`;
  if (!(err instanceof ProtocolError)) return { reason }; // a closed connection, a reset: no offence
  switch (err.code) {
    case 'malformed':
    case 'too-large':
      return { offence: 'malformedFrame', reason };
    case 'unexpected':
      return { offence: 'protocolViolation', reason };
    case 'timeout':
      return { offence: 'timeout', reason };
    default:
      return { reason };
  }
}

export function judge(verdict: Verdict): Judgement {
  switch (verdict.kind) {
    case 'block':
      return blockJudgement(verdict.result);
    case 'tx':
      return txJudgement(verdict.result);
    case 'malformed':
      return { offence: 'malformedFrame', reason: verdict.detail };
    case 'violation':
      return { offence: 'protocolViolation', reason: verdict.detail };
    case 'message':
      return { offence: 'invalidMessage', reason: verdict.detail };
    case 'flood':
      return { offence: 'flood', reason: verdict.detail };
    case 'failure':
      return failureJudgement(verdict.err, verdict.detail);
    case 'syncRound': {
      const { offence, reason } = verdict;
      // The downloader reports an invalid block by its code in the reason (`invalid block: <code>`).
      if (offence === 'invalidBlock' && [...CLOCK_CODES].some((c) => reason.endsWith(c))) return { reason };
      if (verdict.malleated) return { offence: 'mutatedBlock', reason };
      return { offence, reason };
    }
  }
}
