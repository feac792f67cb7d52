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

export function NewPolicyForm(props: {
  publicKey: string;
  network: string;
  tipHeight: number;
  onCreated: (entry: SavedPolicy) => void;
}) {
  const [kind, setKind] = useState<Kind>('multisig');
  const [k, setK] = useState('2');
  const [keys, setKeys] = useState(['me', '', '']);
  const [height, setHeight] = useState(String(props.tipHeight + 10));
  const [secret, setSecret] = useState(newSecret);
  const [recipient, setRecipient] = useState('me');
  const [refundKey, setRefundKey] = useState('');
  const [refundHeight, setRefundHeight] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const form = (): PolicyForm => {
    switch (kind) {
      case 'multisig':
        return { kind, k: Number(k), keys };
      case 'savings':
        return { kind, height: Number(height) };
      case 'hashlock':
        return {
          kind,
          secret: secret.trim(),
          recipient,
          ...(refundKey.trim() !== '' ? { refund: { key: refundKey, height: Number(refundHeight) } } : {}),
        };
      case 'text':
        return { kind, text };
    }
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const made = policyFromForm(form(), fromHex(props.publicKey), props.network);
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
      {kind === 'multisig' && (
        <>
          <p className="hint">
            Any {k || 'k'} of these keys can spend, e.g. buyer, seller and an arbiter: any two settle. Paste
            each co-signer's public key; <code>me</code> is yours.
          </p>
          <Field label="Signatures needed" value={k} set={setK} testId="policy-k" numeric />
          {keys.map((key, i) => (
            <Field
              // biome-ignore lint/suspicious/noArrayIndexKey: the key fields are positional
              key={i}
              label={`Key ${i + 1}`}
              value={key}
              set={(v) => setKeys(keys.map((old, j) => (j === i ? v : old)))}
              testId={`policy-key-${i}`}
              placeholder="64 hex digits, or me"
            />
          ))}
          <div className="row">
            <button type="button" className="btn btn-small" onClick={() => setKeys([...keys, ''])}>
              Add a key
            </button>
          </div>
        </>
      )}
      {kind === 'savings' && (
        <>
          <p className="hint">
            Only you can spend, and not before this block height: <code>and(pk(me),after(height))</code>. The
            chain is at height {props.tipHeight}.
          </p>
          <Field
            label="Spendable from block height"
            value={height}
            set={setHeight}
            testId="policy-height"
            numeric
          />
        </>
      )}
      {kind === 'hashlock' && (
        <>
          <p className="hint">
            Whoever holds the recipient key and knows the secret can spend. With a refund key, its owner can
            take the coins back from the refund height on (a hashed timelock, as in atomic swaps). The secret
            is kept in this browser with the address: reveal it only to claim.
          </p>
          <label className="field">
            <span>Secret (32 bytes in hex)</span>
            <span className="row">
              <input
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                data-testid="policy-secret"
              />
              <button type="button" className="btn btn-small" onClick={() => setSecret(newSecret())}>
                New secret
              </button>
            </span>
          </label>
          <Field label="Recipient key" value={recipient} set={setRecipient} testId="policy-recipient" />
          <Field
            label="Refund key (optional)"
            value={refundKey}
            set={setRefundKey}
            testId="policy-refund-key"
            placeholder="64 hex digits, or me"
          />
          {refundKey.trim() !== '' && (
            <Field
              label="Refund from block height"
              value={refundHeight}
              set={setRefundHeight}
              testId="policy-refund-height"
              numeric
            />
          )}
        </>
      )}
      {kind === 'text' && (
        <label className="field">
          <span>Policy text</span>
          <textarea
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="or(pk(me),and(pk(<key>),after(1000)))"
            spellCheck={false}
            data-testid="policy-text"
          />
        </label>
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
