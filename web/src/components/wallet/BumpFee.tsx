// "Bump fee" on a pending payment of the wallet: asks the password, then replaces the payment with one
// paying the node's next-block fee estimate (replace-by-fee; docs/protocol.md, "Replacement").
import { type FormEvent, useState } from 'react';
import type { WalletScan } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { formatAmount } from '../../lib/format.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { bumpFromBrowserWallet } from '../../wallet/wallet.js';

/** `onBumped` is told of a replacement: this row goes away with the original, so the page shows it. */
export function BumpFee(props: {
  stored: StoredWallet;
  scan: WalletScan;
  txid: string;
  onBumped: (text: string, txid: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} data-testid="bump-fee">
        Bump fee
      </button>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await bumpFromBrowserWallet(props.stored, password, props.txid, props.scan);
      setPassword('');
      props.onBumped(`Replaced: fee ${formatAmount(r.fee)} (was ${formatAmount(r.oldFee)})`, r.txid);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="row" onSubmit={submit} data-testid="bump-form">
      <input
        type="password"
        placeholder="Wallet password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="bump-password"
      />
      <button
        type="submit"
        className="btn btn-small"
        disabled={busy || password === ''}
        data-testid="bump-submit"
      >
        Pay the next-block fee
      </button>
      {error && (
        <span className="field-error" data-testid="bump-error">
          {error}
        </span>
      )}
    </form>
  );
}
