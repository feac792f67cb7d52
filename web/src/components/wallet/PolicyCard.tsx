// The wallet's shared and locked addresses: its public key for co-signers, a form for a new policy
// address, and the policy addresses saved in this browser with their balances.
import { useState } from 'react';
import { useNode } from '../../api/node.js';
import { useApi } from '../../api/use-api.js';
import { href } from '../../lib/route.js';
import { addPolicy, loadPolicies, removePolicy, type SavedPolicy } from '../../wallet/policies.js';
import type { StoredWallet } from '../../wallet/storage.js';
import { Amount, Card, CopyButton, Empty } from '../ui.js';
import { NewPolicyForm } from './NewPolicyForm.js';
import { PublicKeyBox } from './PublicKeyBox.js';

function PolicyRow({ entry, onRemove }: { entry: SavedPolicy; onRemove: () => void }) {
  const { chainVersion, mempoolVersion } = useNode();
  const { data } = useApi(
    'getAddress',
    { params: { address: entry.address }, query: { limit: '1', utxoLimit: '1' } },
    chainVersion * 1_000_000 + mempoolVersion,
  );
  return (
    <li className="policy-entry" data-testid="policy-entry">
      <div className="row">
        <strong>{entry.label}</strong>
        <span data-testid="policy-balance">
          {data ? <Amount value={data.balance.confirmed} /> : <span className="muted">…</span>}
        </span>
        {data && data.balance.unconfirmed !== '0' && (
          <span className="muted small">
            (<Amount value={data.balance.unconfirmed} sign /> pending)
          </span>
        )}
      </div>
      <a href={href.address(entry.address)} className="hash hash-full hash-wrap" data-testid="policy-address">
        {entry.address}
      </a>
      <code className="hash hash-full hash-wrap muted small" data-testid="policy-entry-text">
        {entry.text}
      </code>
      {entry.secret && (
        <details>
          <summary className="small">Secret (kept in this browser)</summary>
          <code className="hash hash-full hash-wrap small">{entry.secret}</code>
        </details>
      )}
      <div className="row">
        <CopyButton text={entry.address} label="Copy address" />
        <CopyButton text={entry.text} label="Copy policy" />
        <button type="button" className="btn btn-small btn-link" onClick={onRemove}>
          Forget
        </button>
      </div>
    </li>
  );
}

export function PolicyCard(props: {
  stored: StoredWallet;
  save: (w: StoredWallet) => void;
  policies: SavedPolicy[];
  setPolicies: (p: SavedPolicy[]) => void;
}) {
  const { stored, policies, setPolicies } = props;
  const { status } = useNode();
  const [created, setCreated] = useState<string | null>(null);
  return (
    <Card title="Shared and locked addresses" testId="wallet-policy">
      <p className="hint">
        Coins can be locked to a spending policy instead of one key: several signers, a height before which
        they cannot move, a secret. Its address is the hash of the policy.
      </p>
      <PublicKeyBox stored={stored} save={props.save} />
      {stored.publicKey && (
        <>
          <h3 className="subhead">New policy address</h3>
          <NewPolicyForm
            publicKey={stored.publicKey}
            network={stored.network}
            tipHeight={status?.height ?? 0}
            onCreated={(entry) => {
              setPolicies(addPolicy(entry));
              setCreated(entry.address);
            }}
          />
          {created && (
            <p className="ok small" data-testid="policy-created">
              Created <code className="hash">{created}</code>. Send coins to it; any co-signer who enters the
              same keys gets the same address.
            </p>
          )}
        </>
      )}
      <h3 className="subhead">Policy addresses in this browser</h3>
      {policies.length === 0 ? (
        <Empty>None yet.</Empty>
      ) : (
        <ul className="plain-list policy-list">
          {policies.map((p) => (
            <PolicyRow
              key={p.address}
              entry={p}
              onRemove={() => setPolicies(removePolicy(p.network, p.address))}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

export const initialPolicies = (network: string): SavedPolicy[] => loadPolicies(network);
