// The class roster (who is in the class, whether their chain agrees with mine) with Pay by name, and the
// payments of this session followed to their confirmation.
import { type FormEvent, useState } from 'react';
import { parseCoins } from '../../../src/wallet/amount.js';
import { errorText } from '../api/client.js';
import { Amount, Badge, Card, Empty, HashLink } from '../components/ui.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';
import type { PaymentRow, RosterRow } from './session.js';

export type PayAction = (to: string, amount: bigint) => Promise<string>;

export function RosterCard(props: {
  roster: readonly RosterRow[];
  payments: readonly PaymentRow[];
  canPay: boolean;
  onPay: PayAction;
}) {
  const [payTo, setPayTo] = useState<string | null>(null);
  return (
    <Card title="Class roster" testId="roster">
      {props.roster.length === 0 ? (
        <Empty>Nobody has reported yet: classmates appear here within a few seconds of joining.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table data-table roster-table">
            <thead>
              <tr>
                <th>Name</th>
                <th className="num">Height</th>
                <th>Agrees with me</th>
                <th className="num">Blocks found</th>
                <th>
                  <span className="sr-only">Pay</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.roster.map((r) => (
                <tr key={r.peerId} data-testid="roster-row" data-name={r.name}>
                  <td data-label="Name">
                    <span>
                      {r.name} {r.me && <Badge kind="info">you</Badge>}
                      {r.kind !== 'browser' && <span className="muted small"> ({r.kind})</span>}
                    </span>
                  </td>
                  <td className="num" data-label="Height" data-testid="roster-height">
                    {r.height}
                  </td>
                  <td data-label="Agrees with me" data-testid="roster-agrees">
                    {r.me ? '—' : r.agrees ? <Badge kind="ok">yes</Badge> : <Badge kind="warn">no</Badge>}
                  </td>
                  <td className="num" data-label="Blocks found" data-testid="roster-blocks">
                    {r.blocksFound}
                  </td>
                  <td>
                    {!r.me && (
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={!props.canPay}
                        onClick={() => setPayTo(payTo === r.name ? null : r.name)}
                        data-testid="roster-pay"
                      >
                        Pay
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {payTo !== null && <PayForm to={payTo} onPay={props.onPay} onDone={() => setPayTo(null)} />}
      <PaymentList payments={props.payments} />
    </Card>
  );
}

function PayForm(props: { to: string; onPay: PayAction; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await props.onPay(props.to, parseCoins(amount));
      props.onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form pay-form" onSubmit={submit} data-testid="pay-form">
      <label className="field">
        <span>Amount to pay {props.to}, in coins</span>
        <input
          className="input-narrow"
          inputMode="decimal"
          placeholder="1.5"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          data-testid="pay-amount"
        />
      </label>
      <div className="row">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || amount.trim() === ''}
          data-testid="pay-submit"
        >
          {busy ? 'Signing…' : `Pay ${props.to}`}
        </button>
        <button type="button" className="btn" onClick={props.onDone}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="pay-error">
          {error}
        </p>
      )}
    </form>
  );
}

function PaymentList({ payments }: { payments: readonly PaymentRow[] }) {
  if (payments.length === 0) return null;
  return (
    <ul className="plain-list payments" data-testid="payments">
      {payments.map((p) => (
        <li key={p.txid} data-testid="pay-result" data-txid={p.txid}>
          <Amount value={p.amount} /> to {p.to} ·{' '}
          <HashLink hash={p.txid} to={href.tx(p.txid)} testId="pay-txid" />{' '}
          <span data-testid="pay-confirmations">
            {p.confirmations === 0 ? (
              <Badge kind="warn">waiting for a block</Badge>
            ) : (
              <Badge kind="ok">{plural(p.confirmations, 'confirmation')}</Badge>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
