// A toy block for steps 1–4: editable nonce and data, its hash, and a Mine button.
import { useEffect, useId } from 'react';
import { useNonceSearch } from '../components/useNonceSearch.js';
import { formatHashRate } from '../lib/format.js';
import { meetsDifficulty, type ToyBlock } from '../lib/learn.js';

interface BlockCardProps {
  readonly block: ToyBlock;
  readonly hash: string;
  readonly zeros: number;
  readonly testId: string;
  readonly onChange: (change: { data?: string; nonce?: number }) => void;
  readonly compact?: boolean;
  /** Marks a block whose hash differs from the majority's block at the same height. */
  readonly differs?: boolean;
}

function HashText({ hash, zeros }: { hash: string; zeros: number }) {
  const lead = hash.length - hash.replace(/^0+/, '').length;
  const shown = Math.min(lead, Math.max(zeros, lead));
  return (
    <>
      <span className="zeros">{hash.slice(0, shown)}</span>
      {hash.slice(shown)}
    </>
  );
}

export function BlockCard({ block, hash, zeros, testId, onChange, compact, differs }: BlockCardProps) {
  const id = useId();
  const search = useNonceSearch();
  const valid = meetsDifficulty(hash, zeros);
  const { cancel } = search;
  // Editing the block (or an earlier one) while searching makes the search pointless: stop it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart on any change of the mined fields.
  useEffect(() => cancel(), [block.data, block.previous, zeros, cancel]);

  return (
    <article
      className={`toy-block ${valid ? 'valid' : 'invalid'}${compact ? ' compact' : ''}${differs ? ' differs' : ''}`}
      data-testid={testId}
      data-valid={valid}
      aria-label={`Block ${block.number}, ${valid ? 'valid' : 'invalid'}`}
    >
      <div className="toy-row">
        <span className="toy-label">Block</span>
        <span className="toy-number">#{block.number}</span>
        <span className={valid ? 'badge badge-ok' : 'badge badge-bad'} data-testid={`${testId}-status`}>
          {valid ? 'valid' : 'invalid'}
        </span>
      </div>
      <div className="toy-field">
        <label htmlFor={`${id}-nonce`}>Nonce</label>
        <input
          id={`${id}-nonce`}
          type="number"
          min={0}
          value={block.nonce}
          data-testid={`${testId}-nonce`}
          onChange={(e) => onChange({ nonce: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
        />
      </div>
      <div className="toy-field">
        <label htmlFor={`${id}-data`}>Data</label>
        <textarea
          id={`${id}-data`}
          rows={compact ? 1 : 2}
          value={block.data}
          spellCheck={false}
          data-testid={`${testId}-data`}
          onChange={(e) => onChange({ data: e.target.value })}
        />
      </div>
      <div className="toy-field">
        <span className="toy-label">Previous</span>
        <code className="hash hash-full toy-hash">
          <HashText hash={block.previous} zeros={zeros} />
        </code>
      </div>
      <div className="toy-field">
        <span className="toy-label">Hash</span>
        <code className="hash hash-full toy-hash" data-testid={`${testId}-hash`}>
          <HashText hash={hash} zeros={zeros} />
        </code>
      </div>
      <div className="toy-actions">
        {search.running ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={search.cancel}
            data-testid={`${testId}-cancel`}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => search.start(block, zeros, (nonce) => onChange({ nonce }))}
            data-testid={`${testId}-mine`}
          >
            Mine
          </button>
        )}
        {(search.running || search.tries > 0) && (
          <span className="muted toy-progress" role="status" data-testid={`${testId}-progress`}>
            {search.running ? 'searching… ' : 'found after '}
            {search.tries.toLocaleString('en-US')} tries · {formatHashRate(search.rate)}
          </span>
        )}
      </div>
    </article>
  );
}
