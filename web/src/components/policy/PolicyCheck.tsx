// A policy address is only a hash: this form takes a policy's text, has the node decode it
// (POST /api/v1/policy/decode) and says whether it hashes to the address, showing its fragments.
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.js';
import type { PolicyDecodeJson } from '../../api/types.js';
import { ErrorBox } from '../ui.js';
import { PolicyTree } from './PolicyTree.js';

export function PolicyCheck({ address }: { address: string }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<PolicyDecodeJson | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const check = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.decodePolicy({ body: { text: text.trim() } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const matches = result !== null && result.address === address;
  return (
    <form className="form" onSubmit={check} data-testid="policy-check">
      <p className="hint">
        A policy address holds only the SHA-256 hash of its policy: the policy itself is revealed when a coin
        is spent. Paste a policy's text to check that it is the one locking these coins.
      </p>
      <label className="field">
        <span>Policy text</span>
        <textarea
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="multi(2,<key>,<key>,<key>)"
          spellCheck={false}
          data-testid="policy-check-text"
        />
      </label>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy || text.trim() === ''}>
          Check
        </button>
      </div>
      {error !== null && <ErrorBox error={error} title="Not a policy" />}
      {result && (
        <div data-testid="policy-check-result">
          {matches ? (
            <p className="alert alert-ok">This policy hashes to this address: it locks these coins.</p>
          ) : (
            <p className="alert alert-warn">
              This policy hashes to another address, <code className="hash">{result.address}</code>: it does
              not lock these coins.
            </p>
          )}
          <PolicyTree fragments={result.fragments} />
        </div>
      )}
    </form>
  );
}
