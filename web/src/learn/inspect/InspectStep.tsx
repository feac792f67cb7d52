// The inspector: any block header or transaction from the node, as its raw bytes with each field named
// and coloured, re-hashed in the browser and compared with the node's hash.
import { type FormEvent, useEffect, useState } from 'react';
import { useNode } from '../../api/node.js';
import type { TxJson } from '../../api/types.js';
import { ErrorBox, Loading } from '../../components/ui.js';
import { href } from '../../lib/route.js';
import type { StepProps } from '../LearnStepView.js';
import { type InspectBlock, inspectHeader, inspectTx } from '../lib/inspect.js';
import { HexLine, Verdict } from '../ui.js';
import { useLearnParams } from '../useLearnParams.js';
import { ByteView } from './ByteView.js';
import { useInspectTarget } from './useInspectTarget.js';

function HashCheck(props: { what: string; computed: string; claimed: string; testId: string }) {
  const ok = props.computed === props.claimed;
  return (
    <div className="learn-box">
      <HexLine label={`${props.what} recomputed here`} testId={`${props.testId}-computed`}>
        {props.computed}
      </HexLine>
      <HexLine label={`${props.what} the node gave`}>{props.claimed}</HexLine>
      <Verdict
        ok={ok}
        okText="they match"
        code="mismatch"
        message="the bytes do not hash to the node's value"
        testId={props.testId}
      />
    </div>
  );
}

function BlockView({ block, prefix }: { block: InspectBlock; prefix: string }) {
  const ins = inspectHeader(block, prefix);
  return (
    <section className="card learn-section learn-step" aria-labelledby="inspect-block">
      <h2 id="inspect-block">
        Block {block.height === null ? '(height unknown)' : `#${block.height}`}: its 80-byte header
      </h2>
      <p>
        The block hash is SHA-256 applied twice to these 80 bytes; integers are little-endian. The
        transactions are not in the header: the Merkle root commits to them.
      </p>
      <ByteView bytes={ins.bytes} fields={ins.fields} testId="inspect-header" />
      <div className="learn-grid">
        <HashCheck
          what="Block hash"
          computed={ins.computed}
          claimed={ins.claimed}
          testId="inspect-hash-check"
        />
        {block.txs.length > 0 && (
          <HashCheck
            what="Merkle root of the txids"
            computed={ins.merkle.computed}
            claimed={ins.merkle.claimed}
            testId="inspect-merkle-check"
          />
        )}
      </div>
      <div>
        <strong>Transactions</strong>
        <ul className="plain-list">
          {block.txs.map((t, i) => (
            <li key={t.txid}>
              {i === 0 ? 'coinbase ' : `#${i} `}
              <a href={href.learn('inspect', t.txid)} data-testid="inspect-tx-link">
                <code className="hash">{t.txid.slice(0, 24)}…</code>
              </a>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function TxView({ tx, prefix }: { tx: TxJson; prefix: string }) {
  const ins = inspectTx(tx, prefix);
  return (
    <section className="card learn-section learn-step" aria-labelledby="inspect-tx">
      <h2 id="inspect-tx">
        Transaction {tx.coinbase ? '(coinbase) ' : ''}of {ins.bytes.length} bytes
      </h2>
      <p>
        The txid is SHA-256 twice over these bytes <em>without</em> the signatures and policy witnesses
        (struck through), so signing does not change it.{' '}
        {tx.block && <a href={href.learn('inspect', tx.block.hash)}>Its block, #{tx.block.height}</a>}
      </p>
      <ByteView bytes={ins.bytes} fields={ins.fields} testId="inspect-tx-bytes" />
      <HashCheck what="txid" computed={ins.computed} claimed={ins.claimed} testId="inspect-txid-check" />
    </section>
  );
}

export function InspectStep({ arg }: StepProps) {
  const { status, addressPrefix } = useNode();
  const params = useLearnParams();
  const prefix = addressPrefix ?? params.addressPrefix;
  const id = arg ?? (status ? String(status.height) : null);
  const target = useInspectTarget(id);
  const [text, setText] = useState(arg ?? '');
  // Following a link to another block or transaction shows its id in the box.
  useEffect(() => setText(arg ?? ''), [arg]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) window.location.hash = href.learn('inspect', text.trim());
  };
  return (
    <>
      <form className="card learn-controls" onSubmit={submit}>
        <div className="field inspect-input">
          <label htmlFor="inspect-id">
            Block height, block hash, txid, or the hex of a block or transaction
          </label>
          <input
            id="inspect-id"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={id ?? ''}
            spellCheck={false}
            data-testid="inspect-id"
          />
        </div>
        <button type="submit" className="btn btn-primary" data-testid="inspect-go">
          Inspect
        </button>
      </form>
      {target.state === 'loading' && <Loading what="Fetching from the node" />}
      {target.state === 'error' && <ErrorBox error={target.error} title="Cannot inspect" />}
      {target.state === 'block' && <BlockView block={target.block} prefix={prefix} />}
      {target.state === 'tx' && <TxView tx={target.tx} prefix={prefix} />}
    </>
  );
}
