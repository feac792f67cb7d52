// What the node's rules said of a transaction tried in the next block: accepted (and which rules it
// passed), or refused with the rule code, the function that refused it, the rule's sentence from the
// specification, and the answer the node's API gives.
import type { ReactNode } from 'react';
import { toHex } from '../../../../src/core/bytes.js';
import type { RuleCode } from '../../../../src/core/errors.js';
import { COIN } from '../../../../src/core/params.js';
import { RULE_SENTENCES } from '../../../../src/core/rule-sentences.js';
import { encodeTx, type Tx } from '../../../../src/core/tx.js';
import { href } from '../../lib/route.js';
import { type Attempt, nodeAnswer } from '../lib/policy-lab.js';

/** A whole number of coins, as the lessons' amounts are: "10 HL". */
export const wholeCoins = (units: bigint): string => `${units / COIN} HL`;

/** The transaction's bytes in the inspector, in a new tab (this page's chains live in memory only). */
function InspectLink({ tx, testId }: { tx: Tx; testId: string }) {
  return (
    <a
      className="small"
      href={href.learn('inspect', toHex(encodeTx(tx)))}
      target="_blank"
      rel="noreferrer"
      data-testid={`${testId}-inspect`}
    >
      Every byte of this transaction in the inspector
    </a>
  );
}

export function AttemptView(props: { attempt: Attempt; accepted: ReactNode; testId: string; tx?: Tx }) {
  const { attempt } = props;
  if (attempt.ok) {
    return (
      <div
        className="learn-verdict policy-verdict ok"
        role="status"
        data-testid={props.testId}
        data-ok="true"
      >
        <span className="badge badge-ok">accepted in block {attempt.height}</span>
        <span className="small">Rules that mattered: {props.accepted}</span>
        {props.tx && <InspectLink tx={props.tx} testId={props.testId} />}
      </div>
    );
  }
  const rule = RULE_SENTENCES[attempt.code as RuleCode];
  return (
    <div
      className="learn-verdict policy-verdict bad"
      role="status"
      data-testid={props.testId}
      data-ok="false"
      data-code={attempt.code}
    >
      <span className="badge badge-bad">refused: {attempt.code}</span>{' '}
      <span className="small">
        in block {attempt.height}, by <code>{attempt.by}</code>
      </span>
      {rule && (
        <div className="small">
          The rule ({rule.level}): {rule.sentence}.
        </div>
      )}
      <div className="small muted">The node answers</div>
      <code className="hash hash-full policy-answer" data-testid={`${props.testId}-answer`}>
        {nodeAnswer(attempt)}
      </code>
      {props.tx && <InspectLink tx={props.tx} testId={props.testId} />}
    </div>
  );
}
