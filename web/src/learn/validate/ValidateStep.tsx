// The validation step-through: a block from the node, or edited by hand, run through every consensus
// rule in the order of docs/protocol.md, with pass or fail and the rule code at each step.
import { type FormEvent, useEffect, useState } from 'react';
import { useNode } from '../../api/node.js';
import { ErrorBox, Loading } from '../../components/ui.js';
import { href } from '../../lib/route.js';
import type { StepProps } from '../LearnStepView.js';
import { useLearnParams } from '../useLearnParams.js';
import { useValidationInput } from './useValidationInput.js';
import { Validator } from './Validator.js';

export function ValidateStep({ arg }: StepProps) {
  const params = useLearnParams();
  const { status } = useNode();
  const id = arg ?? (status ? String(status.height) : null);
  const loaded = useValidationInput(id, params);
  const [text, setText] = useState(arg ?? '');
  useEffect(() => setText(arg ?? ''), [arg]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) window.location.hash = href.learn('validate', text.trim());
  };
  return (
    <>
      <p className="lead">
        Every node runs these rules on every block it receives, in this order, and stops at the first that
        fails. The rules here are the node's own (<code>sanitySteps</code>, <code>contextSteps</code>,{' '}
        <code>connectSteps</code> in src/core), run in your browser.
      </p>
      <form className="card learn-controls" onSubmit={submit}>
        <div className="field inspect-input">
          <label htmlFor="validate-id">Block height or hash, a txid (its block), or a block in hex</label>
          <input
            id="validate-id"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={id ?? ''}
            spellCheck={false}
            data-testid="validate-id"
          />
        </div>
        <button type="submit" className="btn btn-primary">
          Validate
        </button>
      </form>
      {loaded.state === 'loading' && (
        <Loading what="Fetching the block, its ancestors and the coins it spends" />
      )}
      {loaded.state === 'error' && <ErrorBox error={loaded.error} title="Cannot validate" />}
      {loaded.state === 'pending' && (
        <p className="alert" data-testid="validate-pending">
          This transaction is still in the mempool: the rules here run on a block. The node's checks of a
          loose transaction are on the <a href={href.decode(loaded.txid)}>Decode page</a>.
        </p>
      )}
      {loaded.state === 'ready' && <Validator key={loaded.input.hash} input={loaded.input} params={params} />}
    </>
  );
}
