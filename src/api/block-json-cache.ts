// GET /api/v1/blocks/:id as JSON rendered once per block. A block's view depends on the tip only
// through `confirmations` (of the block and of each transaction) and `nextHash`, so the text is kept
// by hash, split around a placeholder for the confirmations, with `nextHash` written as null. The
// answer for the current tip is kept too, as UTF-8 bytes: while the tip stays, a request costs a
// lookup and the socket write, with no JSON work and no string encoding. Bounded by bytes, LRU.
import type { ApiContext } from './context.js';
import { findBlock, findEntry } from './queries.js';
import { blockView } from './views.js';

const PLACEHOLDER = Number.MAX_SAFE_INTEGER;
const CONFIRMATIONS = `"confirmations":${PLACEHOLDER}`;
const NO_NEXT = '"nextHash":null';

interface Rendered {
  readonly parts: readonly string[];
  readonly textBytes: number;
  /** The answer as of the tip `tip` (a block hash), if one was served since the tip last moved. */
  answer?: { readonly tip: string; readonly body: Buffer };
}

/** What an entry holds: the split text and, at most, one answer of the same length. */
const sizeOf = (r: Rendered) => 2 * r.textBytes;

export function createBlockJsonCache(ctx: Pick<ApiContext, 'chain'>, maxBytes = 16 * 1024 * 1024) {
  const lru = new Map<string, Rendered>();
  let bytes = 0;

  async function render(hashOrHeight: string): Promise<Rendered> {
    const { entry, block } = await findBlock(ctx, hashOrHeight);
    const view = await blockView(ctx.chain, entry, block);
    const txs = view.txs.map((t) => ({ ...t, confirmations: PLACEHOLDER }));
    const text = JSON.stringify({ ...view, confirmations: PLACEHOLDER, nextHash: null, txs });
    return { parts: text.split(CONFIRMATIONS), textBytes: Buffer.byteLength(text) };
  }

  function remember(hash: string, r: Rendered): void {
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
    let rendered = lru.get(entry.hashHex);
    if (rendered) {
      lru.delete(entry.hashHex);
      lru.set(entry.hashHex, rendered);
    } else {
      rendered = await render(entry.hashHex);
      remember(entry.hashHex, rendered);
    }
    const { chain } = ctx;
    const tip = chain.tip.hashHex;
    if (rendered.answer?.tip === tip) return rendered.answer.body;
    const active = chain.isActive(entry);
    const confirmations = active ? chain.height - entry.height + 1 : 0;
    const next = active ? chain.entryAtHeight(entry.height + 1) : undefined;
    const text = rendered.parts.join(`"confirmations":${confirmations}`);
    const body = Buffer.from(next ? text.replace(NO_NEXT, `"nextHash":"${next.hashHex}"`) : text);
    rendered.answer = { tip, body };
    return body;
  };
}
