// Registered http URLs (--peer http://…, "Add peer", the tutorials' /nodes/register): each with its
// state and last error, and a button to remove it, so a mistyped or dead URL is seen and dropped.
import { useState } from 'react';
import { api, errorText } from '../api/client.js';
import type { PeersJson } from '../api/types.js';
import { type Column, DataTable } from './DataTable.js';
import { Badge, Card, Empty } from './ui.js';

type HttpPeer = PeersJson['httpPeers'][number];

function StateCell({ p }: { p: HttpPeer }) {
  if (p.connected) return <Badge kind="ok">connected</Badge>;
  if (p.attempts === 0) return <Badge kind="warn">not tried yet</Badge>;
  const next = p.nextAttemptAt ? `, next try ${new Date(p.nextAttemptAt).toLocaleTimeString()}` : '';
  return (
    <>
      <Badge kind="bad">unreachable</Badge>{' '}
      <span className="muted">
        {p.attempts} {p.attempts === 1 ? 'attempt' : 'attempts'}
        {next}
      </span>
    </>
  );
}

export function HttpPeersCard({ peers, onChange }: { peers: readonly HttpPeer[]; onChange: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const remove = async (p: HttpPeer) => {
    try {
      await api.removeHttpPeer({ query: { url: p.url } });
      setMessage(`Removed ${p.url}.`);
      onChange();
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  const columns: readonly Column<HttpPeer>[] = [
    { label: 'URL', cell: (p) => <code className="hash">{p.url}</code> },
    { label: 'State', cell: (p) => <StateCell p={p} /> },
    {
      label: 'Last error',
      cell: (p) => (p.lastError ? <span className="http-peer-error">{p.lastError}</span> : '–'),
    },
    {
      label: 'Action',
      cell: (p) => (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void remove(p)}
          data-testid="remove-http-peer"
          aria-label={`Remove ${p.url}`}
        >
          Remove
        </button>
      ),
    },
  ];
  return (
    <Card title={`Registered URLs (${peers.length})`} testId="http-peers">
      {peers.length === 0 ? (
        <Empty>No http URL is registered. Add one below, or start the node with --peer http://….</Empty>
      ) : (
        <DataTable
          columns={columns}
          rows={peers}
          rowKey={(p) => p.url}
          rowTestId="http-peer-row"
          label="Registered URLs"
        />
      )}
      {message && <p className="muted">{message}</p>}
    </Card>
  );
}
