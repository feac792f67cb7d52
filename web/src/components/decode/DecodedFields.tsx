// Every field of the decoded bytes: the header's, then each transaction's inputs and outputs.
import type { DecodeJson, TxJson } from '../../api/types.js';
import { formatBits, formatDifficulty, formatTime } from '../../lib/format.js';
import { href } from '../../lib/route.js';
import { TxDataRecord } from '../tx/TxDataRecord.js';
import { TxInputs, TxOutputs } from '../tx/TxIoTables.js';
import { Amount, Card, Fact, Facts } from '../ui.js';

function HeaderFacts({ header }: { header: NonNullable<DecodeJson['header']> }) {
  return (
    <Facts>
      <Fact label="Hash">
        <code className="hash hash-full" data-testid="decoded-hash">
          {header.hash}
        </code>
      </Fact>
      <Fact label="Previous block">
        <code className="hash hash-full">{header.previousHash}</code>
      </Fact>
      <Fact label="Merkle root">
        <code className="hash hash-full">{header.merkleRoot}</code>
      </Fact>
      <Fact label="Time">{`${formatTime(header.time)} (${header.time})`}</Fact>
      <Fact label="Version">{header.version}</Fact>
      <Fact label="Bits">
        <code>{formatBits(header.bits)}</code>
      </Fact>
      <Fact label="Target">
        <code className="hash hash-full">{header.target}</code>
      </Fact>
      <Fact label="Difficulty">{formatDifficulty(header.difficulty)}</Fact>
      <Fact label="Nonce">{header.nonce}</Fact>
    </Facts>
  );
}

function TxCard({ tx, index, kind }: { tx: TxJson; index: number; kind: DecodeJson['kind'] }) {
  const title =
    kind === 'tx' ? 'Transaction' : index === 0 ? 'Transaction 0 (coinbase)' : `Transaction ${index}`;
  return (
    <Card title={title} testId="decoded-tx">
      <Facts>
        <Fact label="Txid">
          <code className="hash hash-full">{tx.txid}</code>
        </Fact>
        <Fact label="Size">{`${tx.size} bytes`}</Fact>
        {!tx.coinbase && (
          <Fact label="Fee">
            {tx.fee === null ? 'unknown (spent coins not known)' : <Amount value={tx.fee} />}
          </Fact>
        )}
      </Facts>
      <h3 className="subhead">Inputs</h3>
      <TxInputs tx={tx} />
      <h3 className="subhead">Outputs</h3>
      <TxOutputs tx={tx} />
      <h3 className="subhead">Data record</h3>
      <TxDataRecord data={tx.data} />
    </Card>
  );
}

export function DecodedFields({ result }: { result: DecodeJson }) {
  return (
    <>
      {result.header && (
        <Card title={result.kind === 'header' ? 'Header' : 'Block header'} testId="decoded-header">
          <HeaderFacts header={result.header} />
          {result.known === 'active' && (
            <p>
              <a href={href.block(result.header.hash)}>This block on the explorer</a>
            </p>
          )}
        </Card>
      )}
      {result.txs.map((tx, i) => (
        // A refused block may list one txid twice: the position is the identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <TxCard key={`${tx.txid}:${i}`} tx={tx} index={i} kind={result.kind} />
      ))}
    </>
  );
}
