// The browser wallet: create or import a mnemonic (encrypted here with a password), receive, send, history.
// Keys are derived and transactions signed in this page; the node only ever receives the signed hex.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WalletScan } from '../../../src/wallet/index.js';
import { useNode } from '../api/node.js';
import { Amount, Card, CopyButton, Empty, ErrorBox, Loading, Stat } from '../components/ui.js';
import { BumpFee } from '../components/wallet/BumpFee.js';
import { initialPolicies, PolicyCard } from '../components/wallet/PolicyCard.js';
import { PsbtCard } from '../components/wallet/PsbtCard.js';
import { outpoint, SendForm } from '../components/wallet/SendForm.js';
import { SetupCard } from '../components/wallet/SetupCard.js';
import { RemoveWallet, RevealPhrase } from '../components/wallet/WalletSecurity.js';
import { WalletAddresses, WalletHistory } from '../components/wallet/WalletTables.js';
import { formatAmount } from '../lib/format.js';
import { href } from '../lib/route.js';
import { walletBalances } from '../wallet/balances.js';
import { loadWallet, type StoredWallet, saveWallet } from '../wallet/storage.js';
import { refreshWallet } from '../wallet/wallet.js';

/** Confirmed, pending and spendable side by side, each labelled, from one scan. */
function BalanceStats({ scan, network }: { scan: WalletScan | null; network: string }) {
  if (!scan) {
    return (
      <div className="stats" data-testid="wallet-stats">
        <Stat label="Confirmed" value="…" />
        <Stat label="Pending" value="…" />
        <Stat label="Spendable now" value="…" />
        <Stat label="Network" value={network} />
      </div>
    );
  }
  const b = walletBalances(scan);
  const pending = b.pendingIn !== 0n || b.pendingOut !== 0n;
  return (
    <div className="stats" data-testid="wallet-stats">
      <Stat label="Confirmed" value={<Amount value={b.confirmed} testId="wallet-balance" />} />
      <Stat
        label="Pending"
        value={
          !pending ? (
            <span className="muted">none</span>
          ) : (
            <span className="stack">
              <span>
                <span className="muted small">in</span>{' '}
                <Amount value={b.pendingIn} sign testId="wallet-pending-in" />
              </span>
              <span>
                <span className="muted small">out</span>{' '}
                <Amount value={b.pendingOut} sign testId="wallet-pending-out" />
              </span>
            </span>
          )
        }
      />
      <Stat
        label="Spendable now"
        value={
          <span className="stack">
            <Amount value={b.spendable} testId="wallet-spendable" />
            {b.spendableUnconfirmed > 0n && (
              <span className="muted small" data-testid="wallet-spendable-note">
                {formatAmount(b.spendableUnconfirmed)} of it unconfirmed
              </span>
            )}
            {b.immature > 0n && <span className="muted small">+ {formatAmount(b.immature)} maturing</span>}
          </span>
        }
      />
      <Stat
        label={pending ? 'Total after pending' : 'Total'}
        value={<Amount value={b.total} testId="wallet-total" />}
      />
    </div>
  );
}

function useWalletScan(stored: StoredWallet, setStored: (w: StoredWallet) => void) {
  const { chainVersion, mempoolVersion } = useNode();
  const [scan, setScan] = useState<WalletScan | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
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
  return { scan, error, pending, setPending, refresh };
}

function Overview({
  stored,
  setStored,
}: {
  stored: StoredWallet;
  setStored: (w: StoredWallet | null) => void;
}) {
  const { status, reachable } = useNode();
  const { scan, error, pending, setPending, refresh } = useWalletScan(stored, setStored);
  const [receiveIndex, setReceiveIndex] = useState(stored.nextReceiveIndex);
  const [bumped, setBumped] = useState<{ text: string; txid: string } | null>(null);
  const [policies, setPolicies] = useState(() => initialPolicies(stored.network));
  useEffect(() => {
    setReceiveIndex((i) => Math.max(i, stored.nextReceiveIndex));
  }, [stored.nextReceiveIndex]);
  const save = useCallback(
    (next: StoredWallet) => {
      saveWallet(next);
      setStored(next);
    },
    [setStored],
  );

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
      <BalanceStats scan={scan} network={stored.network} />
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
              save={save}
              onSent={(_txid, spent) => {
                setPending((p) => new Set([...p, ...spent]));
                void refresh();
              }}
            />
          )}
        </Card>
      </div>

      <PolicyCard stored={stored} save={save} policies={policies} setPolicies={setPolicies} />
      <PsbtCard stored={stored} policies={policies} />

      <Card title="History" testId="wallet-history">
        {!scan ? (
          <Loading what="Loading history" />
        ) : scan.history.length === 0 ? (
          <Empty>
            No transactions yet. Mine a block to your receive address on the Miner page, or get paid.
          </Empty>
        ) : (
          <>
            {bumped && (
              <p className="ok small" data-testid="bump-result">
                {bumped.text} <a href={href.tx(bumped.txid)}>view the replacement</a>
              </p>
            )}
            <WalletHistory
              history={scan.history}
              action={(txid) => (
                <BumpFee
                  stored={stored}
                  scan={scan}
                  txid={txid}
                  onBumped={(text, replacement) => {
                    setBumped({ text, txid: replacement });
                    void refresh();
                  }}
                />
              )}
            />
          </>
        )}
      </Card>

      <Card title="Addresses">
        {!scan || scan.addresses.length === 0 ? (
          <Empty>No address has been used yet.</Empty>
        ) : (
          <WalletAddresses addresses={scan.addresses} />
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
          <SetupCard network={status?.network ?? null} onCreated={setStored} />
        </>
      )}
    </div>
  );
}
