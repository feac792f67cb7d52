// A built payment: its inputs, outputs and fee, its txid with and without signatures, and its
// validation by the node's code, with buttons to tamper with a signature or confirm it in a block.
import { type Tx, txidHex } from '../../../../src/core/tx.js';
import type { BuiltTx } from '../../../../src/wallet/build-tx.js';
import { formatAmount } from '../../lib/format.js';
import { txidWithoutSignatures, type validateTx } from '../lib/utxo.js';
import { HexLine } from '../ui.js';
import { TxChecks } from './TxChecks.js';

export function PaymentView(props: {
  built: BuiltTx;
  tx: Tx;
  result: ReturnType<typeof validateTx>;
  names: Record<string, string>;
  confirmedHeight: number | null;
  tampered: boolean;
  onTamper: () => void;
  onConfirm: () => void;
}) {
  const { built, tx, result, names } = props;
  return (
    <div className="learn-grid">
      <div className="learn-box" data-testid="utxo-tx">
        <strong>Inputs</strong>
        {built.inputs.map((c) => (
          <div key={`${c.txid}:${c.index}`} className="small">
            {names[c.address]}'s coin{' '}
            <code className="hash">
              {c.txid.slice(0, 8)}…:{c.index}
            </code>{' '}
            · {formatAmount(c.amount)}
          </div>
        ))}
        <strong>Outputs</strong>
        {tx.outputs.map((o, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: outputs are identified by their index.
          <div key={i} className="small">
            #{i} {built.change?.index === i ? 'change to Alice' : 'to Bob'} · {formatAmount(o.amount)}
          </div>
        ))}
        <div className="small" data-testid="utxo-fee-line">
          Fee {formatAmount(built.fee)} = inputs − outputs · {built.size} bytes
        </div>
        <HexLine label="txid" testId="utxo-txid">
          {txidHex(tx)}
        </HexLine>
        <HexLine label="txid with every signature erased" testId="utxo-txid-nosig">
          {txidWithoutSignatures(tx)}
        </HexLine>
        <p className="small muted">
          The same: the txid does not cover the signatures (they sign the txid, so they cannot be part of it).
        </p>
      </div>
      <div className={`learn-box ${result.fee !== undefined ? 'ok' : 'bad'}`}>
        <strong>Validation by the node's code</strong>
        <TxChecks checks={result.checks} testId="utxo-checks" />
        {props.confirmedHeight !== null && (
          <span className="badge badge-info" data-testid="utxo-confirmed">
            confirmed in block {props.confirmedHeight}: Bob owns output #0
          </span>
        )}
        <div className="row">
          <button
            type="button"
            className="btn btn-small"
            onClick={props.onTamper}
            disabled={props.confirmedHeight !== null}
            data-testid="utxo-tamper"
          >
            {props.tampered ? 'Restore the signature' : 'Flip one bit of a signature'}
          </button>
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={props.onConfirm}
            disabled={result.fee === undefined || props.confirmedHeight !== null}
            data-testid="utxo-confirm"
          >
            Confirm in a block
          </button>
        </div>
      </div>
    </div>
  );
}
