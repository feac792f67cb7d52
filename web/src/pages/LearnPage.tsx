// Hands-on proof of work, after the classic "blockchain demo": a hash, a block, a chain, and peers.
// Hashing is the node's own SHA-256 (src/core/hash.ts).
import { useMemo, useState } from 'react';
import { BlockCard } from '../learn/BlockCard.js';
import { LearnNav, StepPager } from '../learn/LearnNav.js';
import { LearnStepView } from '../learn/LearnStepView.js';
import {
  type ChainBlockView,
  GENESIS_PREVIOUS,
  hashText,
  linkChain,
  majorityTip,
  type ToyBlock,
  toyBlockHash,
} from '../lib/learn.js';
import { LEARN_DIFFICULTY, PRESET_BLOCK, PRESET_CHAIN } from '../lib/learn-presets.js';

function HashSection() {
  const [text, setText] = useState('Hashline');
  const hash = hashText(text);
  return (
    <section className="card learn-section" aria-labelledby="learn-hash">
      <h2 id="learn-hash">1 · Hash</h2>
      <p>
        SHA-256 turns any data into a 64-hex-digit fingerprint. The same data always gives the same hash;
        change one character and the hash changes completely — and there is no way to work backwards.
      </p>
      <div className="field">
        <label htmlFor="hash-input">Data</label>
        <textarea
          id="hash-input"
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="learn-hash-input"
          spellCheck={false}
        />
      </div>
      <div className="field">
        <span className="toy-label">SHA-256</span>
        <code className="hash hash-full big-hash" data-testid="learn-hash-output">
          {hash}
        </code>
      </div>
    </section>
  );
}

function BlockSection({ zeros }: { zeros: number }) {
  const [block, setBlock] = useState<ToyBlock>({ ...PRESET_BLOCK, previous: GENESIS_PREVIOUS });
  const hash = toyBlockHash(block);
  return (
    <section className="card learn-section" aria-labelledby="learn-block">
      <h2 id="learn-block">2 · Block</h2>
      <p>
        A block's hash covers its number, nonce, data and the previous block's hash. A block is valid here
        only if its hash starts with {zeros} zeros. Nobody can choose such a hash: <strong>mining</strong>{' '}
        tries nonce after nonce until one works. Edit the data, watch the block turn invalid, then press Mine.
      </p>
      <BlockCard
        block={block}
        hash={hash}
        zeros={zeros}
        testId="learn-block"
        onChange={(c) => setBlock((b) => ({ ...b, ...c }))}
      />
    </section>
  );
}

type ChainState = readonly { readonly nonce: number; readonly data: string }[];

function updateBlock(
  chain: ChainState,
  index: number,
  change: { data?: string; nonce?: number },
): ChainState {
  return chain.map((b, i) => (i === index ? { ...b, ...change } : b));
}

function ChainView(props: {
  chain: readonly ChainBlockView[];
  zeros: number;
  testId: string;
  onChange: (index: number, change: { data?: string; nonce?: number }) => void;
  compact?: boolean;
  majority?: readonly ChainBlockView[];
}) {
  return (
    <div className="toy-chain">
      {props.chain.map((b, i) => (
        <BlockCard
          key={b.number}
          block={b}
          hash={b.hash}
          zeros={props.zeros}
          testId={`${props.testId}-${i + 1}`}
          compact={props.compact}
          differs={props.majority !== undefined && props.majority[i]?.hash !== b.hash}
          onChange={(c) => props.onChange(i, c)}
        />
      ))}
    </div>
  );
}

function ChainSection({ zeros }: { zeros: number }) {
  const [chain, setChain] = useState<ChainState>(PRESET_CHAIN);
  const linked = useMemo(() => linkChain(chain, zeros), [chain, zeros]);
  const firstBad = linked.findIndex((b) => !b.valid);
  return (
    <section className="card learn-section" aria-labelledby="learn-chain">
      <h2 id="learn-chain">3 · Blockchain</h2>
      <p>
        Each block stores the previous block's hash, so blocks form a chain. Change the data of any block: its
        hash changes, and so does every later block's (each one includes the hash before it). The whole tail
        turns red, and rewriting history means re-mining every block after the change.
      </p>
      <p className="chain-verdict" data-testid="chain-verdict" data-valid={firstBad === -1} role="status">
        {firstBad === -1 ? (
          <span className="badge badge-ok">The chain is valid</span>
        ) : (
          <span className="badge badge-bad">Invalid from block #{firstBad + 1} on</span>
        )}
      </p>
      <ChainView
        chain={linked}
        zeros={zeros}
        testId="chain"
        onChange={(i, c) => setChain((ch) => updateBlock(ch, i, c))}
      />
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setChain(PRESET_CHAIN)}
        data-testid="chain-reset"
      >
        Reset chain
      </button>
    </section>
  );
}

const PEERS = ['A', 'B', 'C'] as const;

function PeersSection({ zeros }: { zeros: number }) {
  const [copies, setCopies] = useState<readonly ChainState[]>(() => PEERS.map(() => PRESET_CHAIN));
  const linked = useMemo(() => copies.map((c) => linkChain(c, zeros)), [copies, zeros]);
  const tips = linked.map((chain) => chain[chain.length - 1]!.hash);
  const majority = majorityTip(tips);
  const majorityChain = linked.find((c) => c[c.length - 1]!.hash === majority);
  const agreeing = tips.filter((t) => t === majority).length;
  return (
    <section className="card learn-section" aria-labelledby="learn-peers">
      <h2 id="learn-peers">4 · Distributed</h2>
      <p>
        Every peer keeps its own copy of the chain. To check a copy, compare the hash of its last block: it
        depends on every block before it. Tamper with peer B's copy — even re-mine it so it looks valid — and
        its last hash no longer matches the other two. The majority copy wins; the tampered one is exposed.
      </p>
      <div className="peers">
        {linked.map((chain, p) => {
          const name = PEERS[p]!;
          const tip = tips[p]!;
          const agrees = majority !== null && tip === majority;
          const allValid = chain.every((b) => b.valid);
          return (
            <div
              key={name}
              className={`peer ${agrees ? 'agrees' : 'disagrees'}`}
              data-testid={`peer-${name}`}
            >
              <header className="peer-head">
                <h3>Peer {name}</h3>
                <span
                  className={agrees ? 'badge badge-ok' : 'badge badge-bad'}
                  data-testid={`peer-${name}-verdict`}
                  data-agrees={agrees}
                >
                  {majority === null
                    ? 'no majority'
                    : agrees
                      ? `agrees with the majority (${agreeing} of ${PEERS.length})`
                      : 'differs from the majority'}
                </span>
                {!allValid && <span className="badge badge-warn">has invalid blocks</span>}
              </header>
              <p className="muted small">
                Last hash <code className="hash">{tip.slice(0, 16)}…</code>
              </p>
              <ChainView
                chain={chain}
                zeros={zeros}
                testId={`peer-${name}-block`}
                compact
                majority={agrees ? undefined : majorityChain}
                onChange={(i, c) =>
                  setCopies((cs) => cs.map((copy, j) => (j === p ? updateBlock(copy, i, c) : copy)))
                }
              />
            </div>
          );
        })}
      </div>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setCopies(PEERS.map(() => PRESET_CHAIN))}
        data-testid="peers-reset"
      >
        Reset all peers
      </button>
    </section>
  );
}

/** Steps 1–4 at #/learn; a later step or tool at #/learn/<step>[/<id>]. */
export function LearnPage({ step, arg }: { step?: string; arg?: string }) {
  if (step !== undefined) return <LearnStepView slug={step} arg={arg} />;
  return <LearnBasics />;
}

function LearnBasics() {
  const [zeros, setZeros] = useState(LEARN_DIFFICULTY);
  return (
    <div className="page learn">
      <h1>Learn: how a blockchain works</h1>
      <LearnNav current="" />
      <p className="lead">
        Four small experiments with the same SHA-256 code the node runs. Nothing here talks to the node — it
        all happens in your browser.
      </p>
      <div className="row learn-difficulty">
        <label htmlFor="learn-zeros">Difficulty (leading hex zeros)</label>
        <select
          id="learn-zeros"
          value={zeros}
          onChange={(e) => setZeros(Number(e.target.value))}
          data-testid="learn-difficulty"
        >
          {[1, 2, 3, 4, 5].map((z) => (
            <option key={z} value={z}>
              {z} — about {(16 ** z).toLocaleString('en-US')} tries
            </option>
          ))}
        </select>
      </div>
      <HashSection />
      <BlockSection zeros={zeros} />
      <ChainSection zeros={zeros} />
      <PeersSection zeros={zeros} />
      <StepPager current="" />
    </div>
  );
}
