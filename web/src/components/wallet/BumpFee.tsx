// "Bump fee" on a pending payment of the wallet: asks the password, then replaces the payment with one
// paying the node's next-block fee estimate (replace-by-fee; docs/protocol.md, "Replacement").
import { type FormEvent, useState } from 'react';
import type { WalletScan } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { formatAmount } from '../../lib/format.js';
import { href } from '../../lib/route.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { bumpFromBrowserWallet } from '../../wallet/wallet.js';

export function BumpFee(props: { stored: StoredWallet; scan: WalletScan; txid: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; txid?: string } | null>(null);
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
    setResult(null);
    try {
      const r = await bumpFromBrowserWallet(props.stored, password, props.txid, props.scan);
      setResult({
        ok: true,
        text: `Replaced: fee ${formatAmount(r.fee)} (was ${formatAmount(r.oldFee)})`,
        txid: r.txid,
      });
      setPassword('');
      props.onDone();
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
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
      {result && (
        <span className={result.ok ? 'ok small' : 'field-error'} data-testid="bump-result">
          {result.text}
          {result.txid && (
            <>
              {' '}
              <a href={href.tx(result.txid)}>view</a>
            </>
          )}
        </span>
      )}
    </form>
  );
}
