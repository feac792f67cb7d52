// A transaction's validation, check by check: pass, fail with the rule code, or not reached.
import type { TxCheck } from '../lib/utxo.js';

export function TxChecks({ checks, testId }: { checks: readonly TxCheck[]; testId: string }) {
  const failed = checks.find((c) => c.status === 'fail');
  return (
    <div data-testid={testId} data-ok={!failed} data-code={failed?.code}>
      <ol className="learn-checks">
        {checks.map((c) => (
          <li key={c.rule} className={`learn-check ${c.status}`}>
            <span
              className={
                c.status === 'pass' ? 'badge badge-ok' : c.status === 'fail' ? 'badge badge-bad' : 'badge'
              }
            >
              {c.status === 'pass' ? 'pass' : c.status === 'fail' ? c.code : 'not reached'}
            </span>{' '}
            {c.rule}
            {c.message && <div className="muted small">{c.message}</div>}
          </li>
        ))}
      </ol>
    </div>
  );
}
