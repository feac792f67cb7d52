// The wallet's recovery phrase shown again after the password, and removing the wallet from this browser.
import { type FormEvent, useState } from 'react';
import { KeystoreError } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { removeWallet, type StoredWallet } from '../../wallet/storage.js';
import { unlock } from '../../wallet/wallet.js';
import { MnemonicWords } from './SetupCard.js';

export function RevealPhrase({ stored }: { stored: StoredWallet }) {
  const [password, setPassword] = useState('');
  const [mnemonic, setMnemonic] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reveal = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setMnemonic((await unlock(stored, password)).mnemonic);
      setPassword('');
    } catch (err) {
      setError(
        err instanceof KeystoreError && err.code === 'wrong-password' ? 'Wrong password.' : errorText(err),
      );
    } finally {
      setBusy(false);
    }
  };
  if (mnemonic) {
    return (
      <div>
        <MnemonicWords mnemonic={mnemonic} />
        <button type="button" className="btn btn-small" onClick={() => setMnemonic(null)}>
          Hide
        </button>
      </div>
    );
  }
  return (
    <form className="row" onSubmit={reveal}>
      <label htmlFor="reveal-password" className="inline-label">
        Password
      </label>
      <input
        id="reveal-password"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="current-password"
      />
      <button type="submit" className="btn" disabled={busy}>
        {busy ? 'Decrypting…' : 'Show recovery phrase'}
      </button>
      {error && <span className="field-error">{error}</span>}
    </form>
  );
}

export function RemoveWallet({ onRemoved }: { onRemoved: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="btn" onClick={() => setConfirming(true)} data-testid="wallet-remove">
        Remove wallet from this browser…
      </button>
    );
  }
  return (
    <div className="alert alert-warn" role="alert">
      <p style={{ marginTop: 0 }}>
        Without the recovery phrase the coins are lost for good. Remove the wallet from this browser?
      </p>
      <div className="row">
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => {
            removeWallet();
            onRemoved();
          }}
          data-testid="wallet-remove-confirm"
        >
          Remove
        </button>
        <button type="button" className="btn" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
