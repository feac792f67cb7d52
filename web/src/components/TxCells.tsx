// Pieces of a transaction shared by its lists and its page: who pays whom, and its data record.
import type { TxJson } from '../api/types.js';
import { formatRecordTime, parseDataRecord, recordLine } from '../lib/data-record.js';
import { AddressLink, Fact } from './ui.js';

/** "sender → recipient"; a coinbase comes from nowhere, and an unknown spent coin names no sender. */
export function Transfer({ tx }: { tx: Pick<TxJson, 'sender' | 'recipient' | 'coinbase'> }) {
  return (
    <span className="transfer" data-testid="tx-transfer">
      {tx.coinbase ? (
        <span className="muted">coinbase</span>
      ) : tx.sender === null ? (
        <span className="muted">unknown</span>
      ) : (
        <AddressLink address={tx.sender} />
      )}{' '}
      →{' '}
      {tx.recipient === null ? <span className="muted">nobody</span> : <AddressLink address={tx.recipient} />}
    </span>
  );
}

/** The record as a short "author: data" line, or nothing when the text is not one. */
export function RecordLine({ text }: { text: string | null }) {
  const record = parseDataRecord(text);
  if (!record) return null;
  return (
    <div className="muted small" title={record.data} data-testid="tx-record-line">
      {recordLine(record)}
    </div>
  );
}

/** Author, timestamp and data as three facts, when the text is such a record; else null. */
export function RecordFacts({ text }: { text: string | null }) {
  const record = parseDataRecord(text);
  if (!record) return null;
  return (
    <>
      <Fact label="Author">
        <span data-testid="tx-record-author">{record.author}</span>
      </Fact>
      <Fact label="Timestamp">
        <span data-testid="tx-record-timestamp">{formatRecordTime(record.timestamp)}</span>
      </Fact>
      <Fact label="Data">
        <q data-testid="tx-record-data">{record.data}</q>
      </Fact>
    </>
  );
}
