// Each policy input of a transaction: the policy spent, as a tree with the branch its witness used
// highlighted, and the input's sequence.
import { fromHex, toHex } from '../../../../src/core/bytes.js';
import { checkWitness, decodePolicy } from '../../../../src/core/policy/index.js';
import type { TxInputJson, TxJson } from '../../api/types.js';
import { href } from '../../lib/route.js';
import { sequenceText } from '../../lib/tx-v2.js';
import { PolicyTree } from '../policy/PolicyTree.js';
import { AddressLink, Card, CopyButton, HashLink } from '../ui.js';

/**
 * The keys whose signatures the witness holds, read here with the consensus witness check (the node has
 * verified the signatures themselves), or null when the witness does not satisfy the policy.
 */
function witnessSigners(tx: TxJson, input: TxInputJson): string[] | null {
  if (!input.policy || input.witness === null) return null;
  try {
    const check = checkWitness(decodePolicy(fromHex(input.policy.hex)), fromHex(input.witness), {
      lockTime: tx.lockTime,
      sequence: input.sequence,
    });
    return check.signatures.map((s) => toHex(s.publicKey));
  } catch {
    return null;
  }
}

const shortKey = (hex: string) => `${hex.slice(0, 8)}…${hex.slice(-4)}`;

export function TxPolicies({ tx }: { tx: TxJson }) {
  const spends = tx.inputs.flatMap((input, i) =>
    input.policy ? [{ i, input, policy: input.policy, signers: witnessSigners(tx, input) }] : [],
  );
  if (spends.length === 0) return null;
  return (
    <Card title={`Policies spent (${spends.length})`} testId="tx-policies">
      <p className="hint">
        A policy input reveals the policy its coin was locked to and a witness that satisfies it. The
        highlighted fragments are the branch the witness took; the others were not needed.
      </p>
      {spends.map(({ i, input, policy, signers }) => (
        <section key={i} className="policy-input" data-testid="tx-policy-input">
          <h3 className="subhead">
            Input #{i}: <HashLink hash={input.prevTxid} to={href.tx(input.prevTxid)} />:{input.prevIndex} from{' '}
            <AddressLink address={input.address} />
          </h3>
          {policy.text === null ? (
            <p className="alert alert-warn">
              These policy bytes do not decode: <code className="hash hash-wrap">{policy.hex}</code>
            </p>
          ) : (
            <>
              <PolicyTree fragments={policy.fragments} testId="tx-policy-tree" />
              {!policy.fragments.some((f) => f.used) && (
                <p className="muted small">The witness does not satisfy this policy: no branch is marked.</p>
              )}
            </>
          )}
          {signers !== null && (
            <p className="small">
              <span className="muted">Signed by</span>{' '}
              <span data-testid="tx-policy-signers" title={signers.join(' ')}>
                {signers.map(shortKey).join(', ') || 'no key (no signature needed)'}
              </span>
            </p>
          )}
          <p className="small">
            <span className="muted">Sequence</span>{' '}
            <span data-testid="tx-input-sequence">{sequenceText(input.sequence)}</span>
          </p>
          {policy.text !== null && (
            <details>
              <summary className="small">Policy text</summary>
              <code className="hash hash-full hash-wrap">{policy.text}</code>{' '}
              <CopyButton text={policy.text} label="Copy policy" />
            </details>
          )}
        </section>
      ))}
    </Card>
  );
}
