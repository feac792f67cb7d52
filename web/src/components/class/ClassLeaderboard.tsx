// The class at a glance: every member with its height, whether it agrees with the teacher's tip, its
// hash rate, and the balance and blocks found that the teacher's own chain gives it.

import { formatHashRate } from '../../lib/format.js';
import { Amount, Badge, Empty } from '../ui.js';
import type { ClassMember } from './types.js';

const KIND: Record<ClassMember['kind'], string> = {
  teacher: 'teacher',
  browser: 'browser',
  full: 'full node',
};

export function ClassLeaderboard({ members, now }: { members: readonly ClassMember[]; now: number }) {
  if (members.length === 0) return <Empty>No one has joined yet: share the link or the QR code.</Empty>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="class-leaderboard">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th className="num">Height</th>
            <th>Tip</th>
            <th className="num">Hash rate</th>
            <th className="num">Balance</th>
            <th className="num">Blocks</th>
            <th>Group</th>
            <th className="num">Seen</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.peerId} data-testid="class-member" title={m.peerId}>
              <td>
                <strong>{m.name}</strong>
                {m.mining && <span className="muted"> · mining</span>}
              </td>
              <td>{KIND[m.kind]}</td>
              <td className="num">{m.height}</td>
              <td>{m.agrees ? <Badge kind="ok">agrees</Badge> : <Badge kind="warn">own tip</Badge>}</td>
              <td className="num">{formatHashRate(m.hashRate)}</td>
              <td className="num">
                <Amount value={m.balance} />
              </td>
              <td className="num">{m.blocksFound}</td>
              <td>{m.group ?? '–'}</td>
              <td className="num">{Math.max(0, Math.round((now - m.lastSeen) / 1000))} s ago</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
