// The latest confirmed transactions across blocks, newest first, paged with Newer/Older
// (GET /api/v1/txs); the first page follows the tip.
import { useState } from 'react';
import { useNode } from '../api/node.js';
import type { TxListEntryJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { formatTime, timeAgo } from '../lib/format.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';
import {
  firstTxPage,
  isLatestTxPage,
  newerTxPage,
  olderTxPage,
  txPageArgs,
  txPageNumber,
} from '../lib/tx-paging.js';
import { type Column, DataTable } from './DataTable.js';
import { Transfer, TxidCell } from './TxCells.js';
import { Amount, Card, Empty, ErrorBox, Loading } from './ui.js';

export const PAGE_TXS = 25;

function txColumns(now: number): Column<TxListEntryJson>[] {
  return [
    { label: 'Txid', cell: (tx) => <TxidCell tx={tx} /> },
    {
      label: 'Block',
      cell: (tx) => (tx.block ? <a href={href.block(tx.block.height)}>#{tx.block.height}</a> : '–'),
    },
    { label: 'Time', cell: (tx) => timeAgo(tx.time, now), title: (tx) => formatTime(tx.time) },
    { label: 'From → to', cell: (tx) => <Transfer tx={tx} /> },
    { label: 'Amount', num: true, cell: (tx) => <Amount value={tx.amount} /> },
    {
      label: 'Fee',
      num: true,
      cell: (tx) => (tx.coinbase ? '–' : tx.fee === null ? 'unknown' : <Amount value={tx.fee} />),
    },
  ];
}

/** `now`: Unix seconds, ticking (the explorer's clock), for the ages. */
export function LatestTxsCard({ now, pageSize = PAGE_TXS }: { now: number; pageSize?: number }) {
  const { chainVersion } = useNode();
  const [cursor, setCursor] = useState(firstTxPage);
  const latest = isLatestTxPage(cursor);
  // Older pages hold fixed heights: only the newest one is refetched when blocks arrive.
  const page = useApi('getTxs', { query: txPageArgs(cursor, pageSize) }, latest ? chainVersion : 0);
  const rows = page.data?.txs ?? [];
  const top = rows[0]?.block?.height;
  const bottom = rows.at(-1)?.block?.height;
  return (
    <Card
      title={latest ? 'Latest transactions' : `Transactions of blocks #${bottom ?? '…'}–#${top ?? '…'}`}
      testId="latest-txs"
    >
      {page.error && !page.data ? (
        <ErrorBox error={page.error} title="Could not load transactions" />
      ) : !page.data ? (
        <Loading what="Loading transactions" />
      ) : rows.length === 0 ? (
        <Empty>No transactions yet.</Empty>
      ) : (
        <DataTable
          columns={txColumns(now)}
          rows={rows}
          rowKey={(tx) => tx.txid}
          rowTestId="latest-tx-row"
          label="Transactions, newest first"
        />
      )}
      {page.data && (page.data.next !== null || !latest) && (
        <nav className="pager-row" aria-label="Transaction pages">
          <button
            type="button"
            className="btn btn-small"
            disabled={latest}
            onClick={() => setCursor(newerTxPage(cursor))}
            data-testid="txs-newer"
          >
            ← Newer
          </button>
          <span className="muted small" data-testid="txs-page">
            Page {txPageNumber(cursor)} · {plural(rows.length, 'transaction')}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={page.data.next === null}
            onClick={() => setCursor(olderTxPage(cursor, page.data?.next ?? null))}
            data-testid="txs-older"
          >
            Older →
          </button>
        </nav>
      )}
    </Card>
  );
}
