// The teacher's dashboard (#/class): the join link and its QR code, the live leaderboard, the merged
// block tree and the class controls. It reads GET /api/v1/class every 2 s with the operator token,
// which the link `hashline classroom` prints carries (#/class?token=…).
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, apiToken } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { ClassControls } from '../components/class/ClassControls.js';
import { ClassLeaderboard } from '../components/class/ClassLeaderboard.js';
import { ClassTree } from '../components/class/ClassTree.js';
import { JoinCard } from '../components/class/JoinCard.js';
import { Badge, Card, ErrorBox, Loading } from '../components/ui.js';

const REFRESH_MS = 2_000;

function useEvery(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return tick;
}

function TokenForm({ onSaved }: { onSaved: () => void }) {
  const [token, setToken] = useState('');
  const save = (e: FormEvent) => {
    e.preventDefault();
    apiToken.set(token);
    onSaved();
  };
  return (
    <Card title="Operator token needed">
      <form className="form" onSubmit={save}>
        <p className="hint">
          The dashboard steers the class, so it needs this node's token. Open the dashboard link that{' '}
          <code>hashline classroom</code> printed, or paste the token (the part after <code>token=</code>).
        </p>
        <div className="row">
          <label htmlFor="class-token" className="sr-only">
            API token
          </label>
          <input
            id="class-token"
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder="token"
            autoComplete="off"
          />
          <button type="submit" className="btn">
            Save
          </button>
        </div>
      </form>
    </Card>
  );
}

const MODE_TEXT = { together: 'one network', split: 'split in two groups', race: 'team race' } as const;

export function ClassPage({ token }: { token?: string }) {
  // The link's token goes to the tab's storage and out of the address bar (and the history).
  const [saved, setSaved] = useState(() => {
    if (token) apiToken.set(token);
    return 0;
  });
  useEffect(() => {
    if (token) window.history.replaceState(null, '', '#/class');
  }, [token]);
  const tick = useEvery(REFRESH_MS);
  const view = useApi('getClass', {}, tick + saved * 1_000_000);
  const now = Date.now();
  const error = view.error;
  if (!view.data) {
    if (error instanceof ApiError && error.status === 401)
      return (
        <div className="page">
          <h1>Classroom</h1>
          <TokenForm onSaved={() => setSaved((n) => n + 1)} />
        </div>
      );
    if (error instanceof ApiError && error.code === 'not-a-classroom')
      return (
        <div className="page">
          <h1>Classroom</h1>
          <p className="lead" data-testid="not-a-classroom">
            This node teaches no class. Start one with <code>hashline classroom</code>: it prints the link to
            this dashboard and the link students open.
          </p>
        </div>
      );
    return (
      <div className="page">
        <h1>Classroom</h1>
        {error ? (
          <ErrorBox error={error} title="The class cannot be read" />
        ) : (
          <Loading what="Loading the class" />
        )}
      </div>
    );
  }
  const { state, members, tree } = view.data;
  const agreeing = members.filter((m) => m.agrees).length;
  return (
    <div className="page" data-testid="class-page">
      <div className="hero">
        <h1>Classroom</h1>
        <p className="muted">
          Network <code data-testid="class-network">{view.data.networkId}</code> ·{' '}
          <span data-testid="class-mode">{MODE_TEXT[state.mode]}</span> ·{' '}
          {state.mining ? <Badge kind="ok">mining</Badge> : <Badge kind="info">not mining</Badge>}
        </p>
      </div>
      {error ? <ErrorBox error={error} title="Last refresh failed (the data below may be old)" /> : null}
      <Card title="Join the class">
        <JoinCard joinUrl={view.data.joinUrl} qrSvg={view.data.joinQrSvg} />
      </Card>
      <Card title={`Leaderboard · ${members.length} in class, ${agreeing} on the teacher's tip`}>
        <ClassLeaderboard members={members} now={now} />
        <p className="hint">
          Balance and blocks are counted on the teacher's chain, not taken from what a member says.
        </p>
      </Card>
      <Card title="Block tree">
        <p className="hint">
          Heights go across, branches down; the top row is the teacher's chain. Each block shows who mined it
          and whose tip it is (◀).
        </p>
        <ClassTree blocks={tree} />
      </Card>
      <Card title="Controls">
        <ClassControls state={state} members={members} onChanged={view.reload} />
      </Card>
    </div>
  );
}
