// Lesson 1: a 2-of-3 escrow among a buyer, a seller and an arbiter, with keys made in this page. Any
// two settle; one alone is refused by the node's witness check (policy-unsatisfied).
import { toHex } from '../../../../src/core/bytes.js';
import { NETWORKS } from '../../../../src/core/params.js';
import { generateKeyPair } from '../../../../src/crypto/ed25519.js';
import { ESCROW_AMOUNT, Escrow, ROLES } from '../lib/escrow.js';
import { namedPolicyText } from '../lib/policy-witness.js';
import { HexLine } from '../ui.js';
import { AttemptView, wholeCoins } from './AttemptView.js';
import { ChainStrip } from './ChainStrip.js';
import { EscrowSettle } from './EscrowSettle.js';
import { useLesson } from './useLesson.js';

const newEscrow = () =>
  new Escrow(NETWORKS.regtest, {
    buyer: generateKeyPair(),
    seller: generateKeyPair(),
    arbiter: generateKeyPair(),
  });

export function EscrowLesson() {
  const { lesson, update, restart } = useLesson(newEscrow);
  const names = (key: Uint8Array) => lesson.roleOf(key);

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
          <button type="button" className="btn btn-small" onClick={restart} data-testid="escrow-restart">
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
      {lesson.deposit && <EscrowSettle key={lesson.lock.address} escrow={lesson} update={update} />}
    </section>
  );
}
