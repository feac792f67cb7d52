// A simulated chain's last blocks, newest last, each with its height and what it holds.
import type { Lab } from '../lib/policy-lab.js';

const SHOWN = 6;

export function ChainStrip(props: {
  lab: Lab;
  name: string;
  marks?: Record<number, string>;
  testId: string;
}) {
  const blocks = props.lab.chain.branch(props.lab.tip.hash);
  const recent = blocks.slice(-SHOWN);
  return (
    <div className="policy-chain" data-testid={props.testId} data-height={props.lab.tip.height}>
      <div className="small">
        <strong>{props.name}</strong> · {props.lab.params.name} · height {props.lab.tip.height} · next block{' '}
        {props.lab.nextHeight}
      </div>
      <div className="race-blocks">
        {blocks.length > SHOWN && <span className="muted small">…</span>}
        {recent.map((e) => (
          <span key={e.hash} className={`race-block${e.txids.length > 1 ? ' marked' : ''}`} title={e.label}>
            #{e.height}
            <small>
              {props.marks?.[e.height] ?? (e.txids.length > 1 ? `${e.txids.length - 1} tx` : 'empty')}
            </small>
          </span>
        ))}
      </div>
    </div>
  );
}
