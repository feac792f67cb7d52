// Step 7: spending conditions. Three lessons on simulated chains that validate with the node's own
// rules (the policy module, checkTxSanity, checkTxInputs, checkBlockContext, connectBlock): an escrow,
// savings locked until a height, and a swap between two chains.
import { EscrowLesson } from './EscrowLesson.js';
import { SavingsLesson } from './SavingsLesson.js';
import { SwapLesson } from './SwapLesson.js';

export function PoliciesStep() {
  return (
    <>
      <section className="card learn-section learn-step" aria-labelledby="pol-intro">
        <h2 id="pol-intro">Coins locked to a policy, not a key</h2>
        <p>
          So far every coin was locked to one key. A version 2 transaction can lock coins to a{' '}
          <em>spending policy</em>: a small expression of who must sign and what must be true, such as{' '}
          <code>multi(2,A,B,C)</code> (two of three keys), <code>after(100)</code> (not before block 100) or{' '}
          <code>sha256(H)</code> (whoever knows a secret hashing to H), joined with <code>and</code> and{' '}
          <code>or</code>. The output holds only the policy's hash; the spender reveals the policy and a{' '}
          <em>witness</em>: the signatures, secrets and branch choices that satisfy it.
        </p>
        <p>
          Below, each lesson runs a small chain in your browser. Every transaction is put in a new block and
          judged by the same code the node runs; a refusal shows the node's rule code.
        </p>
      </section>
      <EscrowLesson />
      <SavingsLesson />
      <SwapLesson />
    </>
  );
}
