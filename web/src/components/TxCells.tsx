// Pieces of a transaction shared by its lists and its page: who pays whom, and its data record.
import type { TxJson } from '../api/types.js';
import { formatRecordTime, parseDataRecord, recordLine } from '../lib/data-record.js';
import { href } from '../lib/route.js';
import { AddressLink, Fact, HashLink } from './ui.js';

/** Each address on one line: on a phone the pair wraps at the arrow, never inside an address. */
const PARTY = { whiteSpace: 'nowrap' } as const;

/** "sender → recipient"; a coinbase comes from nowhere, and an unknown spent coin names no sender. */
export function Transfer({ tx }: { tx: Pick<TxJson, 'sender' | 'recipient' | 'coinbase'> }) {
  return (
    <span data-testid="tx-transfer">
      <span style={PARTY}>
        {tx.coinbase ? (
          <span className="muted">coinbase</span>
        ) : tx.sender === null ? (
          <span className="muted">unknown</span>
        ) : (
          <AddressLink address={tx.sender} />
        )}{' '}
        →
      </span>{' '}
      <span style={PARTY}>
        {tx.recipient === null ? (
          <span className="muted">nobody</span>
        ) : (
          <AddressLink address={tx.recipient} />
        )}
      </span>
    </span>
  );
}

/** A txid linking to its page, with the record's "author: data" line under it when there is one. */
export function TxidCell({ tx }: { tx: Pick<TxJson, 'txid' | 'data'> }) {
  return (
    <div className="stack">
      <HashLink hash={tx.txid} to={href.tx(tx.txid)} />
      <RecordLine text={tx.data.text} />
    </div>
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
