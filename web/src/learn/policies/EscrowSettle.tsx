// Lesson 1's settlement: the learner ticks who signs and whom to pay; the witness (its mask picking the
// signers) and the node's verdict follow.
import { useState } from 'react';
import { type Escrow, ROLES, type Role, type Settlement } from '../lib/escrow.js';
import { witnessParts } from '../lib/policy-witness.js';
import { AttemptView } from './AttemptView.js';
import { WitnessView } from './WitnessView.js';

export function EscrowSettle({
  escrow,
  update,
}: {
  escrow: Escrow;
  update: <R>(action: (escrow: Escrow) => R) => R;
}) {
  const [signers, setSigners] = useState<Role[]>(['buyer', 'seller']);
  const [to, setTo] = useState<Role>('seller');
  const [tried, setTried] = useState<Settlement | null>(null);
  const names = (key: Uint8Array) => escrow.roleOf(key);
  const toggle = (r: Role) =>
    setSigners((s) =>
      s.includes(r) ? s.filter((x) => x !== r) : ROLES.filter((x) => x === r || s.includes(x)),
    );
  return (
    <div className="learn-box">
      <strong>Settle: who signs?</strong>
      <div className="row">
        {ROLES.map((r) => (
          <label key={r} className="policy-check">
            <input
              type="checkbox"
              checked={signers.includes(r)}
              onChange={() => toggle(r)}
              disabled={escrow.settlement !== null}
              data-testid={`escrow-signer-${r}`}
            />{' '}
            {r}
          </label>
        ))}
        <label className="policy-check">
          pay to{' '}
          <select
            value={to}
            onChange={(e) => setTo(e.target.value as Role)}
            disabled={escrow.settlement !== null}
            data-testid="escrow-to"
          >
            <option value="seller">the seller</option>
            <option value="buyer">the buyer (refund)</option>
          </select>
        </label>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setTried(update((l) => l.settle(signers, to)))}
          disabled={escrow.settlement !== null}
          data-testid="escrow-settle"
        >
          Sign and settle
        </button>
      </div>
      {tried && (
        <>
          <WitnessView
            parts={witnessParts(escrow.lock.policy, tried.witness, names)}
            testId="escrow-witness"
          />
          <AttemptView
            attempt={tried.attempt}
            accepted={`checkTxSanity found the witness satisfies multi(2,…) (rule policy-unsatisfied), connectBlock found the policy hashes to the coin's address (policy-hash-mismatch), and both signatures verify (bad-signature). The ${tried.to} owns the coins.`}
            testId="escrow-verdict"
            tx={tried.tx}
          />
          {!tried.attempt.ok && (
            <p className="small muted">
              The mask must pick exactly two keys and the witness must hold their two signatures. Tick another
              signer and settle again.
            </p>
          )}
        </>
      )}
    </div>
  );
}
