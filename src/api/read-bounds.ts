// How much one read may return: the sizes behind "pagination required" on /chain, the caps of the
// block tree and the pages of the address view (docs/api.md). Handlers call these; the numbers live here.
import { ApiError } from './errors.js';
import { parseLimit, parseOffset } from './parse.js';

/** Blocks in one /chain (or /nodes/resolve) answer; a chain up to this long is also served whole. */
export const CHAIN_PAGE_MAX = 1_000;

/**
 * The heights a /chain request covers. Without `limit` it is `from` (default 0) up to the tip, which is
 * served while it is at most CHAIN_PAGE_MAX blocks; past that the caller must page, and the error says how.
 */
export function chainPage(
  tipHeight: number,
  query: { from?: string; limit?: string },
  route = '/chain',
): { from: number; to: number } {
  const from = parseOffset(query.from, 'from') ?? 0;
  if (query.limit === undefined || query.limit === '') {
    const blocks = tipHeight - from + 1;
    if (blocks > CHAIN_PAGE_MAX) {
      throw new ApiError(
        400,
        'page-required',
        `the chain has ${blocks} blocks from height ${from}, more than the ${CHAIN_PAGE_MAX} one answer holds: ` +
          `ask for pages, ${route}?from=${from}&limit=${CHAIN_PAGE_MAX}, then from=${from + CHAIN_PAGE_MAX} and so on ` +
          '(each answer\'s "length" is the whole chain\'s)',
      );
    }
    return { from, to: tipHeight };
  }
  const limit = parseLimit(query.limit, CHAIN_PAGE_MAX, CHAIN_PAGE_MAX);
  return { from, to: Math.min(tipHeight, from + limit - 1) };
}

/** Heights of the block tree in one answer (`depth`), and blocks at one height and in all. */
export const TREE_DEPTH_MAX = 200;
export const TREE_PER_HEIGHT_MAX = 8;
export const TREE_BLOCKS_MAX = 500;

/**
 * Keeps at most TREE_PER_HEIGHT_MAX blocks per height and TREE_BLOCKS_MAX in all, from a list sorted
 * by height with the active block first at each height, so the active chain is what stays.
 */
export function capTree<T extends { height: number }>(sorted: readonly T[]): { kept: T[]; omitted: number } {
  const kept: T[] = [];
  let atHeight = 0;
  let height = -1;
  for (const b of sorted) {
    if (b.height !== height) {
      height = b.height;
      atHeight = 0;
    }
    if (atHeight >= TREE_PER_HEIGHT_MAX || kept.length >= TREE_BLOCKS_MAX) continue;
    atHeight++;
    kept.push(b);
  }
  return { kept, omitted: sorted.length - kept.length };
}

/** History entries an address view may skip with `offset` (each one skipped is read). */
export const ADDRESS_OFFSET_MAX = 100_000;
/** Unspent outputs listed in one address view (`utxoLimit`, default and most). */
export const ADDRESS_UTXO_PAGE_MAX = 1_000;

export function addressPage(query: {
  offset?: string;
  limit?: string;
  utxoOffset?: string;
  utxoLimit?: string;
}): { offset: number; limit: number; utxoOffset: number; utxoLimit: number } {
  const offset = parseOffset(query.offset) ?? 0;
  if (offset > ADDRESS_OFFSET_MAX) {
    throw new ApiError(
      400,
      'offset-too-large',
      `offset may be at most ${ADDRESS_OFFSET_MAX}: each skipped history entry is read`,
    );
  }
  const utxoOffset = parseOffset(query.utxoOffset, 'utxoOffset') ?? 0;
  return {
    offset,
    limit: parseLimit(query.limit, 50, 500),
    utxoOffset,
    utxoLimit: parseLimit(query.utxoLimit, ADDRESS_UTXO_PAGE_MAX, ADDRESS_UTXO_PAGE_MAX, 'utxoLimit'),
  };
}
