// Lesson 3's buttons: the swap's five steps in order, the attempts to cheat, time passing, and the
// refund path played out.
import type { Swap, SwapAction } from '../lib/swap.js';

function Btn(props: {
  onClick: () => void;
  disabled?: boolean;
  testId: string;
  primary?: boolean;
  children: string;
}) {
  return (
    <button
      type="button"
      className={props.primary ? 'btn btn-primary' : 'btn'}
      onClick={props.onClick}
      disabled={props.disabled}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  );
}

export function SwapControls({
  swap,
  update,
  restart,
}: {
  swap: Swap;
  update: <R>(action: (swap: Swap) => R) => R;
  restart: () => void;
}) {
  const did = (action: SwapAction) => swap.log.some((e) => e.action === action && e.attempt.ok);
  const lockedA = swap.coinA !== null;
  const lockedB = swap.coinB !== null;
  // A chain's locked coins are gone once claimed or refunded.
  const doneA = did('bob-claims') || did('alice-refunds');
  const doneB = did('alice-claims') || did('bob-refunds');
  return (
    <div className="learn-box">
      <strong>The swap</strong>
      <div className="row">
        <Btn
          primary
          onClick={() => update((s) => s.aliceLocks())}
          disabled={lockedA}
          testId="swap-alice-lock"
        >
          1. Alice locks on A
        </Btn>
        <Btn
          primary
          onClick={() => update((s) => s.bobLocks())}
          disabled={!lockedA || lockedB}
          testId="swap-bob-lock"
        >
          2. Bob locks on B
        </Btn>
        <Btn
          primary
          onClick={() => update((s) => s.aliceClaims())}
          disabled={!lockedB || doneB}
          testId="swap-alice-claim"
        >
          3. Alice claims on B with S
        </Btn>
        <Btn
          primary
          onClick={() => update((s) => s.bobReads())}
          disabled={!did('alice-claims') || swap.bobKnows !== null}
          testId="swap-bob-read"
        >
          4. Bob reads S on B
        </Btn>
        <Btn
          primary
          onClick={() => update((s) => s.bobClaims())}
          disabled={!swap.bobKnows || doneA}
          testId="swap-bob-claim"
        >
          5. Bob claims on A with S
        </Btn>
      </div>
      <strong>Try to cheat, or wait</strong>
      <div className="row">
        <Btn
          onClick={() => update((s) => s.bobGuesses())}
          disabled={!lockedA || doneA}
          testId="swap-bob-guess"
        >
          Bob claims on A without S
        </Btn>
        <Btn
          onClick={() => update((s) => s.aliceRefunds())}
          disabled={!lockedA || doneA}
          testId="swap-alice-refund"
        >
          Alice takes A back
        </Btn>
        <Btn
          onClick={() => update((s) => s.bobRefunds())}
          disabled={!lockedB || doneB}
          testId="swap-bob-refund"
        >
          Bob takes B back
        </Btn>
        <Btn onClick={() => update((s) => s.mineBoth())} testId="swap-mine">
          Mine a block on both chains
        </Btn>
        <Btn
          onClick={() => update((s) => s.refundPath())}
          disabled={!lockedB || doneA || doneB}
          testId="swap-play-refund"
        >
          Play: Alice never claims
        </Btn>
        <button type="button" className="btn btn-small" onClick={restart} data-testid="swap-restart">
          Start over
        </button>
      </div>
      {swap.bobKnows && (
        <p className="small" data-testid="swap-bob-knows">
          Bob found 32 bytes in the witness of Alice's claim on chain B whose SHA-256 is H: that is S. He
          needs nothing else to claim on chain A.
        </p>
      )}
    </div>
  );
}
