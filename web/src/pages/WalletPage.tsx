// The browser wallet: create or import a mnemonic (encrypted here with a password), receive, send, history.
// Keys are derived and transactions signed in this page; the node only ever receives the signed hex.
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getNetwork } from '../../../src/core/params.js';
import { decodeAddress } from '../../../src/crypto/address.js';
import {
  generateMnemonic,
  KeystoreError,
  mnemonicProblem,
  selectCoins,
  type WalletScan,
} from '../../../src/wallet/index.js';
import { api, errorText } from '../api/client.js';
import { useNode } from '../api/node.js';
import {
  Amount,
  Badge,
  Card,
  CopyButton,
  Empty,
  ErrorBox,
  HashLink,
  Loading,
  Stat,
  TableWrap,
} from '../components/ui.js';
import { formatAmount, formatTime, parseAmount, shortHash, unitsWord } from '../lib/format.js';
import { href } from '../lib/route.js';
import { loadWallet, removeWallet, type StoredWallet, saveWallet } from '../wallet/storage.js';
import {
  createStoredWallet,
  type FeeLevel,
  feeRates,
  refreshWallet,
  signPayment,
  unlock,
  withFreshCache,
} from '../wallet/wallet.js';

const MIN_PASSWORD = 8;
const MAX_DATA_BYTES = 1024;

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

function MnemonicWords({ mnemonic }: { mnemonic: string }) {
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

function Setup({ network, onCreated }: { network: string | null; onCreated: (w: StoredWallet) => void }) {
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

type Outpoint = string;
const outpoint = (txid: string, index: number): Outpoint => `${txid}:${index}`;

function SendForm(props: {
  stored: StoredWallet;
  scan: WalletScan;
  minFeeRate: number | undefined;
  pending: ReadonlySet<Outpoint>;
  onSent: (txid: string, spent: Outpoint[], stored: StoredWallet) => void;
}) {
  const { stored, scan } = props;
  const [to, setTo] = useState('');
  const [amountText, setAmountText] = useState('');
  const [level, setLevel] = useState<FeeLevel>('normal');
  const [data, setData] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; txid?: string } | null>(null);
  const rates = feeRates(props.minFeeRate);
  const params = getNetwork(stored.network);
  const coins = useMemo(
    () => scan.coins.filter((c) => c.spendable && !props.pending.has(outpoint(c.txid, c.index))),
    [scan.coins, props.pending],
  );
  const dataBytes = new TextEncoder().encode(data).length;

  const addressError = useMemo(() => {
    if (to.trim() === '') return null;
    try {
      decodeAddress(params.addressPrefix, to.trim());
      return null;
    } catch (err) {
      return errorText(err);
    }
  }, [to, params.addressPrefix]);

  const amount = useMemo((): { units: bigint } | { error: string } | null => {
    if (amountText.trim() === '') return null;
    try {
      const units = parseAmount(amountText);
      return units > 0n ? { units } : { error: 'The amount must be more than zero.' };
    } catch (err) {
      return { error: errorText(err) };
    }
  }, [amountText]);

  // Fee preview: the same coin selection the signer will run, without any key.
  const preview = useMemo(() => {
    if (!amount || 'error' in amount || dataBytes > MAX_DATA_BYTES) return null;
    try {
      const s = selectCoins(coins, [{ address: to, amount: amount.units }], {
        feeRate: rates[level],
        dataSize: dataBytes,
      });
      return { fee: s.fee, size: s.size, total: amount.units + s.fee, change: s.change };
    } catch (err) {
      return { error: errorText(err) };
    }
  }, [amount, coins, to, rates, level, dataBytes]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (to.trim() === '' || addressError)
      return setResult({ ok: false, text: addressError ?? 'Enter the address to pay.' });
    if (!amount || 'error' in amount) {
      return setResult({ ok: false, text: amount && 'error' in amount ? amount.error : 'Enter an amount.' });
    }
    if (dataBytes > MAX_DATA_BYTES)
      return setResult({ ok: false, text: `The data record is over ${MAX_DATA_BYTES} bytes.` });
    if (password === '') return setResult({ ok: false, text: 'Enter the wallet password to sign.' });
    setBusy(true);
    try {
      const { wallet } = await unlock(stored, password);
      const built = signPayment(stored, wallet, coins, {
        to: to.trim(),
        amount: amount.units,
        feeRate: rates[level],
        data: data === '' ? undefined : data,
      });
      // The only thing that leaves the browser: the signed transaction.
      const sent = await api.post<{ txid: string }>('/api/v1/tx', { hex: built.hex });
      setResult({
        ok: true,
        text: `Sent ${formatAmount(amount.units)} (fee ${formatAmount(built.fee)}).`,
        txid: sent.txid,
      });
      setTo('');
      setAmountText('');
      setData('');
      setPassword('');
      const next = withFreshCache(
        { ...stored, nextChangeIndex: built.change ? stored.nextChangeIndex + 1 : stored.nextChangeIndex },
        wallet,
      );
      props.onSent(
        sent.txid,
        built.inputs.map((c) => outpoint(c.txid, c.index)),
        next,
      );
    } catch (err) {
      setResult({
        ok: false,
        text:
          err instanceof KeystoreError && err.code === 'wrong-password' ? 'Wrong password.' : errorText(err),
      });
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
          aria-invalid={addressError !== null}
        />
        {addressError && <p className="field-error">{addressError}</p>}
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
              </span>
            </label>
          ))}
        </div>
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
            : `Fee ${formatAmount(preview.fee)} for ${preview.size} bytes · total ${formatAmount(preview.total)}${
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

function RevealPhrase({ stored }: { stored: StoredWallet }) {
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

function Overview({
  stored,
  setStored,
}: {
  stored: StoredWallet;
  setStored: (w: StoredWallet | null) => void;
}) {
  const { status, chainVersion, mempoolVersion, reachable } = useNode();
  const [scan, setScan] = useState<WalletScan | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<ReadonlySet<Outpoint>>(new Set());
  const [receiveIndex, setReceiveIndex] = useState(stored.nextReceiveIndex);
  const storedRef = useRef(stored);
  storedRef.current = stored;

  const refresh = useCallback(async () => {
    try {
      const r = await refreshWallet(storedRef.current);
      setScan(r.scan);
      setError(null);
      const cur = storedRef.current;
      if (
        r.stored.nextReceiveIndex !== cur.nextReceiveIndex ||
        r.stored.nextChangeIndex !== cur.nextChangeIndex
      ) {
        saveWallet(r.stored);
        setStored(r.stored);
      }
      // Outpoints we spent stay "pending" until the node stops listing them as unspent.
      const unspent = new Set(r.scan.coins.map((c) => outpoint(c.txid, c.index)));
      setPending((p) => new Set([...p].filter((o) => unspent.has(o))));
    } catch (err) {
      setError(err);
    }
  }, [setStored]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch whenever the chain or mempool moves.
  useEffect(() => {
    void refresh();
  }, [refresh, chainVersion, mempoolVersion]);

  useEffect(() => {
    setReceiveIndex((i) => Math.max(i, stored.nextReceiveIndex));
  }, [stored.nextReceiveIndex]);

  const wrongNetwork = status && status.network !== stored.network;
  const receiveAddress = stored.addresses.receive[receiveIndex] ?? stored.addresses.receive.at(-1)!;
  const canNewAddress = receiveIndex + 1 < stored.addresses.receive.length;

  return (
    <>
      {wrongNetwork && (
        <p className="alert alert-warn" role="alert">
          This wallet is for the <strong>{stored.network}</strong> network but the node runs{' '}
          <strong>{status.network}</strong>. Its balance here is meaningless; remove it below to create
          another.
        </p>
      )}
      <div className="stats" data-testid="wallet-stats">
        <Stat
          label="Balance"
          value={scan ? <Amount value={scan.balance.confirmed} testId="wallet-balance" /> : '…'}
        />
        <Stat
          label="Spendable now"
          value={scan ? <Amount value={scan.balance.spendable} testId="wallet-spendable" /> : '…'}
        />
        <Stat
          label="Unconfirmed"
          value={scan ? <Amount value={scan.balance.unconfirmed} sign testId="wallet-unconfirmed" /> : '…'}
        />
        <Stat label="Network" value={stored.network} />
      </div>
      {error !== null && reachable !== false && (
        <ErrorBox error={error} title="Could not refresh the wallet" />
      )}

      <div className="two-col">
        <Card title="Receive" testId="wallet-receive">
          <p className="hint">
            Share this address to get paid. A fresh address for each payment keeps your history private.
          </p>
          <code className="hash hash-full receive-address" data-testid="wallet-receive-address">
            {receiveAddress}
          </code>
          <div className="row" style={{ marginTop: '0.6rem' }}>
            <CopyButton text={receiveAddress} label="Copy address" testId="copy-address" />
            <button
              type="button"
              className="btn btn-small"
              disabled={!canNewAddress}
              onClick={() => setReceiveIndex((i) => i + 1)}
              data-testid="new-address"
            >
              New address
            </button>
            <a className="btn btn-small" href={href.address(receiveAddress)}>
              In the explorer
            </a>
          </div>
        </Card>
        <Card title="Send" testId="wallet-send">
          {!scan ? (
            <Loading what="Loading coins" />
          ) : (
            <SendForm
              stored={stored}
              scan={scan}
              minFeeRate={status?.mempool.minFeeRate}
              pending={pending}
              onSent={(_txid, spent, next) => {
                setPending((p) => new Set([...p, ...spent]));
                saveWallet(next);
                setStored(next);
                void refresh();
              }}
            />
          )}
        </Card>
      </div>

      <Card title="History" testId="wallet-history">
        {!scan ? (
          <Loading what="Loading history" />
        ) : scan.history.length === 0 ? (
          <Empty>
            No transactions yet. Mine a block to your receive address on the Miner page, or get paid.
          </Empty>
        ) : (
          <TableWrap>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Txid</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="hide-phone">
                    Time
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {scan.history.map((h) => (
                  <tr key={h.txid} data-testid="wallet-history-row">
                    <td>
                      <HashLink hash={h.txid} to={href.tx(h.txid)} />
                    </td>
                    <td>
                      {h.height === null ? (
                        <Badge kind="warn">pending</Badge>
                      ) : (
                        <a href={href.block(h.height)}>block #{h.height}</a>
                      )}
                    </td>
                    <td className="hide-phone">{h.time ? formatTime(h.time) : '–'}</td>
                    <td className="num">
                      <Amount value={h.delta} sign />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Card>

      <Card title="Addresses">
        {!scan || scan.addresses.length === 0 ? (
          <Empty>No address has been used yet.</Empty>
        ) : (
          <TableWrap>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col" className="hide-phone">
                    Kind
                  </th>
                  <th scope="col" className="num">
                    Balance
                  </th>
                  <th scope="col" className="num hide-phone">
                    Txs
                  </th>
                </tr>
              </thead>
              <tbody>
                {scan.addresses.map((a) => (
                  <tr key={a.address}>
                    <td>
                      <a href={href.address(a.address)} className="hash" title={a.address}>
                        {shortHash(a.address, 14, 6)}
                      </a>
                    </td>
                    <td className="hide-phone">
                      {a.chain === 0 ? `receive #${a.index}` : `change #${a.index}`}
                    </td>
                    <td className="num">
                      <Amount value={a.confirmed} />
                    </td>
                    <td className="num hide-phone">{a.txCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Card>

      <Card title="Security">
        <p className="hint">
          The recovery phrase is stored only encrypted (scrypt + AES-GCM) in this browser's local storage.
          Signing happens here; the node receives only signed transactions.
        </p>
        <RevealPhrase stored={stored} />
        <hr className="rule" />
        <RemoveWallet onRemoved={() => setStored(null)} />
      </Card>
    </>
  );
}

function RemoveWallet({ onRemoved }: { onRemoved: () => void }) {
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

export function WalletPage() {
  const { status } = useNode();
  const [stored, setStored] = useState<StoredWallet | null>(() => loadWallet());
  return (
    <div className="page">
      <h1>Wallet</h1>
      {stored ? (
        <Overview stored={stored} setStored={setStored} />
      ) : (
        <>
          <p className="lead">
            A wallet in your browser: keys are derived from a recovery phrase and never leave this page.
          </p>
          <Setup network={status?.network ?? null} onCreated={setStored} />
        </>
      )}
    </div>
  );
}
