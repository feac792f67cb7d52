// One transaction: status, inputs (keys and signatures), outputs (change marked), data record, the
// Merkle path to its block's root, and links to the tools that take it apart.
import { useNode } from '../api/node.js';
import type { TxJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ToolLinks } from '../components/ToolLinks.js';
import { MerklePath } from '../components/tx/MerklePath.js';
import { TxDataRecord } from '../components/tx/TxDataRecord.js';
import { TxInputs, TxOutputs } from '../components/tx/TxIoTables.js';
import { TxPolicies } from '../components/tx/TxPolicies.js';
import { Amount, Badge, Card, ErrorBox, Fact, Facts, HashLink, Loading } from '../components/ui.js';
import { formatBytes, formatFeeRate } from '../lib/format.js';
import { href } from '../lib/route.js';
import { lockTimeText } from '../lib/tx-v2.js';

function TxFacts({ tx }: { tx: TxJson }) {
  return (
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
      <Fact label="Version">
        <span data-testid="tx-version">{tx.version}</span>
      </Fact>
      {tx.version >= 2 && (
        <Fact label="Lock time">
          <span data-testid="tx-locktime">{lockTimeText(tx.lockTime)}</span>
        </Fact>
      )}
      {!tx.coinbase && (
        <>
          <Fact label="Fee">{tx.fee === null ? 'unknown' : <Amount value={tx.fee} testId="tx-fee" />}</Fact>
          <Fact label="Fee rate">{tx.feeRate === null ? 'unknown' : formatFeeRate(tx.feeRate)}</Fact>
        </>
      )}
    </Facts>
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
      <ToolLinks id={tx.txid} what="transaction" />
      <Card>
        <TxFacts tx={tx} />
      </Card>
      {/* One above the other: the inputs' keys and signatures need the width. */}
      <Card title={`Inputs (${tx.inputs.length})`} testId="tx-inputs">
        <TxInputs tx={tx} />
      </Card>
      <Card title={`Outputs (${tx.outputs.length})`} testId="tx-outputs">
        <TxOutputs tx={tx} />
      </Card>
      <TxPolicies tx={tx} />
      <Card title="Data record" testId="tx-data">
        <TxDataRecord data={tx.data} />
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
