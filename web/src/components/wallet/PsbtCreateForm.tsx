// Creating a partially signed transaction that spends a policy address's coins: pay to, amount, and for
// policies with older(n) a relative lock. Change goes back to the policy address.
import { type FormEvent, useState } from 'react';
import type { Psbt } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { useNode } from '../../api/node.js';
import { formatAmount, parseAmount } from '../../lib/format.js';
import type { SavedPolicy } from '../../wallet/policies.js';
import { createPolicySpend } from '../../wallet/psbt-flow.js';
import { feeRates } from '../../wallet/wallet.js';

export function PsbtCreateForm(props: {
  policies: SavedPolicy[];
  onCreated: (p: Psbt, note: string) => void;
}) {
  const { status } = useNode();
  const [from, setFrom] = useState(props.policies[0]?.address ?? '');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [relative, setRelative] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const policy = props.policies.find((p) => p.address === from) ?? props.policies[0];
  const usesOlder = policy?.text.includes('older(') ?? false;
  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!policy) return;
    setBusy(true);
    setError(null);
    try {
      const made = await createPolicySpend({
        policy,
        to: to.trim(),
        amount: parseAmount(amount),
        feeRate: feeRates(status?.mempool.minFeeRate).normal,
        tipHeight: status?.height ?? 0,
        ...(usesOlder && relative.trim() !== '' ? { relativeLock: Number(relative) } : {}),
      });
      props.onCreated(made.psbt, `Created: fee ${formatAmount(made.fee)} for at most ${made.size} bytes.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  if (props.policies.length === 0)
    return <p className="hint">Create or add a policy address above to spend from it.</p>;
  return (
    <form className="form" onSubmit={create} data-testid="psbt-create">
      <label className="field">
        <span>Spend from</span>
        <select value={policy?.address} onChange={(e) => setFrom(e.target.value)} data-testid="psbt-from">
          {props.policies.map((p) => (
            <option key={p.address} value={p.address}>
              {p.label} · {p.address.slice(0, 14)}…{p.address.slice(-6)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Pay to address</span>
        <input
          value={to}
          onChange={(e) => setTo(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          data-testid="psbt-to"
        />
      </label>
      <label className="field">
        <span>Amount (HL)</span>
        <input
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          autoComplete="off"
          data-testid="psbt-amount"
        />
      </label>
      {usesOlder && (
        <label className="field">
          <span>Relative lock in blocks (to use an older(n) branch; empty for none)</span>
          <input
            value={relative}
            onChange={(e) => setRelative(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            style={{ maxWidth: '10rem' }}
            data-testid="psbt-relative-lock"
          />
        </label>
      )}
      <p className="muted small">
        Change goes back to the policy address. The lock time is the chain's height, so a savings lock or a
        refund path is usable once the chain has reached its height.
      </p>
      {error && (
        <p className="field-error" role="alert" data-testid="psbt-create-error">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="psbt-create-submit">
        Create partially signed transaction
      </button>
    </form>
  );
}
