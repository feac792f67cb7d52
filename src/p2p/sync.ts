// Headers-first download from one peer. Ask for headers after our block locator, check
// that they link up, then fetch the bodies we lack in batches and hand them to the chain
// in order. The next batches are requested while the current one is being submitted, so
// the peer and the network keep working while the chain connects blocks.
import { ProtocolError } from './codec.js';
import { blockHashOf, prevHashOf } from './header.js';
import type { Offence } from './scoring.js';
import type { ChainAccess } from './types.js';

/** The two requests of the sync protocol, as seen by the downloader. */
export interface SyncSource {
  readonly peer: string;
  getHeaders(locator: string[]): Promise<Uint8Array[]>;
  /** Blocks for a prefix of `hashes` (possibly shorter when the peer caps its answer). */
  getBlocks(hashes: string[]): Promise<Uint8Array[]>;
}

export interface SyncOptions {
  chain: ChainAccess;
  source: SyncSource;
  /** Most blocks per getBlocks request (fewer when blocks are large). */
  batchSize?: number;
  /** Requests kept in flight ahead of the batch being submitted. */
  pipelineDepth?: number;
  /** Called after every submitted batch with the number of blocks accepted so far. */
  onProgress?: (accepted: number) => void;
  signal?: AbortSignal;
}

export interface SyncResult {
  /** Blocks the chain accepted. */
  blocks: number;
  /** Why the round ended early, if it did. */
  reason?: string;
  /** Misbehaviour to hold against the peer, if any. */
  offence?: Offence;
  /** The peer sent a block the chain found corrupted in transit. */
  malleated?: boolean;
}

const DEFAULT_BATCH = 128;
const DEFAULT_DEPTH = 3;
/** Blocks in the first request, before their size is known. */
const FIRST_BATCH = 16;
/** Bytes a batch aims at once the average block size is known. */
const TARGET_BATCH_BYTES = 1_000_000;
const YIELD_EVERY_MS = 4;

/** A reason to stop syncing with this peer, possibly with an offence to record. */
class StopSync extends Error {
  constructor(
    readonly reason: string,
    readonly offence?: Offence,
    readonly malleated?: boolean,
  ) {
    super(reason);
  }
}

function offenceOf(err: unknown): StopSync {
  if (err instanceof StopSync) return err;
  if (err instanceof ProtocolError) {
    switch (err.code) {
      case 'malformed':
      case 'too-large':
        return new StopSync(err.message, 'malformedFrame');
      case 'unexpected':
        return new StopSync(err.message, 'protocolViolation');
      case 'timeout':
        return new StopSync(err.message, 'timeout');
      default:
        return new StopSync(err.message);
    }
  }
  // Connection closed, stream reset, abort: not the peer's fault as far as we can tell.
  return new StopSync(err instanceof Error ? err.message : String(err));
}

/** Checks that headers form a chain hanging off a block we know. Returns their hashes. */
export function checkHeaderChain(headers: Uint8Array[], isKnown: (hash: string) => boolean): string[] {
  const hashes = headers.map(blockHashOf);
  if (!isKnown(prevHashOf(headers[0]))) {
    throw new StopSync('headers do not connect to our chain', 'protocolViolation');
  }
  for (let i = 1; i < headers.length; i++) {
    if (prevHashOf(headers[i]) !== hashes[i - 1]) {
      throw new StopSync('headers are not a chain', 'protocolViolation');
    }
  }
  return hashes;
}

async function fetchAll(source: SyncSource, hashes: string[], signal?: AbortSignal): Promise<Uint8Array[]> {
  const blocks: Uint8Array[] = [];
  let remaining = hashes;
  while (remaining.length > 0) {
    signal?.throwIfAborted();
    const got = await source.getBlocks(remaining);
    if (got.length === 0) throw new StopSync('peer no longer has the blocks it announced');
    if (got.length > remaining.length)
      throw new StopSync('peer sent unrequested blocks', 'protocolViolation');
    got.forEach((block, i) => {
      if (blockHashOf(block) !== remaining[i]) {
        throw new StopSync('peer sent a block we did not ask for', 'protocolViolation');
      }
    });
    blocks.push(...got);
    remaining = remaining.slice(got.length);
  }
  return blocks;
}

/** Downloads `wanted` (in chain order) with requests pipelined, submitting in order. */
async function downloadAndSubmit(
  opts: SyncOptions,
  wanted: string[],
  accepted: { n: number },
): Promise<void> {
  const { chain, source, signal } = opts;
  const maxBatch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const depth = Math.max(1, opts.pipelineDepth ?? DEFAULT_DEPTH);
  // Batches are sized by bytes once block sizes are known: small blocks go 128 at a time,
  // large ones a few at a time, so the first blocks reach the chain early and the
  // pipeline holds a bounded amount of data.
  let seenBlocks = 0;
  let seenBytes = 0;
  const nextBatchSize = () => {
    if (seenBlocks === 0) return Math.min(maxBatch, FIRST_BATCH);
    const fit = Math.floor(TARGET_BATCH_BYTES / (seenBytes / seenBlocks));
    return Math.max(1, Math.min(maxBatch, fit));
  };

  const inflight: Promise<Uint8Array[]>[] = [];
  let next = 0;
  const launch = () => {
    while (inflight.length < depth && next < wanted.length) {
      const batch = wanted.slice(next, next + nextBatchSize());
      next += batch.length;
      const request = fetchAll(source, batch, signal).then((blocks) => {
        seenBlocks += blocks.length;
        for (const b of blocks) seenBytes += b.length;
        return blocks;
      });
      request.catch(() => {}); // awaited below; this only keeps an abandoned request quiet
      inflight.push(request);
    }
  };

  launch();
  let lastYield = performance.now();
  while (inflight.length > 0) {
    const blocks = await inflight.shift()!;
    launch();
    signal?.throwIfAborted();
    // A chain that connects blocks without real I/O settles in microtasks and would starve
    // the sockets: yield now and then so the next batches keep arriving meanwhile.
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    // The whole batch at once: the chain connects a run together (signatures of one block checked
    // while the next connects). The first block that is not accepted ends the sync with this peer.
    const results = await chain.submitBlocks(blocks, source.peer);
    for (const result of results) {
      switch (result.status) {
        case 'accepted':
          accepted.n++;
          break;
        case 'duplicate':
          break;
        case 'orphan':
          throw new StopSync('downloaded block does not connect');
        case 'invalid':
          if (result.malleated) throw new StopSync(`malleated block: ${result.code ?? ''}`, undefined, true);
          throw new StopSync(`invalid block: ${result.code ?? result.message ?? ''}`, 'invalidBlock');
      }
    }
    opts.onProgress?.(accepted.n);
  }
}

/** One sync round with one peer: repeats getHeaders until the peer has nothing new. */
export async function syncFromPeer(opts: SyncOptions): Promise<SyncResult> {
  const { chain, source, signal } = opts;
  const accepted = { n: 0 };
  try {
    for (;;) {
      signal?.throwIfAborted();
      const tipBefore = chain.tip().hash;
      const headers = await source.getHeaders(chain.blockLocator());
      if (headers.length === 0) break;
      const hashes = checkHeaderChain(headers, (h) => chain.hasBlock(h));
      const wanted = hashes.filter((h) => !chain.hasBlock(h));
      if (wanted.length === 0) break; // we know all of it: the peer is not ahead of us
      const before = accepted.n;
      await downloadAndSubmit(opts, wanted, accepted);
      // A round that moved nothing (all duplicates, tip unchanged) would repeat forever.
      if (accepted.n === before && chain.tip().hash === tipBefore) break;
    }
    return { blocks: accepted.n };
  } catch (err) {
    const stop = offenceOf(err);
    return { blocks: accepted.n, reason: stop.reason, offence: stop.offence, malleated: stop.malleated };
  }
}
