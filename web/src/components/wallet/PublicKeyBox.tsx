// This wallet's public key, for co-signers to put in a shared policy. Wallets saved before policies
// learn it once from the password.
import { type FormEvent, useState } from 'react';
import { toHex } from '../../../../src/core/bytes.js';
import { KeystoreError } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { cosignerKey, unlock } from '../../wallet/wallet.js';
import { CopyButton } from '../ui.js';

export function PublicKeyBox({ stored, save }: { stored: StoredWallet; save: (w: StoredWallet) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (stored.publicKey) {
    return (
      <div className="field">
        <span className="muted small">Your public key (share it with co-signers; it reveals no secret)</span>
        <code className="hash hash-full hash-wrap" data-testid="wallet-public-key">
          {stored.publicKey}
        </code>
        <div className="row">
          <CopyButton text={stored.publicKey} label="Copy public key" testId="copy-public-key" />
        </div>
      </div>
    );
  }
  const show = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { wallet } = await unlock(stored, password);
      save({ ...stored, publicKey: toHex(cosignerKey(wallet).publicKey) });
    } catch (err) {
      setError(
        err instanceof KeystoreError && err.code === 'wrong-password' ? 'Wrong password.' : errorText(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={show}>
      <p className="hint">Enter the password once to show the public key co-signers need.</p>
      <input
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-label="Wallet password"
        data-testid="public-key-password"
      />
      <button type="submit" className="btn btn-small" disabled={busy || password === ''}>
        Show my public key
      </button>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
