// Creating a policy address: a 2-of-3 (k-of-n) multisig from pasted public keys, savings locked until a
// block height, a hashlock with a fresh secret (and an optional refund after a height), or any policy
// text. `me` stands for this wallet's key. The address is computed here; nothing is sent.
import { type FormEvent, useState } from 'react';
import { fromHex } from '../../../../src/core/bytes.js';
import { errorText } from '../../api/client.js';
import { newSecret, type PolicyForm, policyFromForm, type SavedPolicy } from '../../wallet/policies.js';

type Kind = PolicyForm['kind'];

const KINDS: readonly { kind: Kind; label: string }[] = [
  { kind: 'multisig', label: 'Multisig' },
  { kind: 'savings', label: 'Savings until a height' },
  { kind: 'hashlock', label: 'Hashlock with a secret' },
  { kind: 'text', label: 'Policy text' },
];

function Field(props: {
  label: string;
  value: string;
  set: (v: string) => void;
  testId: string;
  placeholder?: string;
  numeric?: boolean;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        value={props.value}
        onChange={(e) => props.set(e.target.value)}
        placeholder={props.placeholder}
        inputMode={props.numeric ? 'numeric' : undefined}
        style={props.numeric ? { maxWidth: '10rem' } : undefined}
        spellCheck={false}
        autoComplete="off"
        data-testid={props.testId}
      />
    </label>
  );
}

/** What the fields hold, for every kind at once (switching kinds keeps what was typed). */
interface Draft {
  readonly k: string;
  readonly keys: readonly string[];
  readonly height: string;
  readonly secret: string;
  readonly recipient: string;
  readonly refundKey: string;
  readonly refundHeight: string;
  readonly text: string;
}

type SetDraft = (patch: Partial<Draft>) => void;

/** The form of `kind` from the fields. */
function formOf(kind: Kind, d: Draft): PolicyForm {
  switch (kind) {
    case 'multisig':
      return { kind, k: Number(d.k), keys: d.keys };
    case 'savings':
      return { kind, height: Number(d.height) };
    case 'hashlock':
      return {
        kind,
        secret: d.secret.trim(),
        recipient: d.recipient,
        ...(d.refundKey.trim() !== ''
          ? { refund: { key: d.refundKey, height: Number(d.refundHeight) } }
          : {}),
      };
    case 'text':
      return { kind, text: d.text };
  }
}

function MultisigFields({ d, set }: { d: Draft; set: SetDraft }) {
  return (
    <>
      <p className="hint">
        Any {d.k || 'k'} of these keys can spend, e.g. buyer, seller and an arbiter: any two settle. Paste
        each co-signer's public key; <code>me</code> is yours.
      </p>
      <Field label="Signatures needed" value={d.k} set={(k) => set({ k })} testId="policy-k" numeric />
      {d.keys.map((key, i) => (
        <Field
          // biome-ignore lint/suspicious/noArrayIndexKey: the key fields are positional
          key={i}
          label={`Key ${i + 1}`}
          value={key}
          set={(v) => set({ keys: d.keys.map((old, j) => (j === i ? v : old)) })}
          testId={`policy-key-${i}`}
          placeholder="64 hex digits, or me"
        />
      ))}
      <div className="row">
        <button type="button" className="btn btn-small" onClick={() => set({ keys: [...d.keys, ''] })}>
          Add a key
        </button>
      </div>
    </>
  );
}

function HashlockFields({ d, set }: { d: Draft; set: SetDraft }) {
  return (
    <>
      <p className="hint">
        Whoever holds the recipient key and knows the secret can spend. With a refund key, its owner can take
        the coins back from the refund height on (a hashed timelock, as in atomic swaps). The secret is kept
        in this browser with the address: reveal it only to claim.
      </p>
      <label className="field">
        <span>Secret (32 bytes in hex)</span>
        <span className="row">
          <input
            value={d.secret}
            onChange={(e) => set({ secret: e.target.value })}
            spellCheck={false}
            autoComplete="off"
            data-testid="policy-secret"
          />
          <button type="button" className="btn btn-small" onClick={() => set({ secret: newSecret() })}>
            New secret
          </button>
        </span>
      </label>
      <Field
        label="Recipient key"
        value={d.recipient}
        set={(recipient) => set({ recipient })}
        testId="policy-recipient"
      />
      <Field
        label="Refund key (optional)"
        value={d.refundKey}
        set={(refundKey) => set({ refundKey })}
        testId="policy-refund-key"
        placeholder="64 hex digits, or me"
      />
      {d.refundKey.trim() !== '' && (
        <Field
          label="Refund from block height"
          value={d.refundHeight}
          set={(refundHeight) => set({ refundHeight })}
          testId="policy-refund-height"
          numeric
        />
      )}
    </>
  );
}

function OtherFields({
  kind,
  d,
  set,
  tipHeight,
}: {
  kind: Kind;
  d: Draft;
  set: SetDraft;
  tipHeight: number;
}) {
  if (kind === 'savings') {
    return (
      <>
        <p className="hint">
          Only you can spend, and not before this block height: <code>and(pk(me),after(height))</code>. The
          chain is at height {tipHeight}.
        </p>
        <Field
          label="Spendable from block height"
          value={d.height}
          set={(height) => set({ height })}
          testId="policy-height"
          numeric
        />
      </>
    );
  }
  return (
    <label className="field">
      <span>Policy text</span>
      <textarea
        rows={3}
        value={d.text}
        onChange={(e) => set({ text: e.target.value })}
        placeholder="or(pk(me),and(pk(<key>),after(1000)))"
        spellCheck={false}
        data-testid="policy-text"
      />
    </label>
  );
}

export function NewPolicyForm(props: {
  publicKey: string;
  network: string;
  tipHeight: number;
  onCreated: (entry: SavedPolicy) => void;
}) {
  const [kind, setKind] = useState<Kind>('multisig');
  const [draft, setDraft] = useState<Draft>(() => ({
    k: '2',
    keys: ['me', '', ''],
    height: String(props.tipHeight + 10),
    secret: newSecret(),
    recipient: 'me',
    refundKey: '',
    refundHeight: '',
    text: '',
  }));
  const set: SetDraft = (patch) => setDraft((d) => ({ ...d, ...patch }));
  const [error, setError] = useState<string | null>(null);
  const create = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const made = policyFromForm(formOf(kind, draft), fromHex(props.publicKey), props.network);
      props.onCreated({
        network: props.network,
        label: made.label,
        text: made.description.text,
        address: made.description.address,
        ...(made.secret ? { secret: made.secret } : {}),
      });
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form className="form" onSubmit={create} data-testid="policy-form">
      <div className="segmented" role="radiogroup" aria-label="Kind of policy">
        {KINDS.map((c) => (
          <label key={c.kind}>
            <input
              type="radio"
              name="policy-kind"
              checked={kind === c.kind}
              onChange={() => setKind(c.kind)}
              data-testid={`policy-kind-${c.kind}`}
            />
            <strong>{c.label}</strong>
          </label>
        ))}
      </div>
      {kind === 'multisig' ? (
        <MultisigFields d={draft} set={set} />
      ) : kind === 'hashlock' ? (
        <HashlockFields d={draft} set={set} />
      ) : (
        <OtherFields kind={kind} d={draft} set={set} tipHeight={props.tipHeight} />
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="policy-error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" data-testid="policy-create">
          Create address
        </button>
      </div>
    </form>
  );
}
