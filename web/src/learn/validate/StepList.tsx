// The three levels of validation, rule by rule: pass, fail with its code, or not reached.
import type { RuleStep } from '../../../../src/core/validation-steps.js';
import type { ValidationRun } from '../lib/validate.js';

const LEVELS = [
  { key: 'sanity', title: '1 · Sanity: the block alone (and the clock)' },
  { key: 'context', title: '2 · Context: the block on its parent' },
  { key: 'connect', title: '3 · Connect: the block against the coins' },
] as const;

function Step({ step }: { step: RuleStep }) {
  const label = step.status === 'pass' ? 'pass' : step.status === 'fail' ? step.error!.code : 'not reached';
  return (
    <li className={`learn-check ${step.status}`} data-testid="validate-step" data-status={step.status}>
      <span
        className={
          step.status === 'pass' ? 'badge badge-ok' : step.status === 'fail' ? 'badge badge-bad' : 'badge'
        }
      >
        {label}
      </span>{' '}
      {step.rule}
      {step.status !== 'fail' && step.code !== 'tx-sanity' && step.code !== 'tx-inputs' && (
        <span className="muted small"> · {step.code}</span>
      )}
      {step.error && <div className="muted small">{step.error.message}</div>}
    </li>
  );
}

export function StepList({ run, hasParent }: { run: ValidationRun; hasParent: boolean }) {
  const all = [...run.sanity, ...run.context, ...run.connect];
  const first = all.find((s) => s.status === 'fail');
  return (
    <>
      <p
        className="learn-verdict"
        role="status"
        data-testid="validate-summary"
        data-ok={!first}
        data-code={first?.error?.code}
        data-level={first?.level}
      >
        {first ? (
          <span className="badge badge-bad">
            invalid: {first.error!.code} ({first.level})
          </span>
        ) : (
          <span className="badge badge-ok">valid: every rule passes</span>
        )}
      </p>
      {LEVELS.map((level) => {
        const steps = run[level.key];
        return (
          <div key={level.key} className="learn-box" data-testid={`validate-${level.key}`}>
            <strong>{level.title}</strong>
            {steps.length > 0 ? (
              <ol className="learn-checks">
                {steps.map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rules in their fixed order.
                  <Step key={i} step={s} />
                ))}
              </ol>
            ) : (
              <p className="muted small">
                {level.key !== 'sanity' && !hasParent
                  ? 'The genesis block has no parent: only sanity applies.'
                  : 'Not reached: the node stops at the first rule that fails.'}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
}
