// The wallet's history and used addresses, in the shared table (stacked on a phone: no column is cut).
import type { ReactNode } from 'react';
import type { ScannedAddress, WalletHistoryEntry } from '../../../../src/wallet/index.js';
import { formatTime, shortHash } from '../../lib/format.js';
import { href } from '../../lib/route.js';
import { type Column, DataTable } from '../DataTable.js';
import { Amount, Badge, HashLink } from '../ui.js';

const HISTORY: readonly Column<WalletHistoryEntry>[] = [
  { label: 'Txid', cell: (h) => <HashLink hash={h.txid} to={href.tx(h.txid)} /> },
  {
    label: 'Status',
    cell: (h) =>
      h.height === null ? (
        <Badge kind="warn">pending</Badge>
      ) : (
        <a href={href.block(h.height)}>block #{h.height}</a>
      ),
  },
  { label: 'Time', cell: (h) => (h.time ? formatTime(h.time) : '–') },
  { label: 'Amount', num: true, cell: (h) => <Amount value={h.delta} sign testId="history-amount" /> },
];

const ADDRESSES: readonly Column<ScannedAddress>[] = [
  {
    label: 'Address',
    cell: (a) => (
      <a href={href.address(a.address)} className="hash" title={a.address}>
        {shortHash(a.address, 14, 6)}
      </a>
    ),
  },
  { label: 'Kind', cell: (a) => (a.chain === 0 ? `receive #${a.index}` : `change #${a.index}`) },
  { label: 'Confirmed', num: true, cell: (a) => <Amount value={a.confirmed} /> },
  {
    label: 'Pending',
    num: true,
    cell: (a) => (a.unconfirmed === 0n ? '–' : <Amount value={a.unconfirmed} sign />),
  },
  { label: 'Txs', num: true, cell: (a) => a.txCount },
];

/** `action` renders a control for a pending payment of the wallet (the "Bump fee" button). */
export function WalletHistory({
  history,
  action,
}: {
  history: readonly WalletHistoryEntry[];
  action?: (txid: string) => ReactNode;
}) {
  const columns = action
    ? [
        ...HISTORY,
        {
          label: '',
          cell: (h: WalletHistoryEntry) => (h.height === null && h.delta < 0n ? action(h.txid) : null),
        },
      ]
    : HISTORY;
  return (
    <DataTable
      columns={columns}
      rows={history}
      rowKey={(h) => h.txid}
      rowTestId="wallet-history-row"
      label="Wallet history"
    />
  );
}

export function WalletAddresses({ addresses }: { addresses: readonly ScannedAddress[] }) {
  return <DataTable columns={ADDRESSES} rows={addresses} rowKey={(a) => a.address} label="Used addresses" />;
}
