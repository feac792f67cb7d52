// Home: search, chain figures, the blocks newest first (live over SSE, paged back to genesis), the latest
// transactions (paged the same way) and charts of recent blocks.
import { useEffect, useState } from 'react';
import { useNode } from '../api/node.js';
import type { BlockSummary } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { LatestTxsCard } from '../components/LatestTxsCard.js';
import { LineChart } from '../components/LineChart.js';
import { SearchBox } from '../components/SearchBox.js';
import { AddressLink, Card, Empty, ErrorBox, HashLink, Loading, Stat } from '../components/ui.js';
import { average, chainSeries } from '../lib/chain-stats.js';
import {
  formatBytes,
  formatDifficulty,
  formatDuration,
  formatHashRate,
  formatTime,
  timeAgo,
} from '../lib/format.js';
import { blockPage } from '../lib/paging.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';

const CHART_BLOCKS = 100;
const PAGE_BLOCKS = 15;

/** Seconds since the epoch, ticking so "12 s ago" stays true. */
export function useNow(intervalMs = 5000): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() / 1000), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function blockColumns(now: number): Column<BlockSummary>[] {
  return [
    {
      label: 'Height',
      cell: (b) => (
        <a href={href.block(b.height)} data-testid={`block-link-${b.height}`}>
          {b.height}
        </a>
      ),
    },
    { label: 'Hash', cell: (b) => <HashLink hash={b.hash} to={href.block(b.hash)} /> },
    { label: 'Age', cell: (b) => timeAgo(b.time, now), title: (b) => formatTime(b.time) },
    { label: 'Txs', num: true, cell: (b) => b.txCount },
    { label: 'Size', num: true, cell: (b) => formatBytes(b.size) },
    { label: 'Miner', cell: (b) => <AddressLink address={b.miner} /> },
  ];
}

/** The blocks newest first, a page at a time; the first page follows the tip. */
function BlocksCard({ tipHeight }: { tipHeight: number | undefined }) {
  const { chainVersion, recentBlocks } = useNode();
  const now = useNow();
  const [top, setTop] = useState<number | null>(null);
  const paging = tipHeight === undefined ? null : blockPage(tipHeight, top, PAGE_BLOCKS);
  // Older pages do not change when blocks arrive: refetch only the newest one.
  const blocks = useApi(
    paging ? 'getBlocks' : null,
    { query: { from: String(paging?.from), limit: String(paging?.limit) } },
    paging?.latest ? chainVersion : 0,
  );
  const rows = [...(blocks.data?.blocks ?? [])].reverse();
  const liveHashes = new Set(recentBlocks.slice(0, 3).map((b) => b.hash));
  const live = paging?.latest === true;
  return (
    <Card
      title={
        <>
          {live ? 'Latest blocks' : `Blocks #${paging?.from}–#${paging?.top}`}{' '}
          {live && (
            <span className="live-badge" title="Updates live from the node's event stream">
              live
            </span>
          )}
        </>
      }
      testId="latest-blocks"
    >
      {blocks.error && !blocks.data ? (
        <ErrorBox error={blocks.error} title="Could not load blocks" />
      ) : !paging || (blocks.loading && !blocks.data) ? (
        <Loading what="Loading blocks" />
      ) : rows.length === 0 ? (
        <Empty>No blocks yet.</Empty>
      ) : (
        <DataTable
          columns={blockColumns(now)}
          rows={rows}
          rowKey={(b) => b.hash}
          rowClass={(b) => (live && liveHashes.has(b.hash) ? 'row-new' : undefined)}
          rowTestId="block-row"
          label="Blocks, newest first"
        />
      )}
      {paging && (paging.pages > 1 || !paging.latest) && (
        <nav className="pager-row" aria-label="Block pages">
          <button
            type="button"
            className="btn btn-small"
            disabled={paging.newer === null}
            onClick={() =>
              setTop(paging.newer === null || paging.newer >= (tipHeight ?? 0) ? null : paging.newer)
            }
            data-testid="blocks-newer"
          >
            ← Newer
          </button>
          <span className="muted small" data-testid="blocks-page">
            Page {paging.page} of {paging.pages} · {plural(paging.limit, 'block')}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={paging.older === null}
            onClick={() => setTop(paging.older)}
            data-testid="blocks-older"
          >
            Older →
          </button>
        </nav>
      )}
    </Card>
  );
}

export function ExplorerPage() {
  const { status, chainVersion } = useNode();
  const now = useNow();
  const blocks = useApi('getBlocks', { query: { limit: String(CHART_BLOCKS) } }, chainVersion);
  const list = blocks.data?.blocks ?? [];
  const series = chainSeries(list);
  const avgBlockTime = average(series.blockTime.slice(-20).map((p) => p.value));
  const netRate = series.hashRate.at(-1)?.value;

  return (
    <div className="page">
      <div className="hero">
        <h1>Explorer</h1>
        <SearchBox />
      </div>

      <div className="stats" data-testid="chain-stats">
        <Stat label="Height" value={status ? status.height : '–'} testId="stat-height" />
        <Stat label="Difficulty" value={status ? formatDifficulty(status.difficulty) : '–'} />
        <Stat
          label="Avg block time"
          value={Number.isFinite(avgBlockTime) ? formatDuration(avgBlockTime) : '–'}
        />
        <Stat label="Network hash rate" value={netRate !== undefined ? formatHashRate(netRate) : '–'} />
        <Stat label="Mempool" value={status ? `${status.mempool.count} tx` : '–'} />
        <Stat label="Peers" value={status ? status.peers : '–'} />
      </div>

      <BlocksCard tipHeight={status?.height} />

      <LatestTxsCard now={now} />

      <Card
        title={list.length > 0 ? `Recent ${plural(list.length, 'block')}` : 'Recent blocks'}
        testId="charts"
      >
        {blocks.loading && !blocks.data ? (
          <Loading what="Loading chart data" />
        ) : (
          <div className="charts">
            <LineChart
              title="Difficulty"
              points={series.difficulty.map((p) => ({ x: p.height, y: p.value }))}
              formatY={formatDifficulty}
              fromZero={false}
              testId="chart-difficulty"
            />
            <LineChart
              title="Block time"
              points={series.blockTime.map((p) => ({ x: p.height, y: Math.max(0, p.value) }))}
              formatY={formatDuration}
              testId="chart-block-time"
            />
            <LineChart
              title="Hash rate (10-block window)"
              points={series.hashRate.map((p) => ({ x: p.height, y: p.value }))}
              formatY={formatHashRate}
              testId="chart-hash-rate"
            />
          </div>
        )}
      </Card>
    </div>
  );
}
