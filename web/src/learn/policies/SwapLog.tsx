// What each side of the swap tried, on which chain, and what that chain's rules said: the newest in
// full (witness and verdict), the earlier ones as a line each.
import { witnessParts } from '../lib/policy-witness.js';
import type { Swap, SwapAction, SwapEvent } from '../lib/swap.js';
import { AttemptView } from './AttemptView.js';
import { WitnessView } from './WitnessView.js';

/** What each action is, and which rules let it through when they do. */
export function describeAction(swap: Swap, action: SwapAction): { what: string; accepted: string } {
  const { timeoutA: TA, timeoutB: TB } = swap;
  switch (action) {
    case 'alice-locks':
      return {
        what: 'Alice locks her coins on chain A',
        accepted:
          "Alice's key and signature (bad-pubkey, bad-signature). The output holds the policy's hash.",
      };
    case 'bob-locks':
      return {
        what: 'Bob, having seen them, locks his coins on chain B',
        accepted: "Bob's key and signature (bad-pubkey, bad-signature). The output holds the policy's hash.",
      };
    case 'alice-claims':
      return {
        what: "Alice claims Bob's coins on chain B with S",
        accepted:
          'checkTxSanity: branch 0, her signature and S, whose SHA-256 is H (rule policy-unsatisfied); the signature verifies (bad-signature). S is now on chain B for all to read.',
      };
    case 'bob-guesses':
      return {
        what: "Bob tries to take Alice's coins on chain A without S, with a guess",
        accepted: 'a guess that hashes to H: not going to happen.',
      };
    case 'bob-claims':
      return {
        what: "Bob claims Alice's coins on chain A with the S he read on chain B",
        accepted:
          'checkTxSanity: branch 0, his signature and S (policy-unsatisfied); the signature verifies (bad-signature). The swap is done.',
      };
    case 'alice-refunds':
      return {
        what: `Alice takes her coins back on chain A (lock time ${TA})`,
        accepted: `checkBlockContext: the block is at or past the lock time ${TA} (non-final); branch 1, her signature, after(${TA}) met (policy-unsatisfied).`,
      };
    case 'bob-refunds':
      return {
        what: `Bob takes his coins back on chain B (lock time ${TB})`,
        accepted: `checkBlockContext: the block is at or past the lock time ${TB} (non-final); branch 1, his signature, after(${TB}) met (policy-unsatisfied).`,
      };
  }
}

function EventDetail({ swap, event }: { swap: Swap; event: SwapEvent }) {
  const names = (key: Uint8Array) => swap.nameOf(key);
  const witness = event.tx.inputs[0]?.witness;
  const { what, accepted } = describeAction(swap, event.action);
  return (
    <div
      className={`learn-box ${event.attempt.ok ? 'ok' : 'bad'}`}
      data-testid="swap-latest"
      data-action={event.action}
    >
      <strong>{what}</strong>
      {event.lock && witness && (
        <WitnessView parts={witnessParts(event.lock.policy, witness, names)} testId="swap-witness" />
      )}
      <AttemptView attempt={event.attempt} accepted={accepted} testId="swap-verdict" tx={event.tx} />
    </div>
  );
}

export function SwapLog({ swap }: { swap: Swap }) {
  const latest = swap.log.at(-1);
  if (!latest) return null;
  return (
    <div className="learn-step">
      <EventDetail swap={swap} event={latest} />
      {swap.log.length > 1 && (
        <ol className="learn-checks" data-testid="swap-log">
          {swap.log.map((e, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows.
              key={i}
              className={`learn-check ${e.attempt.ok ? 'pass' : 'fail'}`}
              data-testid={`swap-log-${e.action}`}
              data-ok={e.attempt.ok}
              data-code={e.attempt.ok ? undefined : e.attempt.code}
            >
              <span className={e.attempt.ok ? 'badge badge-ok' : 'badge badge-bad'}>
                {e.attempt.ok ? 'accepted' : e.attempt.code}
              </span>{' '}
              chain {e.chain}, block {e.attempt.height}: {describeAction(swap, e.action).what}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
