// Lesson 1: a 2-of-3 escrow among a buyer, a seller and an arbiter, with keys made in this page. Any
// two settle; one alone is refused by the node's witness check (policy-unsatisfied).
import { useState } from 'react';
import { toHex } from '../../../../src/core/bytes.js';
import { NETWORKS } from '../../../../src/core/params.js';
import { generateKeyPair } from '../../../../src/crypto/ed25519.js';
import { ESCROW_AMOUNT, Escrow, ROLES, type Role, type Settlement } from '../lib/escrow.js';
import { namedPolicyText, witnessParts } from '../lib/policy-witness.js';
import { HexLine } from '../ui.js';
import { AttemptView, wholeCoins } from './AttemptView.js';
import { ChainStrip } from './ChainStrip.js';
import { useLesson } from './useLesson.js';
import { WitnessView } from './WitnessView.js';

const newEscrow = () =>
  new Escrow(NETWORKS.regtest, {
    buyer: generateKeyPair(),
    seller: generateKeyPair(),
    arbiter: generateKeyPair(),
  });

export function EscrowLesson() {
  const { lesson, update, restart } = useLesson(newEscrow);
  const [signers, setSigners] = useState<Role[]>(['buyer', 'seller']);
  const [to, setTo] = useState<Role>('seller');
  const [tried, setTried] = useState<Settlement | null>(null);
  const names = (key: Uint8Array) => lesson.roleOf(key);
  const toggle = (r: Role) =>
    setSigners((s) =>
      s.includes(r) ? s.filter((x) => x !== r) : ROLES.filter((x) => x === r || s.includes(x)),
    );
  const again = () => {
    restart();
    setTried(null);
  };

  return (
    <section className="card learn-section learn-step" aria-labelledby="pol-escrow" data-testid="escrow">
      <h2 id="pol-escrow">Escrow: any two of three</h2>
      <p>
        A buyer pays a seller through an arbiter they both trust. The coins go to an address that needs two
        signatures of the three: buyer and seller agree and settle; if they fall out, the arbiter sides with
        one of them. No one can move the coins alone, not even the arbiter.
      </p>
      <div className="learn-grid">
        <div className="learn-box">
          <strong>Three keys, made in this page</strong>
          {ROLES.map((r) => (
            <HexLine key={r} label={`${r}'s public key`}>
              {toHex(lesson.keys[r].publicKey)}
            </HexLine>
          ))}
          <button type="button" className="btn btn-small" onClick={again} data-testid="escrow-restart">
            New keys, start over
          </button>
        </div>
        <div className="learn-box">
          <strong>The policy and its address</strong>
          <code className="hash hash-full" data-testid="escrow-policy">
            {namedPolicyText(lesson.lock.policy, names)}
          </code>
          <HexLine label="its bytes (tag 02, k, n, the keys)">{toHex(lesson.lock.encoded)}</HexLine>
          <HexLine label="the address: SHA-256 of the bytes, in bech32m" testId="escrow-address">
            {lesson.lock.address}
          </HexLine>
        </div>
      </div>
      <ChainStrip lab={lesson.lab} name="A simulated regtest chain" testId="escrow-chain" />
      {!lesson.deposit ? (
        <div className="row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => update((l) => l.pay())}
            data-testid="escrow-pay"
          >
            The buyer pays {wholeCoins(ESCROW_AMOUNT)} into escrow
          </button>
        </div>
      ) : (
        <AttemptView
          attempt={lesson.deposit.attempt}
          accepted="the buyer's key and signature (bad-pubkey, bad-signature). The new output holds the 32-byte policy hash."
          testId="escrow-pay-verdict"
        />
      )}
      {lesson.deposit && (
        <div className="learn-box">
          <strong>Settle: who signs?</strong>
          <div className="row">
            {ROLES.map((r) => (
              <label key={r} className="policy-check">
                <input
                  type="checkbox"
                  checked={signers.includes(r)}
                  onChange={() => toggle(r)}
                  disabled={lesson.settlement !== null}
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
                disabled={lesson.settlement !== null}
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
              disabled={lesson.settlement !== null}
              data-testid="escrow-settle"
            >
              Sign and settle
            </button>
          </div>
          {tried && (
            <>
              <WitnessView
                parts={witnessParts(lesson.lock.policy, tried.witness, names)}
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
                  The mask must pick exactly two keys and the witness must hold their two signatures. Tick
                  another signer and settle again.
                </p>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
