// GET /api/v1/blocks/:id as JSON text rendered once per block. A block's view depends on the tip only
// through `confirmations` (of the block and of each transaction) and `nextHash`, so the text is kept
// by hash, split around a placeholder for the confirmations, with `nextHash` written as null; each
// answer joins the parts with the real count and puts the next hash in. Bounded by bytes, LRU.
import type { ApiContext } from './context.js';
import { findBlock, findEntry } from './queries.js';
import { blockView } from './views.js';

const PLACEHOLDER = Number.MAX_SAFE_INTEGER;
const CONFIRMATIONS = `"confirmations":${PLACEHOLDER}`;
const NO_NEXT = '"nextHash":null';

interface Rendered {
  readonly parts: readonly string[];
  readonly bytes: number;
}

export function createBlockJsonCache(ctx: ApiContext, maxBytes = 16 * 1024 * 1024) {
  const lru = new Map<string, Rendered>();
  let bytes = 0;

  async function render(hashOrHeight: string): Promise<Rendered> {
    const { entry, block } = await findBlock(ctx, hashOrHeight);
    const view = await blockView(ctx.chain, entry, block);
    const txs = view.txs.map((t) => ({ ...t, confirmations: PLACEHOLDER }));
    const text = JSON.stringify({ ...view, confirmations: PLACEHOLDER, nextHash: null, txs });
    const parts = text.split(CONFIRMATIONS);
    return { parts, bytes: text.length };
  }

  function remember(hash: string, r: Rendered): void {
    lru.set(hash, r);
    bytes += r.bytes;
    for (const [key, old] of lru) {
      if (bytes <= maxBytes || key === hash) break;
      lru.delete(key);
      bytes -= old.bytes;
    }
  }

  return async function blockJson(hashOrHeight: string): Promise<string> {
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
    const active = chain.isActive(entry);
    const confirmations = active ? chain.height - entry.height + 1 : 0;
    const next = active ? chain.entryAtHeight(entry.height + 1) : undefined;
    const text = rendered.parts.join(`"confirmations":${confirmations}`);
    return next ? text.replace(NO_NEXT, `"nextHash":"${next.hashHex}"`) : text;
  };
}
