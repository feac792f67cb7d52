import { describe, expect, it } from 'vitest';
import {
  firstTxPage,
  isLatestTxPage,
  newerTxPage,
  olderTxPage,
  txPageNumber,
  txPageQuery,
} from '../../../web/src/lib/tx-paging.js';

describe('transaction paging', () => {
  it('starts at the tip and asks for the next older page with the cursor the node answered', () => {
    expect(txPageQuery(firstTxPage, 25)).toBe('/api/v1/txs?limit=25');
    expect(isLatestTxPage(firstTxPage)).toBe(true);
    const older = olderTxPage(firstTxPage, 40);
    expect(txPageQuery(older, 25)).toBe('/api/v1/txs?limit=25&before=40');
    expect(txPageNumber(older)).toBe(2);
    expect(isLatestTxPage(older)).toBe(false);
  });

  it('comes back newer through exactly the pages it went through, and no further than the first', () => {
    let c = firstTxPage;
    for (const next of [40, 31, 7]) c = olderTxPage(c, next);
    expect(txPageQuery(c, 10)).toBe('/api/v1/txs?limit=10&before=7');
    const back: string[] = [];
    for (let i = 0; i < 5; i++) {
      c = newerTxPage(c);
      back.push(txPageQuery(c, 10));
    }
    expect(back).toEqual([
      '/api/v1/txs?limit=10&before=31',
      '/api/v1/txs?limit=10&before=40',
      '/api/v1/txs?limit=10',
      '/api/v1/txs?limit=10',
      '/api/v1/txs?limit=10',
    ]);
    expect(txPageNumber(c)).toBe(1);
  });

  it('stays on the last page when there is nothing older (next null)', () => {
    const last = olderTxPage(firstTxPage, 3);
    expect(olderTxPage(last, null)).toBe(last);
  });
});
