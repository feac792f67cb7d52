// Paging over the chain newest first, on GET /api/v1/blocks?from=&limit= (which answers ascending).

export interface BlockPage {
  /** Query of this page. */
  readonly from: number;
  readonly limit: number;
  /** Height of the newest block shown. */
  readonly top: number;
  /** `top` of the next newer page, or null on the newest. */
  readonly newer: number | null;
  /** `top` of the next older page, or null on the page with the genesis block. */
  readonly older: number | null;
  /** 1-based page number, newest first, and how many pages there are. */
  readonly page: number;
  readonly pages: number;
}

/**
 * The page of `size` blocks whose newest is `top` (null: the newest blocks, following the tip). A `top`
 * above the tip is the newest page; pages are aligned on the tip so that "older" then "newer" returns.
 */
export function blockPage(tipHeight: number, top: number | null, size: number): BlockPage {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('page size must be a positive integer');
  const tip = Math.max(0, tipHeight);
  const wanted = top === null ? tip : Math.max(0, Math.min(tip, Math.floor(top)));
  const page = Math.floor((tip - wanted) / size) + 1;
  const pageTop = tip - (page - 1) * size;
  const from = Math.max(0, pageTop - size + 1);
  return {
    from,
    limit: pageTop - from + 1,
    top: pageTop,
    newer: page === 1 ? null : pageTop + size,
    older: from === 0 ? null : from - 1,
    page,
    pages: Math.floor(tip / size) + 1,
  };
}
