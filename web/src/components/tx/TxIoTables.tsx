// A transaction's inputs (with the public key and signature each carries) and outputs (change marked:
// an output paying back to the address of one of the inputs).
import { useState } from 'react';
import type { TxInputJson, TxJson, TxOutputJson } from '../../api/types.js';
import { href } from '../../lib/route.js';
import { type Column, DataTable } from '../DataTable.js';
import { AddressLink, Amount, Badge, Empty, HashLink } from '../ui.js';

/** Output indexes paying back to an input's address (known only when the spent coins are). */
export function changeOutputs(tx: Pick<TxJson, 'inputs' | 'outputs'>): Set<number> {
  const from = new Set(tx.inputs.map((i) => i.address).filter((a): a is string => a !== null));
  return new Set(tx.outputs.filter((o) => from.has(o.address)).map((o) => o.index));
}

/** A long hex value, shortened (the whole of it in its title) or in full. */
const LongHex = ({ hex, full, testId }: { hex: string; full: boolean; testId: string }) => (
  <code className={full ? 'hash hash-full hash-wrap' : 'hash'} title={hex} data-testid={testId}>
    {full ? hex : `${hex.slice(0, 12)}…${hex.slice(-6)}`}
  </code>
);

const inputColumns = (full: boolean): readonly Column<TxInputJson>[] => [
  {
    label: 'Spends',
    cell: (i) => (
      <>
        <HashLink hash={i.prevTxid} to={href.tx(i.prevTxid)} />:{i.prevIndex}
      </>
    ),
  },
  { label: 'From', cell: (i) => <AddressLink address={i.address} /> },
  {
    label: 'Public key',
    // A policy spend carries its policy and witness instead (shown under "Policies spent").
    cell: (i) =>
      i.publicKey === '' ? (
        <Badge kind="info">policy spend</Badge>
      ) : (
        <LongHex hex={i.publicKey} full={full} testId="tx-input-key" />
      ),
  },
  {
    label: 'Signature',
    cell: (i) =>
      i.signature === '' ? (
        <span className="muted">in the witness</span>
      ) : (
        <LongHex hex={i.signature} full={full} testId="tx-input-signature" />
      ),
  },
  { label: 'Amount', num: true, cell: (i) => (i.amount ? <Amount value={i.amount} /> : '–') },
];

function outputColumns(change: Set<number>): readonly Column<TxOutputJson>[] {
  return [
    { label: '#', cell: (o) => o.index },
    {
      label: 'To',
      cell: (o) => (
        <>
          <AddressLink address={o.address} />{' '}
          {change.has(o.index) && (
            <span data-testid="tx-change" title="pays back to the address of an input">
              <Badge kind="info">change</Badge>
            </span>
          )}
        </>
      ),
    },
    { label: 'Amount', num: true, cell: (o) => <Amount value={o.amount} /> },
  ];
}

export function TxInputs({ tx }: { tx: TxJson }) {
  const [full, setFull] = useState(false);
  if (tx.inputs.length === 0) return <Empty>A coinbase has no inputs: it creates the block reward.</Empty>;
  return (
    <>
      <DataTable
        columns={inputColumns(full)}
        rows={tx.inputs}
        rowKey={(i) => `${i.prevTxid}:${i.prevIndex}`}
        label="Inputs"
      />
      <p className="hint">
        Each input carries the Ed25519 public key whose hash is the spent output's address, and a signature
        over the transaction's sighash
        {tx.inputs.some((i) => i.policy) ? '; a policy input reveals its policy and a witness instead.' : '.'}{' '}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setFull((f) => !f)}
          data-testid="tx-keys-full"
        >
          {full ? 'Shorten keys and signatures' : 'Show keys and signatures in full'}
        </button>
      </p>
    </>
  );
}

export function TxOutputs({ tx }: { tx: TxJson }) {
  return (
    <DataTable
      columns={outputColumns(changeOutputs(tx))}
      rows={tx.outputs}
      rowKey={(o) => String(o.index)}
      label="Outputs"
    />
  );
}
