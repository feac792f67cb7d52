// A partially signed transaction as text (copy button) and as a QR code, with what each input still
// lacks. The QR code is drawn here (src/wallet/qr.ts); past one code's capacity the text is the way.
import { useMemo } from 'react';
import { txidHex } from '../../../../src/core/tx.js';
import { type Psbt, psbtStatus, psbtToText } from '../../../../src/wallet/index.js';
import { qrcodeSvg } from '../../../../src/wallet/qr.js';
import { errorText } from '../../api/client.js';
import { formatAmount } from '../../lib/format.js';
import { CopyButton } from '../ui.js';

const short = (hex: string) => `${hex.slice(0, 8)}…`;

function PsbtQr({ text }: { text: string }) {
  const qr = useMemo(() => {
    try {
      return { svg: qrcodeSvg(text) };
    } catch (err) {
      return { error: errorText(err) };
    }
  }, [text]);
  if ('error' in qr) {
    return (
      <p className="alert alert-warn" data-testid="psbt-qr-too-large">
        No QR code: {qr.error}
      </p>
    );
  }
  return (
    <div className="qr-code" data-testid="psbt-qr">
      <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.svg)}`} alt="QR code of the text" />
    </div>
  );
}

export function PsbtView({ psbt, myKey }: { psbt: Psbt; myKey: string | undefined }) {
  const text = useMemo(() => psbtToText(psbt), [psbt]);
  const status = useMemo(() => psbtStatus(psbt), [psbt]);
  const ready = status.every((s) => s.complete);
  const paid = psbt.tx.outputs.reduce((t, o) => t + o.amount, 0n);
  const spent = psbt.inputs.reduce((t, i) => t + i.amount, 0n);
  return (
    <div data-testid="psbt-view">
      <p className="small">
        Transaction <code className="hash">{short(txidHex(psbt.tx))}</code>: {psbt.tx.inputs.length} input
        {psbt.tx.inputs.length === 1 ? '' : 's'}, {psbt.tx.outputs.length} output
        {psbt.tx.outputs.length === 1 ? '' : 's'}, fee {formatAmount(spent - paid)}, lock time{' '}
        {psbt.tx.lockTime ?? 0}.
      </p>
      <ul className="plain-list" data-testid="psbt-status">
        {status.map((s, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: inputs are positional
          <li key={n} className="small" data-testid="psbt-input-status">
            Input #{n}:{' '}
            {s.complete ? (
              <span className="ok">ready</span>
            ) : (
              <span className="warn" data-testid="psbt-missing">
                needs {s.missing}
              </span>
            )}
            {' · '}
            signed by{' '}
            {s.signedBy.length === 0
              ? 'nobody yet'
              : s.signedBy.map((k) => (k === myKey ? 'you' : short(k))).join(', ')}{' '}
            ({s.signedBy.length} of {s.signaturesNeeded} needed)
            {s.badSignatures.length > 0 && (
              <span className="field-error">
                {' '}
                · bad signatures from {s.badSignatures.map(short).join(', ')}
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className={ready ? 'alert alert-ok' : 'hint'} data-testid="psbt-ready">
        {ready
          ? 'Complete: it can be finalized and broadcast.'
          : 'Not complete: send this text to a co-signer, or paste theirs below.'}
      </p>
      <div className="two-col psbt-share">
        <div className="field">
          <span className="muted small">Partially signed transaction ({text.length} characters)</span>
          <textarea className="psbt-text" readOnly value={text} rows={6} data-testid="psbt-text" />
          <div className="row">
            <CopyButton text={text} label="Copy text" testId="copy-psbt" />
          </div>
        </div>
        <PsbtQr text={text} />
      </div>
      <details className="small">
        <summary>Keys that may still sign</summary>
        {status.map((s, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: inputs are positional
          <p key={n}>
            #{n}: {s.unsignedKeys.map((k) => (k === myKey ? 'you' : short(k))).join(', ') || 'none'}
          </p>
        ))}
      </details>
    </div>
  );
}
