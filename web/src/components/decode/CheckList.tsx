// Every check the node ran on the decoded bytes, level by level, and the levels it could not run.
import type { DecodeJson, RuleStepJson } from '../../api/types.js';
import { Card } from '../ui.js';

function Check({ step }: { step: RuleStepJson }) {
  const badge =
    step.status === 'pass' ? 'badge badge-ok' : step.status === 'fail' ? 'badge badge-bad' : 'badge';
  const label = step.status === 'pass' ? 'pass' : step.status === 'fail' ? step.error!.code : 'not reached';
  return (
    <li className={`check-item ${step.status}`} data-testid="decode-check" data-status={step.status}>
      <span className={badge}>{label}</span> <span className="muted small">{step.level}</span> {step.rule}
      {step.error && <div className="muted small">{step.error.message}</div>}
    </li>
  );
}

export function CheckList({ result }: { result: DecodeJson }) {
  return (
    <Card title={`Checks run (${result.checks.length})`} testId="decode-checks">
      <ol className="check-list">
        {result.checks.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: checks in their fixed order.
          <Check key={i} step={s} />
        ))}
      </ol>
      {result.skipped.map((s) => (
        <p key={s.level} className="muted small" data-testid="decode-skipped">
          Not run — {s.level}: {s.reason}.
        </p>
      ))}
    </Card>
  );
}
