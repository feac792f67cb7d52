// The student page's content from a session snapshot: who I am and what I hold, my node, what the teacher
// has set, the roster with Pay, and my recent chain. Props in, markup out (no node, no storage).
import type { ClassGroup, ClassState } from '../../../src/classroom/types.js';
import { Amount, Badge, Card, CopyButton, Empty, HashLink, Loading, Stat } from '../components/ui.js';
import { formatHashRate } from '../lib/format.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';
import { type PayAction, RosterCard } from './RosterCard.js';
import type { StudentSnapshot } from './session.js';

export function StudentView(props: { snapshot: StudentSnapshot; onPay: PayAction; onMineOne: () => void }) {
  const s = props.snapshot;
  return (
    <div className="page student-page" data-testid="student-page">
      <header className="hero">
        <h1>
          <span data-testid="student-name">{s.name}</span> in class <code>{s.networkId}</code>
        </h1>
        <p className="lead">
          Your browser is a node of the class network: it keeps the chain, checks every block and mines when
          the teacher says so. <a href={href.learn()}>Learn what each step means</a>.
        </p>
      </header>
      {s.phase === 'starting' && <Loading what="Starting your node and connecting to the teacher's" />}
      {s.error && (
        <div className="alert alert-error" role="alert" data-testid="student-error">
          {s.error}
          {s.phase === 'failed' && ' Check that the teacher’s node is running, then reload this page.'}
        </div>
      )}
      <ModeCard state={s.classState} group={s.group} />
      <div className="two-col">
        <WalletCard snapshot={s} />
        <NodeCard snapshot={s} onMineOne={props.onMineOne} />
      </div>
      <RosterCard
        roster={s.roster}
        payments={s.payments}
        canPay={s.phase === 'running'}
        onPay={props.onPay}
      />
      <MyBlocksCard snapshot={s} />
    </div>
  );
}

/** The plain sentence for the class mode, from the student's side. */
export function modeSentence(state: ClassState | null, group: ClassGroup | null): string {
  if (!state) return 'Waiting for the teacher’s first message.';
  const other = group === 'B' ? 'A' : 'B';
  switch (state.mode) {
    case 'together':
      return 'The class is one network: every block reaches everyone.';
    case 'split':
      return `The teacher has split the class: your node ignores group ${other}'s blocks until they heal.`;
    case 'race':
      return group === 'B'
        ? 'Race: your group B mines in private; when the teacher joins the class again, the chain with more work wins.'
        : 'Race: group B is mining in private; when the teacher joins the class again, the chain with more work wins.';
  }
}

function ModeCard({ state, group }: { state: ClassState | null; group: ClassGroup | null }) {
  return (
    <Card title="The class" testId="class-card">
      <div className="stats">
        <Stat label="Mode" value={state?.mode ?? '—'} testId="class-mode" />
        <Stat
          label="My group"
          value={state && state.mode !== 'together' ? (group ?? 'A') : '—'}
          testId="class-group"
        />
        <Stat label="Teacher says" value={miningText(state)} testId="class-mining" />
      </div>
      <p data-testid="class-sentence">{modeSentence(state, group)}</p>
    </Card>
  );
}

function miningText(state: ClassState | null): string {
  if (!state) return '—';
  if (!state.mining) return 'stop mining';
  return state.intervalSeconds > 0 ? `mine, one block per ${state.intervalSeconds} s` : 'mine';
}

function WalletCard({ snapshot: s }: { snapshot: StudentSnapshot }) {
  return (
    <Card title="My wallet" testId="wallet-card">
      {s.address ? (
        <p className="address-line">
          <code className="hash-full" data-testid="student-address">
            {s.address}
          </code>{' '}
          <CopyButton text={s.address} testId="copy-address" />
        </p>
      ) : (
        <p className="muted">Your address appears once your node has started.</p>
      )}
      <div className="stats">
        <Stat
          label="Balance"
          value={s.balance ? <Amount value={s.balance.confirmed} /> : '—'}
          testId="balance"
        />
        <Stat
          label="Pending"
          value={s.balance ? <Amount value={s.balance.pending} /> : '—'}
          testId="balance-pending"
        />
      </div>
      {s.balance && s.balance.immature > 0n && (
        <p className="hint" data-testid="balance-immature">
          <Amount value={s.balance.immature} /> of it is block rewards that can be spent after a few more
          blocks.
        </p>
      )}
      <p className="hint">
        This is a classroom wallet: its recovery phrase is kept unencrypted in this browser, for this class
        only. Do not keep anything of value in it.
      </p>
    </Card>
  );
}

function NodeCard(props: { snapshot: StudentSnapshot; onMineOne: () => void }) {
  const { status, phase, miningOne, minedBlocks } = props.snapshot;
  const running = phase === 'running';
  return (
    <Card title="My node" testId="node-card">
      <div className="stats">
        <Stat label="Height" value={status?.height ?? '—'} testId="height" />
        <Stat label="Peers" value={status?.peers ?? '—'} testId="peers" />
        <Stat label="Hash rate" value={status ? formatHashRate(status.hashRate) : '—'} testId="hash-rate" />
        <Stat label="Blocks found" value={minedBlocks} testId="blocks-found" />
      </div>
      <p>
        Mining:{' '}
        <span data-testid="mining-state">
          {status?.mining ? (
            <Badge kind="ok">{miningOne ? 'mining one block' : 'mining'}</Badge>
          ) : (
            <Badge kind="info">idle</Badge>
          )}
        </span>{' '}
        <button
          type="button"
          className="btn btn-small"
          disabled={!running || status?.mining === true}
          onClick={props.onMineOne}
          data-testid="mine-one"
        >
          Mine one block
        </button>
      </p>
    </Card>
  );
}

function MyBlocksCard({ snapshot: s }: { snapshot: StudentSnapshot }) {
  return (
    <Card title="My chain, newest first" testId="my-blocks">
      {s.chain.length === 0 ? (
        <Empty>No blocks yet.</Empty>
      ) : (
        <ol className="plain-list chain-list">
          {s.chain.map((b) => (
            <li key={b.hash} data-testid="chain-row" data-mine={b.mine === true ? 'yes' : 'no'}>
              <span className="num">#{b.height}</span> <HashLink hash={b.hash} to={href.block(b.hash)} />{' '}
              {b.mine && <Badge kind="ok">mined by you</Badge>}
            </li>
          ))}
        </ol>
      )}
      <p className="hint">
        You found {plural(s.minedBlocks, 'block')} on this chain. <a href={href.learn()}>How mining works</a>
      </p>
    </Card>
  );
}
