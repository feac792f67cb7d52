// The block being validated, editable: its time and nonce by hand, a ready-made edit that breaks one
// rule, re-mining; and the rule list run on it as it stands.
import { useMemo, useState } from 'react';
import type { Block } from '../../../../src/core/block.js';
import { headerHashHex } from '../../../../src/core/header.js';
import type { NetworkParams } from '../../../../src/core/params.js';
import { BLOCK_EDITS, remine, runValidation } from '../lib/validate.js';
import { HexLine } from '../ui.js';
import { StepList } from './StepList.js';
import type { ValidationInput } from './useValidationInput.js';

export function Validator({ input, params }: { input: ValidationInput; params: NetworkParams }) {
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const [block, setBlock] = useState<Block>(input.block);
  const [editId, setEditId] = useState(BLOCK_EDITS[0]!.id);
  const [note, setNote] = useState('');
  const run = useMemo(
    () => runValidation(block, input.ctx, input.coins, params, now),
    [block, input, params, now],
  );
  const setHeader = (change: Partial<Block['header']>) =>
    setBlock((b) => ({ ...b, header: { ...b.header, ...change } }));
  const applyEdit = () => {
    const edit = BLOCK_EDITS.find((e) => e.id === editId)!;
    const edited = input.ctx ? edit.apply(block, input.ctx, now) : null;
    setNote(
      edited
        ? `Applied: ${edit.label}. Expected to break ${edit.breaks}.`
        : 'This edit does not apply to this block.',
    );
    if (edited) setBlock(edited);
  };
  const mine = () => {
    const mined = remine(block);
    setNote(
      mined
        ? 'Merkle root recomputed and a nonce found for the target.'
        : 'No nonce found within 2,000,000 tries.',
    );
    if (mined) setBlock(mined);
  };
  const number = (v: string) => Math.max(0, Math.min(0xffffffff, Math.floor(Number(v) || 0)));
  return (
    <section className="card learn-section learn-step" aria-labelledby="validate-block">
      <h2 id="validate-block">
        Block {input.height === null ? '(parent not on this node)' : `#${input.height}`}
        {block !== input.block && ' (edited)'}
      </h2>
      <HexLine label="Header hash now" testId="validate-hash">
        {headerHashHex(block.header)}
      </HexLine>
      <div className="learn-controls">
        <div className="field">
          <label htmlFor="validate-time">Time</label>
          <input
            id="validate-time"
            type="number"
            value={block.header.time}
            onChange={(e) => setHeader({ time: number(e.target.value) })}
            data-testid="validate-time"
          />
        </div>
        <div className="field">
          <label htmlFor="validate-nonce">Nonce</label>
          <input
            id="validate-nonce"
            type="number"
            value={block.header.nonce}
            onChange={(e) => setHeader({ nonce: number(e.target.value) })}
            data-testid="validate-nonce"
          />
        </div>
        <button type="button" className="btn" onClick={mine} data-testid="validate-remine">
          Re-mine
        </button>
      </div>
      <div className="learn-controls">
        <div className="field validate-edit">
          <label htmlFor="validate-edit">Or break one rule</label>
          <select
            id="validate-edit"
            value={editId}
            onChange={(e) => setEditId(e.target.value)}
            data-testid="validate-edit"
          >
            {BLOCK_EDITS.map((e) => (
              <option key={e.id} value={e.id}>
                {e.label} → {e.breaks}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="btn btn-primary"
          onClick={applyEdit}
          disabled={!input.ctx}
          data-testid="validate-apply"
        >
          Apply
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setBlock(input.block);
            setNote('');
          }}
          data-testid="validate-reset"
        >
          The node's block
        </button>
      </div>
      {note && <p className="small muted">{note}</p>}
      <StepList run={run} hasParent={input.ctx !== null} focusTx={input.focusTx} />
    </section>
  );
}
