// A policy witness part by part: masks, branch bytes, signatures and preimages, each with its bytes.
import type { WitnessPart } from '../lib/policy-witness.js';

export function WitnessView({ parts, testId }: { parts: readonly WitnessPart[]; testId: string }) {
  const size = parts.reduce((n, p) => n + p.hex.length / 2, 0);
  return (
    <div className="policy-witness" data-testid={testId}>
      <div className="small">
        <strong>Witness</strong> · {size} bytes (outside the txid, like a signature)
      </div>
      {parts.length === 0 && <div className="small muted">empty</div>}
      <ol className="plain-list">
        {parts.map((p) => (
          <li
            key={`${p.label}:${p.hex}`}
            className={`wp wp-${p.kind}`}
            data-testid={`${testId}-${p.kind}`}
            data-picks={p.picks?.join(',')}
          >
            <span className="small">{p.label}</span>
            <code className="hash hash-full">{p.hex}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}
