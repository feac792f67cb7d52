// Lesson 2: savings locked until a height, and(pk(me),after(H)). The spend is refused (non-final) in
// every block below H; mine blocks until the next one is H and it goes through.
import { useState } from 'react';
import { toHex } from '../../../../src/core/bytes.js';
import { NETWORKS } from '../../../../src/core/params.js';
import { generateKeyPair } from '../../../../src/crypto/ed25519.js';
import { namedPolicyText } from '../lib/policy-witness.js';
import { SAVINGS_AMOUNT, Savings, type SavingsSpend } from '../lib/savings.js';
import { HexLine } from '../ui.js';
import { wholeCoins } from './AttemptView.js';
import { ChainStrip } from './ChainStrip.js';
import { SavingsResult } from './SavingsResult.js';
import { useLesson } from './useLesson.js';

const newSavings = () => new Savings(NETWORKS.regtest, generateKeyPair());

export function SavingsLesson() {
  const { lesson, update, restart } = useLesson(newSavings);
  const [tried, setTried] = useState<{ early: boolean; spend: SavingsSpend } | null>(null);
  const names = (key: Uint8Array) => (toHex(key) === toHex(lesson.me.publicKey) ? 'me' : undefined);
  const H = lesson.unlockHeight;
  const next = lesson.lab.nextHeight;
  const done = lesson.spent !== null;

  return (
    <section className="card learn-section learn-step" aria-labelledby="pol-savings" data-testid="savings">
      <h2 id="pol-savings">Savings you cannot touch until block {H}</h2>
      <p>
        A policy can say <em>when</em>: <code>after(H)</code> holds only for a transaction whose lock time is
        at least H, and the node puts no transaction in a block below its lock time. So a coin locked to "my
        key, after block {H}" stays put until block {H}, whoever asks.
      </p>
      <div className="learn-box">
        <code className="hash hash-full" data-testid="savings-policy">
          {namedPolicyText(lesson.lock.policy, names)}
        </code>
        <HexLine label="address">{lesson.lock.address}</HexLine>
      </div>
      <ChainStrip
        lab={lesson.lab}
        name="A simulated regtest chain"
        marks={lesson.deposit ? { [lesson.deposit.attempt.height]: 'saved' } : undefined}
        testId="savings-chain"
      />
      {!lesson.deposit ? (
        <div className="row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => update((l) => l.save())}
            data-testid="savings-save"
          >
            Save {wholeCoins(SAVINGS_AMOUNT)}
          </button>
        </div>
      ) : (
        <>
          <p className="small" data-testid="savings-status" data-next={next} data-unlock={H}>
            {lesson.spent ? (
              <>
                Spent in block <strong>{lesson.spent.attempt.height}</strong>; the savings opened at block{' '}
                <strong>{H}</strong>.
              </>
            ) : (
              <>
                The next block is <strong>{next}</strong>; the savings open at block <strong>{H}</strong>
                {next >= H ? ': now.' : `: ${H - next} more block${H - next === 1 ? '' : 's'}.`}
              </>
            )}
          </p>
          <div className="row">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setTried({ early: false, spend: update((l) => l.spend()) })}
              disabled={done}
              data-testid="savings-spend"
            >
              Spend (lock time {H})
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => update((l) => l.mine())}
              disabled={done}
              data-testid="savings-mine"
            >
              Mine a block
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => setTried({ early: true, spend: update((l) => l.spendEarly()) })}
              disabled={done || next >= H}
              data-testid="savings-cheat"
            >
              Cheat: lock time {next}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                restart();
                setTried(null);
              }}
            >
              Start over
            </button>
          </div>
        </>
      )}
      {tried && <SavingsResult savings={lesson} tried={tried.spend} early={tried.early} />}
    </section>
  );
}
