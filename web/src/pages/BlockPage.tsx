// One block: its header fields, proof of work and transactions, and links to the tools that take it apart.
import { useNode } from '../api/node.js';
import type { TxJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { BlockHeaderCard } from '../components/block/BlockHeaderCard.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { ToolLinks } from '../components/ToolLinks.js';
import { Amount, Badge, Card, ErrorBox, HashLink, Loading } from '../components/ui.js';
import { formatBytes } from '../lib/format.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';

/** Sum of a transaction's outputs, the figure explorers list per transaction. */
export function outputTotal(tx: TxJson): bigint {
  return tx.outputs.reduce((sum, o) => sum + BigInt(o.amount), 0n);
}

const TX_COLUMNS: readonly Column<TxJson>[] = [
  { label: 'Txid', cell: (tx) => <HashLink hash={tx.txid} to={href.tx(tx.txid)} testId="block-tx-link" /> },
  {
    label: 'Kind',
    cell: (tx) =>
      tx.coinbase ? <Badge kind="info">coinbase</Badge> : `${tx.inputs.length} in · ${tx.outputs.length} out`,
  },
  { label: 'Output total', num: true, cell: (tx) => <Amount value={outputTotal(tx)} /> },
  {
    label: 'Fee',
    num: true,
    cell: (tx) => (tx.coinbase || tx.fee === null ? '–' : <Amount value={tx.fee} />),
  },
  { label: 'Size', num: true, cell: (tx) => formatBytes(tx.size) },
];

export function BlockPage({ id }: { id: string }) {
  const { chainVersion } = useNode();
  const { data: block, error, loading } = useApi('getBlock', { params: { id } }, chainVersion);

  if (error && !block) {
    return (
      <div className="page">
        <h1>Block {id.length > 20 ? '' : id}</h1>
        <ErrorBox error={error} title="Block not found" />
        <p>
          <a href={href.explorer()}>Back to the explorer</a>
        </p>
      </div>
    );
  }
  if (loading && !block) {
    return (
      <div className="page">
        <Loading what="Loading block" />
      </div>
    );
  }
  if (!block) return null;
  return (
    <div className="page" data-testid="block-page">
      <nav className="pager" aria-label="Neighbouring blocks">
        {block.height > 0 ? (
          <a className="btn" href={href.block(block.height - 1)} data-testid="prev-block">
            ← #{block.height - 1}
          </a>
        ) : (
          <span />
        )}
        {block.nextHash && (
          <a className="btn" href={href.block(block.height + 1)} data-testid="next-block">
            #{block.height + 1} →
          </a>
        )}
      </nav>
      <h1>
        Block <span data-testid="block-height">#{block.height}</span>{' '}
        {block.confirmations > 0 ? (
          <Badge kind="ok">
            <span data-testid="block-confirmations">{plural(block.confirmations, 'confirmation')}</span>
          </Badge>
        ) : (
          <Badge kind="warn">not on the main chain</Badge>
        )}
      </h1>
      <ToolLinks id={block.hash} what="block" />
      <BlockHeaderCard block={block} />
      <Card title={`Transactions (${block.txs.length})`} testId="block-txs">
        <DataTable
          columns={TX_COLUMNS}
          rows={block.txs}
          rowKey={(tx) => tx.txid}
          rowTestId="block-tx-row"
          label="Transactions of this block"
        />
      </Card>
    </div>
  );
}
