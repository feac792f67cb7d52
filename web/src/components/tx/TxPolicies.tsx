// Each policy input of a transaction: the policy spent, as a tree with the branch its witness used
// highlighted, and the input's sequence.
import type { TxJson } from '../../api/types.js';
import { href } from '../../lib/route.js';
import { sequenceText, v2Of } from '../../lib/tx-v2.js';
import { PolicyTree } from '../policy/PolicyTree.js';
import { AddressLink, Card, CopyButton, HashLink } from '../ui.js';

export function TxPolicies({ tx }: { tx: TxJson }) {
  const { inputs } = v2Of(tx);
  const spends = inputs.flatMap((input, i) => (input.policy ? [{ i, input, policy: input.policy }] : []));
  if (spends.length === 0) return null;
  return (
    <Card title={`Policies spent (${spends.length})`} testId="tx-policies">
      <p className="hint">
        A policy input reveals the policy its coin was locked to and a witness that satisfies it. The
        highlighted fragments are the branch the witness took; the others were not needed.
      </p>
      {spends.map(({ i, input, policy }) => {
        const from = tx.inputs[i]!;
        return (
          <section key={i} className="policy-input" data-testid="tx-policy-input">
            <h3 className="subhead">
              Input #{i}: <HashLink hash={from.prevTxid} to={href.tx(from.prevTxid)} />:{from.prevIndex} from{' '}
              <AddressLink address={from.address} />
            </h3>
            <PolicyTree fragments={policy.fragments} testId="tx-policy-tree" />
            <p className="small">
              <span className="muted">Sequence</span>{' '}
              <span data-testid="tx-input-sequence">{sequenceText(input.sequence)}</span>
            </p>
            <details>
              <summary className="small">Policy text</summary>
              <code className="hash hash-full hash-wrap">{policy.text}</code>{' '}
              <CopyButton text={policy.text} label="Copy policy" />
            </details>
          </section>
        );
      })}
    </Card>
  );
}
