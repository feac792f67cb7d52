// Paging newest first over GET /api/v1/txs?before=, whose answer names the `before` of the next older
// page. The pages seen so far are a stack of those cursors, so "Newer" goes back to exactly the page
// shown before; the first page (cursor null) follows the tip.
import { endpointPath } from '../../../src/api/client.js';
import { endpoints } from '../../../src/api/definitions/index.js';

export interface TxCursor {
  /** `before` of each page from the newest to the current one; the first is always null. */
  readonly stack: readonly (number | null)[];
}

export const firstTxPage: TxCursor = { stack: [null] };

/** The query of the current page's call (the typed client's getTxs). */
export function txPageArgs(cursor: TxCursor, limit: number): { limit: string; before?: string } {
  const before = cursor.stack.at(-1) ?? null;
  return before === null ? { limit: String(limit) } : { limit: String(limit), before: String(before) };
}

/** The path and query of the current page. */
export const txPageQuery = (cursor: TxCursor, limit: number): string =>
  endpointPath(endpoints.getTxs, { query: txPageArgs(cursor, limit) });

/** One page older, to the `next` the current page answered; unchanged at the end (next null). */
export function olderTxPage(cursor: TxCursor, next: number | null): TxCursor {
  if (next === null) return cursor;
  return { stack: [...cursor.stack, next] };
}

/** One page newer; the first page stays the first. */
export function newerTxPage(cursor: TxCursor): TxCursor {
  return cursor.stack.length <= 1 ? cursor : { stack: cursor.stack.slice(0, -1) };
}

/** 1-based page number, newest first. */
export const txPageNumber = (cursor: TxCursor): number => cursor.stack.length;

/** The first page follows the tip; older ones hold fixed heights. */
export const isLatestTxPage = (cursor: TxCursor): boolean => cursor.stack.length <= 1;
