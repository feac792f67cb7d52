// An address: balance, unspent outputs and history, paged.
import { useState } from 'react';
import { addressKind, decodeAddress } from '../../../src/crypto/address.js';
import { useNode } from '../api/node.js';
import type { HistoryEntryJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { PolicyCheck } from '../components/policy/PolicyCheck.js';
import { RevealedPolicy } from '../components/policy/RevealedPolicy.js';
import {
  Amount,
  Badge,
  Card,
  CopyButton,
  Empty,
  ErrorBox,
  HashLink,
  Loading,
  Stat,
} from '../components/ui.js';
import { formatTime } from '../lib/format.js';
import { href } from '../lib/route.js';

const PAGE = 25;

/** 'key' or 'policy' by the address's length, or null when it is no address. */
function kindOf(address: string): 'key' | 'policy' | null {
  try {
    return addressKind(decodeAddress(address.slice(0, address.lastIndexOf('1')).toLowerCase(), address));
  } catch {
    return null;
  }
}

const HISTORY_COLUMNS: readonly Column<HistoryEntryJson>[] = [
  { label: 'Txid', cell: (h) => <HashLink hash={h.txid} to={href.tx(h.txid)} /> },
  {
    label: 'Block',
    cell: (h) =>
      h.height === null ? <Badge kind="warn">pending</Badge> : <a href={href.block(h.height)}>#{h.height}</a>,
  },
  { label: 'Time', cell: (h) => (h.time ? formatTime(h.time) : '–') },
  { label: 'Change', num: true, cell: (h) => <Amount value={h.delta} sign /> },
];

export function AddressPage({ address }: { address: string }) {
  const { chainVersion, mempoolVersion } = useNode();
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useApi(
    'getAddress',
    // Only the count of unspent outputs is shown: one is listed, utxoTotal counts them all.
    { params: { address }, query: { offset: String(offset), limit: String(PAGE), utxoLimit: '1' } },
    chainVersion * 1_000_000 + mempoolVersion,
  );
  return (
    <div className="page" data-testid="address-page">
      <h1>
        Address{' '}
        {kindOf(address) === 'policy' && (
          <Badge kind="info">
            <span data-testid="address-kind">policy address</span>
          </Badge>
        )}
      </h1>
      <p className="address-line">
        <code className="hash hash-full" data-testid="address-value">
          {address}
        </code>{' '}
        <CopyButton text={address} />
      </p>
      {error && !data ? (
        <ErrorBox error={error} title="Could not load this address" />
      ) : loading && !data ? (
        <Loading what="Loading address" />
      ) : data ? (
        <>
          <div className="stats">
            <Stat
              label="Confirmed balance"
              value={<Amount value={data.balance.confirmed} testId="address-balance" />}
            />
            <Stat label="Unconfirmed change" value={<Amount value={data.balance.unconfirmed} sign />} />
            <Stat label="Unspent outputs" value={data.utxoTotal} />
            <Stat label="Transactions" value={data.total} />
          </div>
          {kindOf(address) === 'policy' && (
            <Card title="Which policy locks these coins?" testId="address-policy">
              <RevealedPolicy address={address} history={data.history} />
              <hr className="rule" />
              <PolicyCheck address={address} />
            </Card>
          )}
          <Card title="History" testId="address-history">
            {data.history.length === 0 ? (
              <Empty>No transactions involve this address yet.</Empty>
            ) : (
              <>
                <DataTable
                  columns={HISTORY_COLUMNS}
                  rows={data.history}
                  rowKey={(h) => h.txid}
                  label="Address history"
                />
                {data.total > PAGE && (
                  <nav className="pager" aria-label="History pages">
                    <button
                      type="button"
                      className="btn"
                      disabled={offset === 0}
                      onClick={() => setOffset(Math.max(0, offset - PAGE))}
                    >
                      ← Newer
                    </button>
                    <span className="muted">
                      {offset + 1}–{Math.min(offset + PAGE, data.total)} of {data.total}
                    </span>
                    <button
                      type="button"
                      className="btn"
                      disabled={offset + PAGE >= data.total}
                      onClick={() => setOffset(offset + PAGE)}
                    >
                      Older →
                    </button>
                  </nav>
                )}
              </>
            )}
          </Card>
        </>
      ) : null}
    </div>
  );
}
