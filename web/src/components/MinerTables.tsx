// The miner page's tables: the mempool by fee rate (who pays whom how much), and the blocks this node found.
import type { BlockSummary, MempoolJson } from '../api/types.js';
import { formatBytes, formatFeeRate, formatTime, timeAgo } from '../lib/format.js';
import { href } from '../lib/route.js';
import { type Column, DataTable } from './DataTable.js';
import { Transfer, TxidCell } from './TxCells.js';
import { Amount, HashLink } from './ui.js';

type MempoolTx = MempoolJson['txs'][number];

const MEMPOOL: readonly Column<MempoolTx>[] = [
  { label: 'Txid', cell: (tx) => <TxidCell tx={tx} /> },
  { label: 'From → to', cell: (tx) => <Transfer tx={tx} /> },
  { label: 'Amount', num: true, cell: (tx) => <Amount value={tx.amount} /> },
  { label: 'Fee rate', num: true, cell: (tx) => (tx.feeRate === null ? '–' : formatFeeRate(tx.feeRate)) },
  { label: 'Fee', num: true, cell: (tx) => (tx.fee === null ? '–' : <Amount value={tx.fee} />) },
  { label: 'Size', num: true, cell: (tx) => formatBytes(tx.size) },
];

export function MempoolTable({ txs }: { txs: readonly MempoolTx[] }) {
  return (
    <DataTable
      columns={MEMPOOL}
      rows={txs}
      rowKey={(tx) => tx.txid}
      rowTestId="mempool-row"
      label="Mempool"
    />
  );
}

export function FoundBlocksTable({ blocks, now }: { blocks: readonly BlockSummary[]; now: number }) {
  const columns: Column<BlockSummary>[] = [
    { label: 'Height', cell: (b) => <a href={href.block(b.height)}>#{b.height}</a> },
    { label: 'Hash', cell: (b) => <HashLink hash={b.hash} to={href.block(b.hash)} /> },
    { label: 'Time', cell: (b) => timeAgo(b.time, now), title: (b) => formatTime(b.time) },
    { label: 'Txs', num: true, cell: (b) => b.txCount },
  ];
  const rows = [...blocks].sort((a, b) => b.height - a.height).slice(0, 10);
  return <DataTable columns={columns} rows={rows} rowKey={(b) => b.hash} label="Blocks found by this node" />;
}
