// Spending from a policy address together: create a partially signed transaction, sign it here, add a
// hashlock's secret, paste a co-signer's copy to combine, finalize and broadcast.
import { type FormEvent, type ReactNode, useState } from 'react';
import {
  decodePolicyOrThrow,
  KeystoreError,
  type Psbt,
  policyHashlocks,
  psbtFromText,
} from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { useNode } from '../../api/node.js';
import { formatAmount, parseAmount } from '../../lib/format.js';
import { href } from '../../lib/route.js';
import type { SavedPolicy } from '../../wallet/policies.js';
import {
  addSecret,
  broadcastPsbt,
  createPolicySpend,
  loadOrCombine,
  signWithWallet,
} from '../../wallet/psbt-flow.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { feeRates } from '../../wallet/wallet.js';
import { Card } from '../ui.js';
import { PsbtView } from './PsbtView.js';

type Note = { ok: boolean; text: ReactNode } | null;

const wrongPassword = (err: unknown) =>
  err instanceof KeystoreError && err.code === 'wrong-password' ? 'Wrong password.' : errorText(err);

function CreateSpend(props: { policies: SavedPolicy[]; onCreated: (p: Psbt, note: string) => void }) {
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

export function PsbtCard({ stored, policies }: { stored: StoredWallet; policies: SavedPolicy[] }) {
  const [psbt, setPsbt] = useState<Psbt | null>(null);
  const [pasted, setPasted] = useState('');
  const [password, setPassword] = useState('');
  const [secret, setSecret] = useState('');
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<Note> | Note) => {
    setBusy(true);
    try {
      setNote(await action());
    } catch (err) {
      setNote({ ok: false, text: wrongPassword(err) });
    } finally {
      setBusy(false);
    }
  };
  const load = () =>
    run(() => {
      const next = loadOrCombine(psbt, psbtFromText(pasted.trim()));
      const combined = psbt !== null;
      setPsbt(next);
      setPasted('');
      return { ok: true, text: combined ? 'Combined with the pasted copy.' : 'Loaded.' };
    });
  const sign = () =>
    run(async () => {
      if (!psbt) return null;
      setPsbt(await signWithWallet(stored, password, psbt));
      setPassword('');
      return { ok: true, text: 'Signed with your key.' };
    });
  const reveal = () =>
    run(() => {
      if (!psbt) return null;
      setPsbt(addSecret(psbt, secret));
      setSecret('');
      return { ok: true, text: 'Secret added.' };
    });
  const broadcast = () =>
    run(async () => {
      if (!psbt) return null;
      const txid = await broadcastPsbt(psbt);
      return {
        ok: true,
        text: (
          <>
            Broadcast:{' '}
            <a href={href.tx(txid)} data-testid="psbt-broadcast-txid">
              {txid}
            </a>
          </>
        ),
      };
    });
  const knownSecrets = policies.filter((p) => p.secret);
  // The secret field only for a transaction spending a hashlock.
  const hashlocked =
    psbt?.inputs.some((i) => i.policy && policyHashlocks(decodePolicyOrThrow(i.policy)).length > 0) ?? false;

  return (
    <Card title="Spend together: partially signed transactions" testId="wallet-psbt">
      <p className="hint">
        A spend from a policy address is passed around as text: one co-signer creates it, each signs it in
        their own wallet (keys never leave the browser), anyone combines the copies, and once it has what the
        policy needs it is finalized and broadcast.
      </p>
      <CreateSpend
        policies={policies}
        onCreated={(p, text) => {
          setPsbt(p);
          setNote({ ok: true, text });
        }}
      />
      <h3 className="subhead">Paste a co-signer's text</h3>
      <div className="form">
        <textarea
          className="psbt-text"
          rows={3}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          placeholder="hlpsbt:…"
          spellCheck={false}
          data-testid="psbt-paste"
        />
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={busy || pasted.trim() === ''}
            onClick={load}
            data-testid="psbt-load"
          >
            {psbt ? 'Combine with this one' : 'Load'}
          </button>
        </div>
      </div>
      {note && (
        <p
          className={note.ok ? 'ok small' : 'field-error'}
          role={note.ok ? 'status' : 'alert'}
          data-testid="psbt-note"
        >
          {note.text}
        </p>
      )}
      {psbt && (
        <>
          <h3 className="subhead">This transaction</h3>
          <PsbtView psbt={psbt} myKey={stored.publicKey} />
          <div className="form">
            <div className="row">
              <input
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-label="Wallet password"
                placeholder="Wallet password"
                data-testid="psbt-password"
              />
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy || password === ''}
                onClick={sign}
                data-testid="psbt-sign"
              >
                Sign with my key
              </button>
            </div>
            {hashlocked && (
              <div className="row">
                <input
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                  placeholder="Secret of a hashlock (64 hex digits)"
                  aria-label="Secret"
                  spellCheck={false}
                  data-testid="psbt-secret"
                />
                {knownSecrets.length > 0 && (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setSecret(knownSecrets[0]!.secret!)}
                  >
                    Use my saved secret
                  </button>
                )}
                <button
                  type="button"
                  className="btn"
                  disabled={busy || secret.trim() === ''}
                  onClick={reveal}
                >
                  Add secret
                </button>
              </div>
            )}
            <div className="row">
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy}
                onClick={broadcast}
                data-testid="psbt-broadcast"
              >
                Finalize and broadcast
              </button>
              <button
                type="button"
                className="btn btn-link"
                onClick={() => {
                  setPsbt(null);
                  setNote(null);
                }}
              >
                Discard
              </button>
            </div>
          </div>
        </>
      )}
    </Card>
  );
}
