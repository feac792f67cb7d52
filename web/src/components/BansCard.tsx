// Bans by peer id and by IP address (kept across restarts), each with a button to lift it.
import { useState } from 'react';
import { api, errorText } from '../api/client.js';
import type { PeersJson } from '../api/types.js';
import { type Column, DataTable } from './DataTable.js';
import { Card, Empty } from './ui.js';

type Ban = PeersJson['bans'][number];

export function BansCard({ bans, onChange }: { bans: readonly Ban[]; onChange: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const lift = async (b: Ban) => {
    try {
      await api.unban({ params: { target: b.id } });
      setMessage(`Lifted the ban of ${b.id}.`);
      onChange();
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  const columns: readonly Column<Ban>[] = [
    { label: 'Banned', cell: (b) => <code className="hash">{b.id}</code> },
    { label: 'By', cell: (b) => (b.kind === 'ip' ? 'IP address' : 'peer id') },
    { label: 'Reason', cell: (b) => b.reason },
    { label: 'Until', cell: (b) => new Date(b.until).toLocaleString() },
    {
      label: 'Action',
      cell: (b) => (
        <button type="button" className="btn btn-small" onClick={() => void lift(b)}>
          Lift
        </button>
      ),
    },
  ];
  return (
    <Card title="Bans">
      {bans.length === 0 ? (
        <Empty>No peer is banned.</Empty>
      ) : (
        <DataTable columns={columns} rows={bans} rowKey={(b) => `${b.kind}:${b.id}`} testId="bans" />
      )}
      {message && <p className="muted">{message}</p>}
    </Card>
  );
}
