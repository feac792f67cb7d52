// Lesson 2's last try: the witness, the lock time and sequence it carried, and the node's verdict.
import { toHex } from '../../../../src/core/bytes.js';
import { witnessParts } from '../lib/policy-witness.js';
import type { Savings, SavingsSpend } from '../lib/savings.js';
import { AttemptView } from './AttemptView.js';
import { WitnessView } from './WitnessView.js';

export function SavingsResult({
  savings,
  tried,
  early,
}: {
  savings: Savings;
  tried: SavingsSpend;
  early: boolean;
}) {
  const H = savings.unlockHeight;
  const lockTime = tried.tx.lockTime ?? 0;
  const names = (key: Uint8Array) => (toHex(key) === toHex(savings.me.publicKey) ? 'me' : undefined);
  return (
    <div className="learn-grid">
      <WitnessView parts={witnessParts(savings.lock.policy, tried.witness, names)} testId="savings-witness" />
      <div>
        <div className="small">
          Lock time <strong>{lockTime}</strong>, input sequence 0xfffffffe (not final, so the lock time
          counts)
        </div>
        <AttemptView
          attempt={tried.attempt}
          accepted={`checkBlockContext: block ${tried.attempt.height} is at or past the lock time ${lockTime} (rule non-final); checkTxSanity: the lock time meets after(${H}) (policy-unsatisfied); the signature verifies.`}
          testId="savings-verdict"
          tx={tried.tx}
        />
        {early && !tried.attempt.ok && (
          <p className="small muted">
            With lock time {lockTime} the block would take it, but after({H}) reads the lock time and is not
            met: the witness check refuses it first.
          </p>
        )}
      </div>
    </div>
  );
}
