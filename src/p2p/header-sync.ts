// Headers first: a peer's headers are fetched and checked by the chain (linkage, proof of work,
// bits and time in context) before any body is asked for. Only a chain with more work than our
// tip (and at least the network's minimum chain work) becomes something to download. The headers
// held for one peer are bounded: a peer cannot make us keep more than HEADER_LIMITS.maxHeld.

import type { DownloadTarget } from './download-types.js';
import { blockHashOf, prevHashOf } from './header.js';
import { LIMITS } from './protocol.js';
import type { SyncSource, SyncStop } from './sync.js';
import type { ChainAccess, HeadersVerdict } from './types.js';

export const HEADER_LIMITS = {
  /** Headers in one answer; a full answer means the peer may have more. */
  perRequest: LIMITS.maxHeaders,
  /** Headers held per peer while looking for a chain with more work than ours (80 bytes each: 4 MB). */
  maxHeld: 50_000,
  /**
   * While a download runs, the headers after its target are asked for once fewer than this many of its
   * blocks are left, so that it never drains to ask for them (a round trip, then a window to refill).
   */
  lookahead: 2 * LIMITS.maxHeaders,
} as const;

/** An answer longer than HEADER_LIMITS.perRequest. */
const TOO_MANY_HEADERS: SyncStop = { reason: 'more headers than allowed', offence: 'protocolViolation' };

/** Checked headers whose blocks are not all in the chain yet (a download's target), to continue from. */
export interface HeaderRun {
  readonly headers: readonly Uint8Array[];
  readonly hashes: readonly string[];
  /** Chain work at the last one. */
  readonly work: bigint;
}

export interface HeaderSyncResult {
  /** A checked chain with more work than our tip, to download. */
  target?: DownloadTarget;
  /** The target's headers, to continue from (fetchMoreHeaders). */
  run?: HeaderRun;
  /** The peer's last answer was not full: it has nothing after these. */
  complete: boolean;
  /** Why nothing (or not everything) is to be downloaded, and what it costs the peer. */
  stop?: SyncStop;
}

export interface HeaderSyncOptions {
  chain: ChainAccess;
  source: SyncSource;
  /** The chain work the peer claimed in its status, if known. */
  claimedWork?: bigint;
  maxHeld?: number;
  signal?: AbortSignal;
}

/**
 * Asks the peer for headers after our locator, then after the last header it sent while its answers
 * are full, until they show more work than our tip (download those first; the caller comes back for
 * the rest), the peer has no more, or the bound is reached. Throws what the source throws.
 *
 * The chain checks a run of headers from a block it has, so later answers are checked together with
 * the held ones; to keep that linear, the whole run is checked each time it has doubled (and at the
 * end), and in between each answer is only checked to link up.
 */
export async function fetchHeaderChain(opts: HeaderSyncOptions): Promise<HeaderSyncResult> {
  const { chain, source, signal } = opts;
  const maxHeld = Math.max(HEADER_LIMITS.perRequest, opts.maxHeld ?? HEADER_LIMITS.maxHeld);
  const held: Uint8Array[] = [];
  const hashes: string[] = [];
  let work: bigint | undefined;
  let checked = 0;
  let complete = false;
  const check = (): SyncStop | undefined => {
    const verdict = chain.checkHeaders(held);
    if (verdict.status !== 'ok') return stopOf(verdict, checked > 0);
    work = verdict.work;
    checked = held.length;
    return undefined;
  };
  for (;;) {
    signal?.throwIfAborted();
    const last = hashes.at(-1);
    const locator = last === undefined ? chain.blockLocator() : [last, ...chain.blockLocator()];
    const batch = await source.getHeaders(locator);
    if (batch.length > HEADER_LIMITS.perRequest) return { complete, stop: TOO_MANY_HEADERS };
    if (batch.length === 0) {
      complete = true;
      break;
    }
    // The peer moved to another chain since its last answer: judge what we have.
    if (last !== undefined && prevHashOf(batch[0]!) !== last) break;
    for (let i = 0; i < batch.length; i++) {
      const hash = blockHashOf(batch[i]!);
      if (i > 0 && prevHashOf(batch[i]!) !== hashes.at(-1))
        return {
          complete,
          stop: { reason: `invalid header ${held.length}: bad-prev-block`, offence: 'invalidBlock' },
        };
      held.push(batch[i]!);
      hashes.push(hash);
    }
    complete = batch.length < HEADER_LIMITS.perRequest;
    const atBound = held.length + HEADER_LIMITS.perRequest > maxHeld;
    if (complete || atBound || held.length >= 2 * checked) {
      const stop = check();
      if (stop) return { complete, stop };
      // Enough to start downloading (the caller comes back for the rest).
      if (work! > chain.tip().chainWork && work! >= chain.minimumChainWork) break;
    }
    if (complete || atBound) break;
  }
  if (held.length > checked) {
    const stop = check();
    if (stop) return { complete, stop };
  }
  return judge(opts, { headers: held, hashes }, work, complete);
}

/**
 * One more answer after the last header of `run` (the target of a running download): the chain
 * checks the run's headers whose blocks it lacks together with the new ones, so that the download can
 * be extended before it drains. The run held stays bounded by what the download has not connected
 * (HEADER_LIMITS.lookahead plus one answer). A peer that moved to another chain meanwhile, or has
 * nothing more, ends the continuation; the caller starts again from our locator later.
 */
export async function fetchMoreHeaders(opts: HeaderSyncOptions, run: HeaderRun): Promise<HeaderSyncResult> {
  const { chain, source, signal } = opts;
  signal?.throwIfAborted();
  const last = run.hashes.at(-1);
  if (last === undefined) return fetchHeaderChain(opts);
  const batch = await source.getHeaders([last, ...chain.blockLocator()]);
  if (batch.length > HEADER_LIMITS.perRequest) return { complete: false, stop: TOO_MANY_HEADERS };
  const complete = batch.length < HEADER_LIMITS.perRequest;
  // Nothing after the run: the peer's tip is its last header, and it shows no more work than that.
  if (batch.length === 0) return { complete, stop: claimBeyond(opts.claimedWork, run.work) };
  if (prevHashOf(batch[0]!) !== last)
    return { complete: false, stop: { reason: 'the peer moved to another chain' } };
  // The blocks the chain has are off the run but its last (so that the download sees a continuation):
  // the first one left hangs off a block in the chain.
  let from = 0;
  while (from < run.hashes.length - 1 && chain.hasBlock(run.hashes[from]!)) from++;
  const headers = [...run.headers.slice(from), ...batch];
  const hashes = [...run.hashes.slice(from), ...batch.map(blockHashOf)];
  const verdict = chain.checkHeaders(headers);
  if (verdict.status !== 'ok') return { complete, stop: stopOf(verdict, true) };
  return judge(opts, { headers, hashes }, verdict.work, complete);
}

/** What the chain's refusal of a run of headers says about the peer; `connectedBefore`: it hung off our chain once. */
function stopOf(verdict: Exclude<HeadersVerdict, { status: 'ok' }>, connectedBefore: boolean): SyncStop {
  if (verdict.status === 'invalid')
    return { reason: `invalid header ${verdict.index}: ${verdict.code}`, offence: 'invalidBlock' };
  // A run that connected before lost its first parent meanwhile (a reorganisation, pruning): no one's fault.
  if (connectedBefore) return { reason: 'the block the headers hang off is gone' };
  // Our locator names only blocks we have: an answer to it must hang off one of them.
  return { reason: 'headers do not connect to our chain', offence: 'protocolViolation' };
}

/** A peer that has no more than `shown` but claimed more in its status. */
function claimBeyond(claimedWork: bigint | undefined, shown: bigint): SyncStop | undefined {
  if (claimedWork === undefined || claimedWork <= shown) return undefined;
  return {
    reason: `claims chain work ${claimedWork} but its headers show ${shown}`,
    offence: 'protocolViolation',
  };
}

function judge(
  opts: HeaderSyncOptions,
  run: Omit<HeaderRun, 'work'>,
  work: bigint | undefined,
  complete: boolean,
): HeaderSyncResult {
  const { chain, claimedWork } = opts;
  const tipWork = chain.tip().chainWork;
  // An empty answer: the peer's tip is on our chain, so it has no more work than our tip.
  const shown = work ?? (complete ? tipWork : undefined);
  const stop = complete && shown !== undefined ? claimBeyond(claimedWork, shown) : undefined;
  if (work === undefined || work <= tipWork) {
    return { complete, stop: stop ?? { reason: 'its headers show no more work than our tip' } };
  }
  if (work < chain.minimumChainWork) {
    return { complete, stop: stop ?? { reason: `its chain is below the minimum chain work (${work})` } };
  }
  return { complete, stop, target: { hashes: run.hashes, work }, run: { ...run, work } };
}
