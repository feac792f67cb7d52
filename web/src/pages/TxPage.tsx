// One transaction: status, inputs, outputs, data record and the Merkle path to its block's root.
import { useNode } from '../api/node.js';
import type { TxInputJson, TxJson, TxOutputJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { RecordFacts } from '../components/TxCells.js';
import {
  AddressLink,
  Amount,
  Badge,
  Card,
  Empty,
  ErrorBox,
  Fact,
  Facts,
  HashLink,
  Loading,
} from '../components/ui.js';
import { parseDataRecord } from '../lib/data-record.js';
import { formatBytes, formatFeeRate } from '../lib/format.js';
import { replayMerkleProof } from '../lib/merkle-path.js';
import { href } from '../lib/route.js';

const INPUT_COLUMNS: readonly Column<TxInputJson>[] = [
  {
    label: 'Spends',
    cell: (i) => (
      <>
        <HashLink hash={i.prevTxid} to={href.tx(i.prevTxid)} />:{i.prevIndex}
      </>
    ),
  },
  { label: 'From', cell: (i) => <AddressLink address={i.address} /> },
  { label: 'Amount', num: true, cell: (i) => (i.amount ? <Amount value={i.amount} /> : '–') },
];

const OUTPUT_COLUMNS: readonly Column<TxOutputJson>[] = [
  { label: '#', cell: (o) => o.index },
  { label: 'To', cell: (o) => <AddressLink address={o.address} /> },
  { label: 'Amount', num: true, cell: (o) => <Amount value={o.amount} /> },
];

const isDataRecord = (text: string) => parseDataRecord(text) !== null;

function MerklePath({ tx }: { tx: TxJson }) {
  const { chainVersion } = useNode();
  const block = useApi(tx.block ? 'getBlock' : null, { params: { id: tx.block?.hash ?? '' } }, chainVersion);
  if (!tx.block || !tx.merkleProof)
    return <Empty>The Merkle proof exists once the transaction is in a block.</Empty>;
  const replay = replayMerkleProof(tx.txid, tx.merkleProof);
  const root = block.data?.merkleRoot;
  const ok = root !== undefined && root === replay.root;
  return (
    <div data-testid="merkle-proof">
      <p className="hint">
        Hash the txid with each sibling in turn (double SHA-256 of left‖right); the result must be the block's
        Merkle root.{' '}
        {tx.merkleProof.length === 0 && 'This is the only transaction in its block: its txid is the root.'}
      </p>
      <ol className="merkle-path">
        <li>
          <span className="step-label">txid</span>
          <code className="hash hash-full">{tx.txid}</code>
        </li>
        {replay.steps.map((s, i) => (
          // A proof is a fixed sequence: the step number is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <li key={i}>
            <span className="step-label">
              step {i + 1}: sibling on the {s.side}
            </span>
            <code className="hash hash-full sibling">{s.sibling}</code>
            <span className="step-label">→</span>
            <code className="hash hash-full">{s.result}</code>
          </li>
        ))}
      </ol>
      <p data-testid="merkle-verdict">
        {root === undefined ? (
          block.error ? (
            <ErrorBox error={block.error} title="Could not load the block's header" />
          ) : (
            <Loading what="Checking against the block header" />
          )
        ) : ok ? (
          <Badge kind="ok">✓ matches the Merkle root of block #{tx.block.height}</Badge>
        ) : (
          <Badge kind="bad">✗ does not match the block's Merkle root {root}</Badge>
        )}
      </p>
    </div>
  );
}

export function TxPage({ txid }: { txid: string }) {
  const { chainVersion, mempoolVersion } = useNode();
  const {
    data: tx,
    error,
    loading,
  } = useApi('getTx', { params: { txid } }, chainVersion * 1_000_000 + mempoolVersion);
  if (error && !tx) {
    return (
      <div className="page">
        <h1>Transaction</h1>
        <ErrorBox error={error} title="Transaction not found" />
      </div>
    );
  }
  if (loading && !tx) {
    return (
      <div className="page">
        <Loading what="Loading transaction" />
      </div>
    );
  }
  if (!tx) return null;
  return (
    <div className="page" data-testid="tx-page">
      <h1>
        Transaction{' '}
        {tx.block ? (
          <Badge kind="ok">
            <span data-testid="tx-confirmations">{tx.confirmations}</span> confirmation
            {tx.confirmations === 1 ? '' : 's'}
          </Badge>
        ) : (
          <Badge kind="warn">
            <span data-testid="tx-unconfirmed">unconfirmed · in the mempool</span>
          </Badge>
        )}
      </h1>
      <Card>
        <Facts>
          <Fact label="Txid">
            <code className="hash hash-full" data-testid="tx-txid">
              {tx.txid}
            </code>
          </Fact>
          <Fact label="Block">
            {tx.block ? (
              <a href={href.block(tx.block.height)} data-testid="tx-block-link">
                #{tx.block.height}
              </a>
            ) : (
              'waiting in the mempool'
            )}
          </Fact>
          <Fact label="Kind">{tx.coinbase ? 'coinbase (block reward)' : 'transfer'}</Fact>
          <Fact label="Size">{formatBytes(tx.size)}</Fact>
          {!tx.coinbase && (
            <>
              <Fact label="Fee">
                {tx.fee === null ? 'unknown' : <Amount value={tx.fee} testId="tx-fee" />}
              </Fact>
              <Fact label="Fee rate">{tx.feeRate === null ? 'unknown' : formatFeeRate(tx.feeRate)}</Fact>
            </>
          )}
        </Facts>
      </Card>
      <div className="two-col">
        <Card title={`Inputs (${tx.inputs.length})`} testId="tx-inputs">
          {tx.inputs.length === 0 ? (
            <Empty>A coinbase has no inputs: it creates the block reward.</Empty>
          ) : (
            <DataTable
              columns={INPUT_COLUMNS}
              rows={tx.inputs}
              rowKey={(i) => `${i.prevTxid}:${i.prevIndex}`}
              label="Inputs"
            />
          )}
        </Card>
        <Card title={`Outputs (${tx.outputs.length})`} testId="tx-outputs">
          <DataTable
            columns={OUTPUT_COLUMNS}
            rows={tx.outputs}
            rowKey={(o) => String(o.index)}
            label="Outputs"
          />
        </Card>
      </div>
      <Card title="Data record" testId="tx-data">
        {tx.data.hex === '' ? (
          <Empty>No data record.</Empty>
        ) : (
          <Facts>
            <RecordFacts text={tx.data.text} />
            {tx.data.text !== null && !isDataRecord(tx.data.text) && (
              <Fact label="Text">
                <q data-testid="tx-data-text">{tx.data.text}</q>
              </Fact>
            )}
            <Fact label="Hex">
              <code className="hash hash-full">{tx.data.hex}</code>
            </Fact>
            <Fact label="Length">{`${tx.data.hex.length / 2} bytes`}</Fact>
          </Facts>
        )}
      </Card>
      <Card title="Merkle proof">
        <MerklePath tx={tx} />
      </Card>
      {tx.block && (
        <p className="muted">
          Included in block #{tx.block.height}{' '}
          <HashLink hash={tx.block.hash} to={href.block(tx.block.hash)} />
        </p>
      )}
    </div>
  );
}
