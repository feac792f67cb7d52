// One block: its header fields, proof of work and transactions.
import { useNode } from '../api/node.js';
import type { TxJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { type Column, DataTable } from '../components/DataTable.js';
import {
  AddressLink,
  Amount,
  Badge,
  Card,
  ErrorBox,
  Fact,
  Facts,
  HashLink,
  Loading,
} from '../components/ui.js';
import { formatBits, formatBytes, formatDifficulty, formatTime } from '../lib/format.js';
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

function leadingZeros(hash: string): number {
  return hash.length - hash.replace(/^0+/, '').length;
}

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
  const zeros = leadingZeros(block.hash);

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
      <Card title="Header">
        <Facts>
          <Fact label="Hash">
            <code className="hash hash-full pow" data-testid="block-hash">
              <span className="zeros">{block.hash.slice(0, zeros)}</span>
              {block.hash.slice(zeros)}
            </code>
          </Fact>
          <Fact label="Previous block">
            {block.height === 0 ? (
              <span className="muted">none (genesis)</span>
            ) : (
              <HashLink hash={block.previousHash} to={href.block(block.previousHash)} full />
            )}
          </Fact>
          <Fact label="Next block">
            {block.nextHash ? <HashLink hash={block.nextHash} to={href.block(block.nextHash)} full /> : '–'}
          </Fact>
          <Fact label="Time">{`${formatTime(block.time)} (${block.time})`}</Fact>
          <Fact label="Merkle root">
            <HashLink hash={block.merkleRoot} full />
          </Fact>
          <Fact label="Version">{block.version}</Fact>
          <Fact label="Nonce">
            <code data-testid="block-nonce">{block.nonce}</code>
          </Fact>
          <Fact label="Bits">
            <code>{formatBits(block.bits)}</code>
          </Fact>
          <Fact label="Target">
            <code className="hash hash-full">{block.target}</code>
          </Fact>
          <Fact label="Difficulty">{formatDifficulty(block.difficulty)}</Fact>
          <Fact label="Chain work">
            <code className="hash hash-full">{block.chainWork}</code>
          </Fact>
          <Fact label="Size">{formatBytes(block.size)}</Fact>
          <Fact label="Reward">
            <Amount value={block.reward} />
          </Fact>
          <Fact label="Fees">
            <Amount value={block.fees} />
          </Fact>
          <Fact label="Miner">
            <AddressLink address={block.miner} full />
          </Fact>
        </Facts>
        <p className="hint">
          Proof of work: the hash, read as a 256-bit number, is at most the target
          {zeros > 0 && ` — which is why it starts with ${plural(zeros, 'zero')}`}.
        </p>
      </Card>
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
