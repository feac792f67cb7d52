// The tutorials' whole-chain JSON (`{"chain":[...],"length":N}`) served from cached per-block JSON.
// A block's JSON depends on the tip only through its transactions' confirmations, so each block is
// rendered once, split around those values and kept by hash (a reorganisation changes the hash at a
// height, never the JSON of a hash). Streams share renders, yield to the event loop every few blocks
// and pull only as fast as their client reads.
import { Readable } from 'node:stream';
import type { ChainEntry } from '../chain/entry.js';
import type { Block } from '../core/block.js';
import type { NetworkParams } from '../core/params.js';
import { txid } from '../core/tx.js';
import type { Coin } from '../core/validation.js';
import type { ChainReader as FullChainReader, UndoReader } from './context.js';
import { classicBlock, spentCoinsOfBlock } from './views.js';

/** What the cache reads from the chain (undo data included, so transactions show sender and fee). */
export type ChainReader = Pick<
  FullChainReader,
  'params' | 'height' | 'tip' | 'entryAtHeight' | 'getBlock'
> & {
  readonly store: { readonly blocks: UndoReader };
};

export interface ChainCacheOptions {
  /** Bytes of cached block JSON kept (least recently used go first). */
  readonly maxBytes?: number;
  /** Blocks a stream handles between two yields to the event loop. */
  readonly yieldEvery?: number;
  /** Milliseconds all streams together may run in one event-loop turn, whatever the block count. */
  readonly sliceMs?: number;
  /** Blocks read ahead of the one being streamed (the store reads several at once). */
  readonly readAhead?: number;
  /** Bytes gathered into one chunk of the stream. */
  readonly chunkBytes?: number;
}

export interface ChainCache {
  stream(key: 'chain' | 'new_chain', from: number, to: number, extra: Record<string, unknown>): Readable;
  /** Counters, for tests and metrics. */
  stats(): ChainCacheStats;
}

export interface ChainCacheStats {
  /** Blocks rendered to JSON so far (a cache miss each). */
  readonly rendered: number;
  readonly cachedBlocks: number;
  readonly cachedBytes: number;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_YIELD_EVERY = 64;
export const DEFAULT_READ_AHEAD = 8;
const DEFAULT_SLICE_MS = 4;
const DEFAULT_CHUNK_BYTES = 32 * 1024;
/** What a cache entry costs beyond its bytes: the Buffer and its ArrayBuffer and backing store, the
 * fragment, its cuts, the map slot (the key is the entry's own hash string). */
const ENTRY_OVERHEAD = 320;

/** Confirmations rendered into a fragment, to be cut out: no real count is this large. */
const PLACEHOLDER = Number.MAX_SAFE_INTEGER;
const PLACEHOLDER_TEXT = `"confirmations":${PLACEHOLDER}`;

/**
 * A block's JSON as UTF-8 bytes with its confirmations cut out: `"confirmations":n` goes at each of
 * `cuts` (byte offsets, ascending). Bytes rather than a string: a cached block's JSON then lives outside
 * V8's heap, whose pages it would otherwise pin among the garbage of the requests that rendered it.
 */
interface Fragment {
  readonly json: Buffer;
  readonly cuts: readonly number[];
  readonly bytes: number;
}

function renderFragment(
  params: NetworkParams,
  entry: ChainEntry,
  block: Block,
  spent: ReadonlyArray<ReadonlyArray<Coin | undefined>>,
): Fragment {
  const text = JSON.stringify(classicBlock(params, entry, block, PLACEHOLDER, spent));
  const parts = text.split(PLACEHOLDER_TEXT);
  // Not from the shared pool: a cached fragment would keep a whole pool slab alive.
  const json = Buffer.allocUnsafeSlow(parts.reduce((n, p) => n + Buffer.byteLength(p), 0));
  const cuts: number[] = [];
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) cuts.push(at);
    at += json.write(parts[i]!, at);
  }
  return { json, cuts, bytes: json.length + ENTRY_OVERHEAD };
}

const COMMA = Buffer.from(',');

/** Byte pieces gathered into one chunk of a stream: the fragments' bytes, and the text between them. */
class ChunkPieces {
  private pieces: Buffer[] = [];
  length = 0;

  text(s: string): void {
    this.push(Buffer.from(s));
  }

  bytes(b: Buffer): void {
    this.push(b);
  }

  /** The fragment at `confirmations`. */
  fragment(f: Fragment, confirmations: number): void {
    let from = 0;
    for (const cut of f.cuts) {
      this.push(f.json.subarray(from, cut));
      this.text(`"confirmations":${confirmations}`);
      from = cut;
    }
    this.push(f.json.subarray(from));
  }

  /** The pieces so far as one buffer; the list starts again. */
  take(): Buffer {
    const chunk = Buffer.concat(this.pieces, this.length);
    this.pieces = [];
    this.length = 0;
    return chunk;
  }

  private push(b: Buffer): void {
    this.pieces.push(b);
    this.length += b.length;
  }
}

/** Least-recently-used map of fragments with a byte budget. */
class FragmentLru {
  private readonly map = new Map<string, Fragment>();
  bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.map.size;
  }

  get(hash: string): Fragment | undefined {
    const hit = this.map.get(hash);
    if (hit) {
      this.map.delete(hash);
      this.map.set(hash, hit);
    }
    return hit;
  }

  set(hash: string, fragment: Fragment): void {
    if (fragment.bytes > this.maxBytes || this.map.has(hash)) return;
    this.map.set(hash, fragment);
    this.bytes += fragment.bytes;
    for (const [oldest, f] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(oldest);
      this.bytes -= f.bytes;
    }
  }
}

/** The active entries at one tip, shared by every stream started while it is the tip. */
interface TipSnapshot {
  readonly tip: ChainEntry;
  readonly entries: readonly ChainEntry[];
}

export function createChainCache(reader: ChainReader, opts: ChainCacheOptions = {}): ChainCache {
  const lru = new FragmentLru(opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const yieldEvery = Math.max(1, opts.yieldEvery ?? DEFAULT_YIELD_EVERY);
  const sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const readAhead = Math.max(1, opts.readAhead ?? DEFAULT_READ_AHEAD);
  // Renders in progress, so that concurrent streams wait for one render instead of each doing it.
  const pending = new Map<string, Promise<Fragment | undefined>>();
  let snapshot: TipSnapshot | undefined;
  let rendered = 0;
  // One time budget per event-loop turn for all streams together: ten streams resuming in the same
  // turn must not each take a full slice.
  let turnStart = performance.now();
  let turn: Promise<void> | undefined;
  const nextTurn = (): Promise<void> => {
    turn ??= new Promise((resolve) =>
      setImmediate(() => {
        turn = undefined;
        turnStart = performance.now();
        resolve();
      }),
    );
    return turn;
  };

  function currentSnapshot(): TipSnapshot {
    const tip = reader.tip;
    if (snapshot?.tip === tip) return snapshot;
    // Entries are read synchronously, so the list is one consistent chain even if a block arrives later.
    const entries: ChainEntry[] = [];
    for (let h = 0; h <= reader.height; h++) entries.push(reader.entryAtHeight(h)!);
    snapshot = { tip, entries };
    return snapshot;
  }

  function fragmentOf(entry: ChainEntry): Fragment | Promise<Fragment | undefined> {
    const hit = lru.get(entry.hashHex);
    if (hit) return hit;
    const inFlight = pending.get(entry.hashHex);
    if (inFlight) return inFlight;
    const render = (async () => {
      const block = await reader.getBlock(entry.hashHex);
      if (!block) return undefined;
      const spent = await spentCoinsOfBlock(reader.store.blocks, entry, block, block.txs.map(txid));
      const fragment = renderFragment(reader.params, entry, block, spent);
      rendered++;
      lru.set(entry.hashHex, fragment);
      return fragment;
    })().finally(() => pending.delete(entry.hashHex));
    pending.set(entry.hashHex, render);
    return render;
  }

  /** Starts the reads of the next blocks, so that the store works while this one is rendered. */
  function prefetch(entries: readonly ChainEntry[], from: number, to: number): void {
    for (let h = from; h <= to; h++) {
      const next = fragmentOf(entries[h]!);
      // The stream that reaches this block sees a failure; a prefetch alone must not be unhandled.
      if (next instanceof Promise) next.catch(() => {});
    }
  }

  async function* generate(
    snap: TipSnapshot,
    key: string,
    from: number,
    to: number,
    extra: Record<string, unknown>,
  ): AsyncGenerator<Buffer> {
    const tipHeight = snap.entries.length - 1;
    const head = Object.entries(extra)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
      .join('');
    const chunk = new ChunkPieces();
    chunk.text(`{${head}${JSON.stringify(key)}:[`);
    let sinceYield = 0;
    for (let h = from; h <= to; h++) {
      if ((h - from) % readAhead === 0) prefetch(snap.entries, h + 1, Math.min(to, h + 2 * readAhead));
      const fragment = await fragmentOf(snap.entries[h]!);
      if (!fragment) break; // a block body that is gone ends the list, as it always did
      if (h > from) chunk.bytes(COMMA);
      chunk.fragment(fragment, tipHeight - h + 1);
      if (chunk.length >= chunkBytes) yield chunk.take();
      if (++sinceYield >= yieldEvery || performance.now() - turnStart >= sliceMs) {
        await nextTurn();
        sinceYield = 0;
      }
    }
    chunk.text(`],"length":${tipHeight + 1}}`);
    yield chunk.take();
  }

  return {
    stream(key, from, to, extra) {
      const snap = currentSnapshot();
      const last = Math.min(to, snap.entries.length - 1);
      const first = Math.max(0, from);
      // Not object mode: the high-water mark counts bytes, so a slow client holds back about one chunk.
      return Readable.from(generate(snap, key, first, last, extra), {
        objectMode: false,
        highWaterMark: chunkBytes,
      });
    },
    stats: () => ({ rendered, cachedBlocks: lru.size, cachedBytes: lru.bytes }),
  };
}
