// The three levels of validation, rule by rule: pass, fail with its code, or not reached.
import type { RuleStep } from '../../../../src/core/validation-steps.js';
import type { ValidationRun } from '../lib/validate.js';

const LEVELS = [
  { key: 'sanity', title: '1 · Sanity: the block alone (and the clock)' },
  { key: 'context', title: '2 · Context: the block on its parent' },
  { key: 'connect', title: '3 · Connect: the block against the coins' },
] as const;

/** Whether a step is about transaction `i` (its rule names it: "transaction 2 on its own", …). */
const isAbout = (step: RuleStep, i: number | undefined) =>
  i !== undefined && new RegExp(`^transaction ${i}\\b`).test(step.rule);

function Step({ step, focus }: { step: RuleStep; focus: boolean }) {
  const label = step.status === 'pass' ? 'pass' : step.status === 'fail' ? step.error!.code : 'not reached';
  return (
    <li
      className={`learn-check ${step.status}${focus ? ' focus' : ''}`}
      data-testid="validate-step"
      data-status={step.status}
      data-focus={focus || undefined}
    >
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

export function StepList(props: { run: ValidationRun; hasParent: boolean; focusTx?: number }) {
  const { run, hasParent, focusTx } = props;
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
      {focusTx !== undefined && (
        <p className="small muted" data-testid="validate-focus">
          The steps of transaction {focusTx}, the one you came from, are outlined.
        </p>
      )}
      {LEVELS.map((level) => {
        const steps = run[level.key];
        return (
          <div key={level.key} className="learn-box" data-testid={`validate-${level.key}`}>
            <strong>{level.title}</strong>
            {steps.length > 0 ? (
              <ol className="learn-checks">
                {steps.map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rules in their fixed order.
                  <Step key={i} step={s} focus={isAbout(s, focusTx)} />
                ))}
              </ol>
            ) : (
              <p className="muted small">
                {level.key !== 'sanity' && !hasParent
                  ? 'No parent here (the genesis block, or a parent this node does not have): only sanity applies.'
                  : 'Not reached: the node stops at the first rule that fails.'}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
}
