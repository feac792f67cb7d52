// Step 11: an attack lab. A miner with enough hash power replaces a confirmed payment with a private
// branch that has more work — blocks built, mined and validated in the browser by the node's code.
import { useMemo, useState } from 'react';
import { NETWORKS } from '../../../../src/core/params.js';
import { runAttack } from '../lib/attack.js';
import { AttackOutcome, OddsTable } from './AttackOutcome.js';
import { RaceView } from './RaceView.js';

const params = NETWORKS.regtest;

export function AttackStep() {
  const [share, setShare] = useState(0.6);
  const [confirmations, setConfirmations] = useState(2);
  const [seed, setSeed] = useState(1);
  const run = useMemo(() => runAttack(params, { share, confirmations, seed }), [share, confirmations, seed]);
  const [shown, setShown] = useState(0);
  const [runKey, setRunKey] = useState(run);
  if (runKey !== run) {
    setRunKey(run);
    setShown(0);
  }
  const done = shown >= run.events.length;
  const ev = run.events[shown - 1];
  const published = done && run.outcome === 'double-spent';
  return (
    <>
      <section className="card learn-section learn-step" aria-labelledby="attack-lab">
        <h2 id="attack-lab">Double spend with more hash power</h2>
        <p>
          Mallory pays a merchant 30 HL from a coin she mined. The payment is confirmed and the merchant ships
          after {confirmations} confirmation{confirmations === 1 ? '' : 's'}. Meanwhile Mallory mines in
          secret a branch from the block before the payment, in which the same coin goes back to herself. Once
          her branch has more work she publishes it, and every node — running exactly this validation —
          switches to it. Each block here is assembled, mined (regtest target) and checked in your browser by
          the node's code.
        </p>
        <div className="learn-controls">
          <div className="field">
            <label htmlFor="attack-share">
              Mallory's share of the hash power: {Math.round(share * 100)} %
            </label>
            <input
              id="attack-share"
              type="range"
              min={0.05}
              max={0.8}
              step={0.05}
              value={share}
              onChange={(e) => setShare(Number(e.target.value))}
              data-testid="attack-share"
            />
          </div>
          <div className="field">
            <label htmlFor="attack-conf">Merchant waits for</label>
            <select
              id="attack-conf"
              value={confirmations}
              onChange={(e) => setConfirmations(Number(e.target.value))}
              data-testid="attack-confirmations"
            >
              {[1, 2, 3, 4, 5, 6].map((n) => (
                <option key={n} value={n}>
                  {n} confirmation{n === 1 ? '' : 's'}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="attack-seed">Seed</label>
            <input
              id="attack-seed"
              type="number"
              value={seed}
              onChange={(e) => setSeed(Math.floor(Number(e.target.value) || 0))}
            />
          </div>
        </div>
        <div className="row">
          <button
            type="button"
            className="btn"
            disabled={done}
            onClick={() => setShown((s) => s + 1)}
            data-testid="attack-next"
          >
            Next block
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={done}
            onClick={() => setShown(run.events.length)}
            data-testid="attack-run"
          >
            Run to the end
          </button>
          <button type="button" className="btn" onClick={() => setShown(0)}>
            Restart
          </button>
        </div>
        <p className="small" data-testid="attack-progress">
          {ev
            ? `Block ${shown}: found by ${ev.finder === 'attacker' ? 'Mallory (kept secret)' : 'the honest miners'}. The payment has ${ev.confirmations} confirmation${ev.confirmations === 1 ? '' : 's'}${ev.shipped ? ': the merchant has shipped.' : '.'}`
            : 'The payment has just been broadcast; both sides start mining on the same block.'}
        </p>
        <RaceView
          chain={run.chain}
          fork={run.fork}
          publicTip={ev?.publicTip ?? run.fork.hash}
          privateTip={ev?.privateTip ?? run.fork.hash}
          payment={run.payment}
          conflict={run.conflict}
          published={published}
        />
        {done && <AttackOutcome run={run} share={share} />}
      </section>
      <OddsTable share={share} />
    </>
  );
}
