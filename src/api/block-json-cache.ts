// GET /api/v1/blocks/:id as JSON rendered once per block. A block's view depends on the tip only
// through `confirmations` (of the block and of each transaction) and `nextHash`, so a block keeps one
// text, the answer at the tip it was last served at, as UTF-8 bytes, with where those values sit in
// it: while the tip stays, a request costs a lookup and the socket write, with no JSON work and no
// string encoding; once the tip moves, the next request copies the bytes around the new values.
// Bounded by bytes (what each entry really holds), LRU.
import type { ApiContext } from './context.js';
import { findBlock, findEntry } from './queries.js';
import { blockView } from './views.js';

const PLACEHOLDER = Number.MAX_SAFE_INTEGER;
const NO_NEXT = '"nextHash":null';
/** The values that depend on the tip, as the first rendering writes them. */
const TIP_VALUES = new RegExp(`("confirmations":${PLACEHOLDER}|${NO_NEXT})`);
/** An entry beyond its bytes: the Buffer and its backing store, the entry object, the map slot. */
const ENTRY_OVERHEAD = 320;
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

interface Rendered {
  /** The view's JSON with `conf` at each of `cuts` but the `nextAt`th, where it has `next`. */
  body: Buffer;
  /** The tip `body` is the answer at (a block hash), or '' while it holds the placeholders. */
  tip: string;
  conf: string;
  next: string;
  /** Where the tip's values go in the JSON without them (byte offsets, ascending). */
  readonly cuts: readonly number[];
  readonly nextAt: number;
}

/** What an entry holds: its bytes (one answer at a time) and the offsets. */
const sizeOf = (r: Rendered) => r.body.length + 8 * r.cuts.length + ENTRY_OVERHEAD;

/** The view's bytes with `conf` and `next` in place of the values `r.body` has. */
function withTipValues(r: Rendered, conf: string, next: string): Buffer {
  const old = r.body;
  const grow = (r.cuts.length - 1) * (conf.length - r.conf.length) + next.length - r.next.length;
  // Not from the shared pool: a kept answer would keep a whole pool slab alive.
  const out = Buffer.allocUnsafeSlow(old.length + grow);
  let src = 0;
  let dst = 0;
  let template = 0;
  for (let i = 0; i < r.cuts.length; i++) {
    const piece = r.cuts[i]! - template;
    dst += old.copy(out, dst, src, src + piece);
    src += piece + (i === r.nextAt ? r.next : r.conf).length;
    dst += out.write(i === r.nextAt ? next : conf, dst, 'latin1');
    template = r.cuts[i]!;
  }
  old.copy(out, dst, src);
  return out;
}

export function createBlockJsonCache(ctx: Pick<ApiContext, 'chain'>, maxBytes = DEFAULT_MAX_BYTES) {
  const lru = new Map<string, Rendered>();
  let bytes = 0;

  async function render(hashOrHeight: string): Promise<Rendered> {
    const { entry, block } = await findBlock(ctx, hashOrHeight);
    const view = await blockView(ctx.chain, entry, block);
    const txs = view.txs.map((t) => ({ ...t, confirmations: PLACEHOLDER }));
    const text = JSON.stringify({ ...view, confirmations: PLACEHOLDER, nextHash: null, txs });
    // Odd parts are the values cut out; the first nextHash is the block's (its transactions have none).
    const parts = text.split(TIP_VALUES);
    const cuts: number[] = [];
    let nextAt = -1;
    let at = 0;
    for (let i = 0; i + 1 < parts.length; i += 2) {
      at += Buffer.byteLength(parts[i]!);
      if (nextAt < 0 && parts[i + 1] === NO_NEXT) nextAt = cuts.length;
      cuts.push(at);
    }
    const conf = `"confirmations":${PLACEHOLDER}`;
    return { body: Buffer.from(text), tip: '', conf, next: NO_NEXT, cuts, nextAt };
  }

  /** Keeps `r` as the most recent entry (again, if it was there), dropping the oldest past the budget. */
  function remember(hash: string, r: Rendered): void {
    const had = lru.get(hash);
    if (had) {
      lru.delete(hash);
      bytes -= sizeOf(had);
    }
    lru.set(hash, r);
    bytes += sizeOf(r);
    for (const [key, old] of lru) {
      if (bytes <= maxBytes || key === hash) break;
      lru.delete(key);
      bytes -= sizeOf(old);
    }
  }

  /** The view's JSON as of the current tip, as UTF-8 bytes. */
  return async function blockJson(hashOrHeight: string): Promise<Buffer> {
    const entry = findEntry(ctx, hashOrHeight);
    const { chain } = ctx;
    const tip = chain.tip.hashHex;
    const kept = lru.get(entry.hashHex);
    if (kept?.tip === tip) {
      // The hit of a tip that stays: most recent again, nothing else to do.
      lru.delete(entry.hashHex);
      lru.set(entry.hashHex, kept);
      return kept.body;
    }
    const rendered = kept ?? (await render(entry.hashHex));
    // Out of the map while its size changes, so that the count of bytes stays true.
    if (kept) {
      lru.delete(entry.hashHex);
      bytes -= sizeOf(kept);
    }
    const active = chain.isActive(entry);
    const confirmations = active ? chain.height - entry.height + 1 : 0;
    const next = active ? chain.entryAtHeight(entry.height + 1) : undefined;
    const conf = `"confirmations":${confirmations}`;
    const nextText = next ? `"nextHash":"${next.hashHex}"` : NO_NEXT;
    rendered.body = withTipValues(rendered, conf, nextText);
    rendered.tip = chain.tip.hashHex;
    rendered.conf = conf;
    rendered.next = nextText;
    remember(entry.hashHex, rendered);
    return rendered.body;
  };
}
