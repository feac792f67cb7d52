// Paying from the browser wallet: address, amount, fee level and an optional data record; a fee preview
// once the address and amount are valid; signed here by the shared send flow, only the hex is posted.
import { type FormEvent, useMemo, useState } from 'react';
import { getNetwork } from '../../../../src/core/params.js';
import { decodeAddress } from '../../../../src/crypto/address.js';
import { KeystoreError, selectCoins, spendableCoins, type WalletScan } from '../../../../src/wallet/index.js';
import { errorText } from '../../api/client.js';
import { useNode } from '../../api/node.js';
import { useApi } from '../../api/use-api.js';
import { formatAmount, parseAmount, unitsWord } from '../../lib/format.js';
import { plural } from '../../lib/plural.js';
import { href } from '../../lib/route.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { type FeeLevel, feeRates, sendFromBrowserWallet } from '../../wallet/wallet.js';

const MAX_DATA_BYTES = 1024;

/** "txid:index" of a coin. */
export const outpoint = (txid: string, index: number): string => `${txid}:${index}`;

function useAddressCheck(to: string, prefix: string) {
  return useMemo((): { valid: boolean; error: string | null } => {
    if (to.trim() === '') return { valid: false, error: null };
    try {
      decodeAddress(prefix, to.trim());
      return { valid: true, error: null };
    } catch (err) {
      return { valid: false, error: errorText(err) };
    }
  }, [to, prefix]);
}

function useAmount(text: string) {
  return useMemo((): { units: bigint } | { error: string } | null => {
    if (text.trim() === '') return null;
    try {
      const units = parseAmount(text);
      return units > 0n ? { units } : { error: 'The amount must be more than zero.' };
    } catch (err) {
      return { error: errorText(err) };
    }
  }, [text]);
}

export function SendForm(props: {
  stored: StoredWallet;
  scan: WalletScan;
  minFeeRate: number | undefined;
  pending: ReadonlySet<string>;
  save: (next: StoredWallet) => void;
  onSent: (txid: string, spent: string[]) => void;
}) {
  const { stored, scan } = props;
  const [to, setTo] = useState('');
  const [amountText, setAmountText] = useState('');
  const [level, setLevel] = useState<FeeLevel>('normal');
  const [data, setData] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; txid?: string } | null>(null);
  // The node's estimates for 6, 3 and 1 blocks (GET /api/v1/fees); the relay minimum's multiples without them.
  const estimates = useApi('getFees', {}, useNode().mempoolVersion).data;
  const rates = feeRates(props.minFeeRate, estimates);
  const params = getNetwork(stored.network);
  const coins = useMemo(
    () => spendableCoins(scan, (c) => props.pending.has(outpoint(c.txid, c.index))),
    [scan, props.pending],
  );
  const dataBytes = new TextEncoder().encode(data).length;
  const address = useAddressCheck(to, params.addressPrefix);
  const amount = useAmount(amountText);

  // Fee preview: the same coin selection the signer will run, without any key; only for a valid request.
  const preview = useMemo(() => {
    if (!address.valid || !amount || 'error' in amount || dataBytes > MAX_DATA_BYTES) return null;
    try {
      const s = selectCoins(coins, [{ address: to.trim(), amount: amount.units }], {
        feeRate: rates[level],
        dataSize: dataBytes,
      });
      return { fee: s.fee, size: s.size, total: amount.units + s.fee, change: s.change };
    } catch (err) {
      return { error: errorText(err) };
    }
  }, [address.valid, amount, coins, to, rates, level, dataBytes]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (!address.valid) return setResult({ ok: false, text: address.error ?? 'Enter the address to pay.' });
    if (!amount || 'error' in amount) {
      return setResult({ ok: false, text: amount && 'error' in amount ? amount.error : 'Enter an amount.' });
    }
    if (dataBytes > MAX_DATA_BYTES)
      return setResult({ ok: false, text: `The data record is over ${MAX_DATA_BYTES} bytes.` });
    if (password === '') return setResult({ ok: false, text: 'Enter the wallet password to sign.' });
    setBusy(true);
    try {
      const sent = await sendFromBrowserWallet(
        stored,
        password,
        { to: to.trim(), amount: amount.units, feeRate: rates[level], data },
        { pending: props.pending, save: props.save },
      );
      setResult({
        ok: true,
        text: `Sent ${formatAmount(amount.units)} (fee ${formatAmount(sent.built.fee)}).`,
        txid: sent.txid ?? sent.built.txid,
      });
      setTo('');
      setAmountText('');
      setData('');
      setPassword('');
      props.onSent(
        sent.built.txid,
        sent.built.inputs.map((c) => outpoint(c.txid, c.index)),
      );
    } catch (err) {
      const wrong = err instanceof KeystoreError && err.code === 'wrong-password';
      setResult({ ok: false, text: wrong ? 'Wrong password.' : errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="send-form">
      <div className="field">
        <label htmlFor="send-to">Pay to address</label>
        <input
          id="send-to"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          placeholder={`${params.addressPrefix}1…`}
          spellCheck={false}
          autoComplete="off"
          data-testid="send-to"
          aria-invalid={address.error !== null}
        />
        {address.error && <p className="field-error">{address.error}</p>}
      </div>
      <div className="field">
        <label htmlFor="send-amount">Amount (HL, up to 8 decimals)</label>
        <input
          id="send-amount"
          inputMode="decimal"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          placeholder="1.5"
          autoComplete="off"
          data-testid="send-amount"
          aria-invalid={amount !== null && 'error' in amount}
        />
        {amount && 'error' in amount && <p className="field-error">{amount.error}</p>}
      </div>
      <fieldset className="choices">
        <legend>Fee</legend>
        <div className="segmented">
          {(['low', 'normal', 'high'] as const).map((l) => (
            <label key={l}>
              <input
                type="radio"
                name="fee-level"
                checked={level === l}
                onChange={() => setLevel(l)}
                data-testid={`fee-${l}`}
              />
              <strong>{l[0]!.toUpperCase() + l.slice(1)}</strong>
              <span className="muted small">
                {rates[l].toString()} {unitsWord(rates[l])}/byte
                {estimates ? ` · ${{ low: '6 blocks', normal: '3 blocks', high: 'next block' }[l]}` : ''}
              </span>
            </label>
          ))}
        </div>
        {estimates && (
          <p className="muted small" data-testid="fee-estimate">
            The node estimates {estimates.nextBlock} {unitsWord(BigInt(estimates.nextBlock))}/byte for the
            next block ({plural(estimates.projected[0]?.count ?? 0, 'transaction')} in the projected next
            block).
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="send-data">Data record (optional text, stored on chain)</label>
        <textarea
          id="send-data"
          rows={2}
          value={data}
          onChange={(e) => setData(e.target.value)}
          data-testid="send-data"
          aria-invalid={dataBytes > MAX_DATA_BYTES}
        />
        <span className={dataBytes > MAX_DATA_BYTES ? 'field-error' : 'muted small'}>
          {dataBytes} / {MAX_DATA_BYTES} bytes
        </span>
      </div>
      {preview && (
        <p className={'error' in preview ? 'alert alert-warn' : 'hint'} data-testid="send-preview">
          {'error' in preview
            ? preview.error
            : `Fee ${formatAmount(preview.fee)} for ${plural(preview.size, 'byte')} · total ${formatAmount(preview.total)}${
                preview.change > 0n ? ` · change ${formatAmount(preview.change)} back to this wallet` : ''
              }`}
        </p>
      )}
      <div className="field">
        <label htmlFor="send-password">Wallet password (signs the transaction here)</label>
        <input
          id="send-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="send-password"
        />
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="send-submit">
          {busy ? 'Signing…' : 'Sign and send'}
        </button>
      </div>
      {result && (
        <p
          className={result.ok ? 'alert alert-ok' : 'alert alert-error'}
          role="alert"
          data-testid="send-result"
        >
          {result.text}{' '}
          {result.txid && (
            <a href={href.tx(result.txid)} data-testid="sent-tx-link">
              View transaction
            </a>
          )}
        </p>
      )}
    </form>
  );
}
