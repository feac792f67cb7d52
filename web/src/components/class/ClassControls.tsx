// The teacher's controls: mining on/off and the block interval, a split into two groups and its heal, a
// team race and its publication, and a reset to a new network. Each is one POST /api/v1/class/control:
// the node signs the new class state and every member obeys it.
import { type FormEvent, useState } from 'react';
import type { classroom } from '../../../../src/api/definitions/class.js';
import type { BodyOf } from '../../../../src/api/definitions/endpoint.js';
import { api, errorText } from '../../api/client.js';
import type { ClassMember, ClassStateJson } from './types.js';

type Change = NonNullable<BodyOf<typeof classroom.controlClass>>;
/** Sends a control; `done` is what the teacher is told when it took effect. */
type Send = (change: Change, done: string) => void;

/** A fresh class network id, as `hashline classroom` makes them. */
function newNetworkId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `class-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function MiningControls({ state, busy, send }: { state: ClassStateJson; busy: boolean; send: Send }) {
  const [interval, setIntervalInput] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(interval ?? state.intervalSeconds);
    send({ intervalSeconds: n }, `Each member now mines at most one block per ${n} s.`);
    setIntervalInput(null);
  };
  return (
    <div className="row">
      <button
        type="button"
        className={state.mining ? 'btn btn-danger' : 'btn btn-primary'}
        disabled={busy}
        onClick={() => send({ mining: !state.mining }, state.mining ? 'Mining is off.' : 'Mining is on.')}
        data-testid="class-mining-toggle"
      >
        {state.mining ? 'Stop mining' : 'Start mining'}
      </button>
      <form className="row" onSubmit={submit}>
        <label htmlFor="class-interval">One block per</label>
        <input
          id="class-interval"
          type="number"
          min={0}
          max={3600}
          step={1}
          className="class-interval"
          value={interval ?? String(state.intervalSeconds)}
          onChange={(e) => setIntervalInput(e.target.value)}
          data-testid="class-interval"
        />
        <span>s each (0: as fast as it can)</span>
        <button type="submit" className="btn" disabled={busy}>
          Set
        </button>
      </form>
    </div>
  );
}

/** Who is in A and who in B, then split or race; while apart, heal or publish. */
function GroupControls(props: {
  state: ClassStateJson;
  members: readonly ClassMember[];
  busy: boolean;
  send: Send;
}) {
  const { state, busy, send } = props;
  const [picked, setPicked] = useState<Record<string, 'A' | 'B'>>({});
  const students = props.members.filter((m) => m.kind !== 'teacher');
  const groupOf = (id: string) => picked[id] ?? state.groups[id] ?? 'A';
  const groups = () => Object.fromEntries(students.map((m) => [m.peerId, groupOf(m.peerId)]));
  if (state.mode !== 'together')
    return (
      <>
        <p className="hint">
          {state.mode === 'split'
            ? 'The class is split: each group only sees its own blocks. Heal to join them again: the chain with more work wins, the other side reorganises onto it.'
            : 'Team B mines in private. Publish to join the class again: if the team has more work, everyone else reorganises onto its chain.'}
        </p>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => send({ mode: 'together' }, 'The class is one network again.')}
          data-testid="class-heal"
        >
          {state.mode === 'split' ? 'Heal: join the groups' : "Publish the team's chain"}
        </button>
      </>
    );
  return (
    <>
      <p className="hint">
        Pick who is in group A and who in group B. <strong>Split</strong> makes the two groups ignore each
        other's blocks and transactions: a simulated network partition on real nodes, each group grows its own
        chain. <strong>Team race</strong> does the same with group B as a team mining in private; when you
        publish, the chain with more work wins everywhere and the other side's blocks are undone (a real 51 %
        attack when the team has more hash rate).
      </p>
      {students.length === 0 ? (
        <p className="muted">Groups need students: none has joined yet.</p>
      ) : (
        <ul className="class-groups">
          {students.map((m) => (
            <li key={m.peerId}>
              <span>{m.name}</span>
              {(['A', 'B'] as const).map((g) => (
                <label key={g}>
                  <input
                    type="radio"
                    name={`group-${m.peerId}`}
                    checked={groupOf(m.peerId) === g}
                    onChange={() => setPicked((p) => ({ ...p, [m.peerId]: g }))}
                  />{' '}
                  {g === 'A' ? 'A' : 'B (team)'}
                </label>
              ))}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="button"
          className="btn"
          disabled={busy || students.length === 0}
          onClick={() => send({ mode: 'split', groups: groups() }, 'The class is split in two groups.')}
          data-testid="class-split"
        >
          Split into two groups
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy || students.length === 0}
          onClick={() =>
            send({ mode: 'race', groups: groups() }, 'Team B now mines in private. Publish when ready.')
          }
          data-testid="class-race"
        >
          Start a team race (B in private)
        </button>
      </div>
    </>
  );
}

export function ClassControls(props: {
  state: ClassStateJson;
  members: readonly ClassMember[];
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const send: Send = (change, done) => {
    setBusy(true);
    setResult(null);
    api
      .controlClass({ body: change })
      .then(
        () => {
          setResult({ ok: true, text: done });
          props.onChanged();
        },
        (err: unknown) => setResult({ ok: false, text: errorText(err) }),
      )
      .finally(() => setBusy(false));
  };
  const reset = () => {
    const id = newNetworkId();
    const sure = window.confirm(
      `Move the whole class to a new network (${id})? Everyone starts again from an empty chain; the old chain stays on disk.`,
    );
    if (sure)
      send({ reset: id }, `The class moves to ${id}: the teacher's node restarts, this page follows.`);
  };
  return (
    <div className="class-controls" data-testid="class-controls">
      <MiningControls state={props.state} busy={busy} send={send} />
      <h3>Groups</h3>
      <GroupControls state={props.state} members={props.members} busy={busy} send={send} />
      <h3>New network</h3>
      <div className="row">
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={reset}
          data-testid="class-reset"
        >
          Reset the class to a new network…
        </button>
      </div>
      {result && (
        <p className={result.ok ? 'muted' : 'alert alert-error'} role="status" data-testid="class-result">
          {result.text}
        </p>
      )}
    </div>
  );
}
