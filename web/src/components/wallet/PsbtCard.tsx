// Spending from a policy address together: create a partially signed transaction, sign it here, add a
// hashlock's secret, paste a co-signer's copy to combine, finalize and broadcast.
import { type ReactNode, useState } from 'react';
import { fromHex, toHex } from '../../../../src/core/bytes.js';
import { sha256 } from '../../../../src/core/hash.js';
import {
  decodePolicyOrThrow,
  KeystoreError,
  type Psbt,
  policyHashlocks,
  psbtFromText,
} from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { href } from '../../lib/route.js';
import type { SavedPolicy } from '../../wallet/policies.js';
import { addSecret, broadcastPsbt, loadOrCombine, signWithWallet } from '../../wallet/psbt-flow.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { Card } from '../ui.js';
import { PsbtCreateForm } from './PsbtCreateForm.js';
import { PsbtView } from './PsbtView.js';

type Note = { ok: boolean; text: ReactNode } | null;
type Run = (action: () => Promise<Note> | Note) => Promise<void>;

const wrongPassword = (err: unknown) =>
  err instanceof KeystoreError && err.code === 'wrong-password' ? 'Wrong password.' : errorText(err);

/** The hashes (hex) of the transaction's hashlocks. */
const hashlocksOf = (psbt: Psbt): Set<string> =>
  new Set(
    psbt.inputs.flatMap((i) => (i.policy ? policyHashlocks(decodePolicyOrThrow(i.policy)).map(toHex) : [])),
  );

function PastePsbt(props: { psbt: Psbt | null; busy: boolean; onLoad: (text: string) => boolean }) {
  const [pasted, setPasted] = useState('');
  return (
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
          disabled={props.busy || pasted.trim() === ''}
          onClick={() => {
            // Kept when it does not load, to be corrected.
            if (props.onLoad(pasted.trim())) setPasted('');
          }}
          data-testid="psbt-load"
        >
          {props.psbt ? 'Combine with this one' : 'Load'}
        </button>
      </div>
    </div>
  );
}

/** The secret of one of the transaction's hashlocks: typed, or the one this browser kept for it. */
function SecretRow(props: {
  psbt: Psbt;
  policies: SavedPolicy[];
  busy: boolean;
  run: Run;
  set: (p: Psbt) => void;
}) {
  const [secret, setSecret] = useState('');
  const locks = hashlocksOf(props.psbt);
  const kept = props.policies.find((p) => p.secret && locks.has(toHex(sha256(fromHex(p.secret)))))?.secret;
  const reveal = () =>
    props.run(() => {
      props.set(addSecret(props.psbt, secret));
      setSecret('');
      return { ok: true, text: 'Secret added.' };
    });
  return (
    <div className="row">
      <input
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
        placeholder="Secret of a hashlock (64 hex digits)"
        aria-label="Secret"
        spellCheck={false}
        data-testid="psbt-secret"
      />
      {kept && (
        <button type="button" className="btn btn-small" onClick={() => setSecret(kept)}>
          Use my saved secret
        </button>
      )}
      <button type="button" className="btn" disabled={props.busy || secret.trim() === ''} onClick={reveal}>
        Add secret
      </button>
    </div>
  );
}

function PsbtActions(props: {
  stored: StoredWallet;
  psbt: Psbt;
  policies: SavedPolicy[];
  busy: boolean;
  run: Run;
  set: (p: Psbt | null) => void;
}) {
  const { stored, psbt, run } = props;
  const [password, setPassword] = useState('');
  const sign = () =>
    run(async () => {
      props.set(await signWithWallet(stored, password, psbt));
      setPassword('');
      return { ok: true, text: 'Signed with your key.' };
    });
  const broadcast = () =>
    run(async () => {
      const txid = await broadcastPsbt(psbt);
      const link = (
        <a href={href.tx(txid)} data-testid="psbt-broadcast-txid">
          {txid}
        </a>
      );
      return { ok: true, text: <>Broadcast: {link}</> };
    });
  return (
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
          disabled={props.busy || password === ''}
          onClick={sign}
          data-testid="psbt-sign"
        >
          Sign with my key
        </button>
      </div>
      {hashlocksOf(psbt).size > 0 && (
        <SecretRow psbt={psbt} policies={props.policies} busy={props.busy} run={run} set={props.set} />
      )}
      <div className="row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={props.busy}
          onClick={broadcast}
          data-testid="psbt-broadcast"
        >
          Finalize and broadcast
        </button>
        <button type="button" className="btn btn-link" onClick={() => props.set(null)}>
          Discard
        </button>
      </div>
    </div>
  );
}

export function PsbtCard({ stored, policies }: { stored: StoredWallet; policies: SavedPolicy[] }) {
  const [psbt, setPsbt] = useState<Psbt | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [busy, setBusy] = useState(false);
  const run: Run = async (action) => {
    setBusy(true);
    try {
      setNote(await action());
    } catch (err) {
      setNote({ ok: false, text: wrongPassword(err) });
    } finally {
      setBusy(false);
    }
  };
  const load = (text: string): boolean => {
    try {
      setPsbt(loadOrCombine(psbt, psbtFromText(text)));
      setNote({ ok: true, text: psbt ? 'Combined with the pasted copy.' : 'Loaded.' });
      return true;
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
      return false;
    }
  };
  return (
    <Card title="Spend together: partially signed transactions" testId="wallet-psbt">
      <p className="hint">
        A spend from a policy address is passed around as text: one co-signer creates it, each signs it in
        their own wallet (keys never leave the browser), anyone combines the copies, and once it has what the
        policy needs it is finalized and broadcast.
      </p>
      <PsbtCreateForm
        policies={policies}
        onCreated={(p, text) => {
          setPsbt(p);
          setNote({ ok: true, text });
        }}
      />
      <h3 className="subhead">Paste a co-signer's text</h3>
      <PastePsbt psbt={psbt} busy={busy} onLoad={load} />
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
          <PsbtActions
            stored={stored}
            psbt={psbt}
            policies={policies}
            busy={busy}
            run={run}
            set={(next) => {
              setPsbt(next);
              if (next === null) setNote(null);
            }}
          />
        </>
      )}
    </Card>
  );
}
