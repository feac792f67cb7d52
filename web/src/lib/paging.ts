// Paging over the chain newest first, on GET /api/v1/blocks?from=&limit= (which answers ascending).

export interface BlockPage {
  /** Query of this page. */
  readonly from: number;
  readonly limit: number;
  /** Height of the newest block shown. */
  readonly top: number;
  /** `top` of the next newer page: null for the newest page, which follows the tip. */
  readonly newer: number | null;
  /** `top` of the next older page, or null on the page with the genesis block. */
  readonly older: number | null;
  /** True for the newest page (`top` null, or at or above the tip). */
  readonly latest: boolean;
  /** 1-based page number, newest first, and how many pages there are. */
  readonly page: number;
  readonly pages: number;
}

/**
 * The page of at most `size` blocks whose newest is `top` (null: the newest blocks, following the tip).
 * An older page keeps its heights while new blocks arrive; "older" then "newer" comes back to it.
 */
export function blockPage(tipHeight: number, top: number | null, size: number): BlockPage {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('page size must be a positive integer');
  const tip = Math.max(0, Math.floor(tipHeight));
  const pageTop = top === null ? tip : Math.max(0, Math.min(tip, Math.floor(top)));
  const latest = pageTop === tip;
  const from = Math.max(0, pageTop - size + 1);
  return {
    from,
    limit: pageTop - from + 1,
    top: pageTop,
    newer: latest ? null : Math.min(pageTop + size, tip),
    older: from === 0 ? null : from - 1,
    latest,
    page: Math.ceil((tip - pageTop) / size) + 1,
    pages: Math.ceil((tip + 1) / size),
  };
}
