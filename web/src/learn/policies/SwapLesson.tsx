// Lesson 3: a hashed-timelock swap between two simulated chains of two networks (regtest and dev).
// Alice and Bob each lock coins to "the other with the secret, or me after a timeout"; Alice's claim
// reveals the secret, Bob reads it and claims. Buttons for cheating and for the refund path.
import { toHex } from '../../../../src/core/bytes.js';
import { NETWORKS } from '../../../../src/core/params.js';
import { generateKeyPair } from '../../../../src/crypto/ed25519.js';
import { withEasyTarget } from '../lib/policy-lab.js';
import { namedPolicyText } from '../lib/policy-witness.js';
import { SWAP_AMOUNT, Swap } from '../lib/swap.js';
import { HexLine } from '../ui.js';
import { wholeCoins } from './AttemptView.js';
import { ChainStrip } from './ChainStrip.js';
import { SwapControls } from './SwapControls.js';
import { SwapLog } from './SwapLog.js';
import { useLesson } from './useLesson.js';

const newSwap = () =>
  new Swap(
    NETWORKS.regtest,
    withEasyTarget(NETWORKS.dev),
    generateKeyPair(),
    generateKeyPair(),
    crypto.getRandomValues(new Uint8Array(32)),
  );

export function SwapLesson() {
  const { lesson: swap, update, restart } = useLesson(newSwap);
  const names = (key: Uint8Array) => swap.nameOf(key);

  return (
    <section className="card learn-section learn-step" aria-labelledby="pol-swap" data-testid="swap">
      <h2 id="pol-swap">A swap between two chains that no one can cheat</h2>
      <p>
        Alice has coins on chain A, Bob on chain B, two networks that know nothing of each other. They want to
        swap {wholeCoins(SWAP_AMOUNT)} for {wholeCoins(SWAP_AMOUNT)} with no one in the middle. Alice picks a
        secret S and tells Bob only its hash H = SHA-256(S). Each locks coins to "the other can take them with
        S, or I take them back after a timeout".
      </p>
      <p className="small muted">
        Chain A runs regtest's rules, chain B dev's (with regtest's easy proof of work, so your browser mines
        it at once): two genesis blocks, two address prefixes, no coin in common.
      </p>
      <div className="learn-box">
        <HexLine
          label={swap.bobKnows ? 'S, read by Bob on chain B' : "S, Alice's secret (only she knows it)"}
          testId="swap-secret"
        >
          {swap.bobKnows ? toHex(swap.bobKnows) : '(hidden: made at random in this page)'}
        </HexLine>
        <HexLine label="H = SHA-256(S), which both know" testId="swap-hash">
          {toHex(swap.hash)}
        </HexLine>
      </div>
      <div className="learn-grid">
        <div className="learn-box">
          <strong>Chain A: Alice → Bob</strong>
          <code className="hash hash-full" data-testid="swap-policy-a">
            {namedPolicyText(swap.lockA.policy, names)}
          </code>
          <ChainStrip lab={swap.a} name="Chain A" testId="swap-chain-a" />
          <span className="small muted">Alice's refund opens at block {swap.timeoutA} of chain A (TA).</span>
        </div>
        <div className="learn-box">
          <strong>Chain B: Bob → Alice</strong>
          <code className="hash hash-full" data-testid="swap-policy-b">
            {namedPolicyText(swap.lockB.policy, names)}
          </code>
          <ChainStrip lab={swap.b} name="Chain B" testId="swap-chain-b" />
          <span className="small muted">
            Bob's refund opens at block {swap.timeoutB} of chain B (TB &lt; TA).
          </span>
        </div>
      </div>
      <SwapControls swap={swap} update={update} restart={restart} />
      <SwapLog swap={swap} />
      <div className="small">
        <strong>Why no one can cheat.</strong> Bob cannot take chain A's coins without S: the witness check
        wants 32 bytes that hash to H (policy-unsatisfied). Alice cannot take chain B's coins without putting
        S on chain B, where Bob reads it. Neither can take their own coins back before their timeout: the
        block refuses a transaction below its lock time (non-final). Bob's timeout TB comes before Alice's TA:
        if Alice claims at the last moment before TB, Bob still has until TA to use S on chain A, while Alice
        cannot yet take chain A's coins back. If Alice never claims, both take their coins back after the
        timeouts.
      </div>
    </section>
  );
}
