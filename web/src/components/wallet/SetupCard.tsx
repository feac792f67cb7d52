// Setting up the browser wallet: a new recovery phrase or an imported one, encrypted with a password.
import { type FormEvent, useState } from 'react';
import { generateMnemonic, mnemonicProblem } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { type StoredWallet, saveWallet } from '../../wallet/storage.js';
import { createStoredWallet } from '../../wallet/wallet.js';
import { Card, CopyButton } from '../ui.js';

const MIN_PASSWORD = 8;

function passwordProblem(password: string, confirm: string): string | null {
  if (password.length < MIN_PASSWORD) return `Use at least ${MIN_PASSWORD} characters.`;
  if (password !== confirm) return 'The two passwords differ.';
  return null;
}

function PasswordFields(props: {
  password: string;
  confirm: string;
  setPassword: (s: string) => void;
  setConfirm: (s: string) => void;
  prefix: string;
}) {
  return (
    <div className="two-col">
      <div className="field">
        <label htmlFor={`${props.prefix}-password`}>Password (encrypts the wallet in this browser)</label>
        <input
          id={`${props.prefix}-password`}
          type="password"
          autoComplete="new-password"
          value={props.password}
          onChange={(e) => props.setPassword(e.target.value)}
          data-testid={`${props.prefix}-password`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${props.prefix}-confirm`}>Repeat the password</label>
        <input
          id={`${props.prefix}-confirm`}
          type="password"
          autoComplete="new-password"
          value={props.confirm}
          onChange={(e) => props.setConfirm(e.target.value)}
          data-testid={`${props.prefix}-confirm`}
        />
      </div>
    </div>
  );
}

export function MnemonicWords({ mnemonic }: { mnemonic: string }) {
  return (
    <ol className="mnemonic" data-testid="mnemonic">
      {mnemonic.split(' ').map((w, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: words repeat; their position is their identity.
        <li key={i} data-testid="mnemonic-word">
          {w}
        </li>
      ))}
    </ol>
  );
}

export function SetupCard({
  network,
  onCreated,
}: {
  network: string | null;
  onCreated: (w: StoredWallet) => void;
}) {
  const [mode, setMode] = useState<'create' | 'import'>('create');
  const [mnemonic, setMnemonic] = useState(() => generateMnemonic(12));
  const [saved, setSaved] = useState(false);
  const [phrase, setPhrase] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const importProblem = phrase.trim() === '' ? null : (mnemonicProblem(phrase) ?? null);
  const pwProblem = password === '' && confirm === '' ? null : passwordProblem(password, confirm);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!network) return setError('Waiting for the node to say which network it runs.');
    if (mode === 'create' && !saved) return setError('Confirm that you wrote the recovery phrase down.');
    if (mode === 'import') {
      const problem = mnemonicProblem(phrase);
      if (problem) return setError(`That recovery phrase is not valid: ${problem}.`);
    }
    const pw = passwordProblem(password, confirm);
    if (pw) return setError(pw);
    setBusy(true);
    try {
      const stored = await createStoredWallet({
        mnemonic: mode === 'create' ? mnemonic : phrase,
        password,
        network,
        scan: mode === 'import',
      });
      saveWallet(stored);
      onCreated(stored);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Set up a wallet" testId="wallet-setup">
      <div className="segmented" role="radiogroup" aria-label="Create or import">
        <label>
          <input
            type="radio"
            name="wallet-mode"
            checked={mode === 'create'}
            onChange={() => setMode('create')}
            data-testid="mode-create"
          />
          <strong>Create a new wallet</strong>
          <span className="muted small">a fresh 12-word recovery phrase</span>
        </label>
        <label>
          <input
            type="radio"
            name="wallet-mode"
            checked={mode === 'import'}
            onChange={() => setMode('import')}
            data-testid="mode-import"
          />
          <strong>Import a wallet</strong>
          <span className="muted small">from your recovery phrase</span>
        </label>
      </div>
      <form className="form" onSubmit={submit} style={{ marginTop: '1rem' }}>
        {mode === 'create' ? (
          <>
            <div>
              <p>
                Your recovery phrase. Write it down and keep it safe: it is the only way to restore this
                wallet. It never leaves this browser.
              </p>
              <MnemonicWords mnemonic={mnemonic} />
              <div className="row">
                <CopyButton text={mnemonic} label="Copy phrase" />
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setMnemonic(generateMnemonic(12))}
                >
                  New phrase
                </button>
              </div>
            </div>
            <label className="row">
              <input
                type="checkbox"
                checked={saved}
                onChange={(e) => setSaved(e.target.checked)}
                data-testid="mnemonic-saved"
              />
              I have written the recovery phrase down.
            </label>
          </>
        ) : (
          <div className="field">
            <label htmlFor="import-mnemonic">Recovery phrase (12 or 24 words)</label>
            <textarea
              id="import-mnemonic"
              rows={3}
              value={phrase}
              onChange={(e) => setPhrase(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              data-testid="import-mnemonic"
              aria-invalid={importProblem !== null}
            />
            {importProblem && <p className="field-error">{importProblem}</p>}
          </div>
        )}
        <PasswordFields
          prefix="setup"
          password={password}
          confirm={confirm}
          setPassword={setPassword}
          setConfirm={setConfirm}
        />
        {pwProblem && <p className="field-error">{pwProblem}</p>}
        <div className="row">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !network}
            data-testid="wallet-create"
          >
            {busy ? 'Encrypting…' : mode === 'create' ? 'Create wallet' : 'Import wallet'}
          </button>
          {!network && <span className="muted">Waiting for the node…</span>}
        </div>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="wallet-setup-error">
            {error}
          </p>
        )}
      </form>
    </Card>
  );
}
