// Home: search, chain figures, the latest blocks (live over SSE) and charts of recent blocks.
import { useEffect, useState } from 'react';
import { useNode } from '../api/node.js';
import type { BlocksJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { LineChart } from '../components/LineChart.js';
import { SearchBox } from '../components/SearchBox.js';
import { AddressLink, Card, Empty, ErrorBox, HashLink, Loading, Stat, TableWrap } from '../components/ui.js';
import { average, chainSeries } from '../lib/chain-stats.js';
import {
  formatBytes,
  formatDifficulty,
  formatDuration,
  formatHashRate,
  formatTime,
  timeAgo,
} from '../lib/format.js';
import { href } from '../lib/route.js';

const CHART_BLOCKS = 100;
const TABLE_BLOCKS = 15;

/** Seconds since the epoch, ticking so "12 s ago" stays true. */
export function useNow(intervalMs = 5000): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() / 1000), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function ExplorerPage() {
  const { status, chainVersion, recentBlocks } = useNode();
  const blocks = useApi<BlocksJson>(`/api/v1/blocks?limit=${CHART_BLOCKS}`, chainVersion);
  const now = useNow();
  const list = blocks.data?.blocks ?? [];
  const series = chainSeries(list);
  const latest = [...list].reverse().slice(0, TABLE_BLOCKS);
  const liveHashes = new Set(recentBlocks.slice(0, 3).map((b) => b.hash));
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

      <Card
        title={
          <>
            Latest blocks{' '}
            <span className="live-badge" title="Updates live from the node's event stream">
              live
            </span>
          </>
        }
        testId="latest-blocks"
      >
        {blocks.error && !blocks.data ? (
          <ErrorBox error={blocks.error} title="Could not load blocks" />
        ) : blocks.loading && !blocks.data ? (
          <Loading what="Loading blocks" />
        ) : latest.length === 0 ? (
          <Empty>No blocks yet.</Empty>
        ) : (
          <TableWrap>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Height</th>
                  <th scope="col">Hash</th>
                  <th scope="col">Age</th>
                  <th scope="col" className="num">
                    Txs
                  </th>
                  <th scope="col" className="num hide-phone">
                    Size
                  </th>
                  <th scope="col" className="hide-phone">
                    Miner
                  </th>
                </tr>
              </thead>
              <tbody>
                {latest.map((b) => (
                  <tr
                    key={b.hash}
                    className={liveHashes.has(b.hash) ? 'row-new' : undefined}
                    data-testid="block-row"
                  >
                    <td>
                      <a href={href.block(b.height)} data-testid={`block-link-${b.height}`}>
                        {b.height}
                      </a>
                    </td>
                    <td>
                      <HashLink hash={b.hash} to={href.block(b.hash)} />
                    </td>
                    <td title={formatTime(b.time)}>{timeAgo(b.time, now)}</td>
                    <td className="num">{b.txCount}</td>
                    <td className="num hide-phone">{formatBytes(b.size)}</td>
                    <td className="hide-phone">
                      <AddressLink address={b.miner} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Card>

      <Card title={list.length > 0 ? `Recent ${list.length} blocks` : 'Recent blocks'} testId="charts">
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
