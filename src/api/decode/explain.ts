// A refusal explained: the rule code, the check that failed, what exactly failed, and the rule's
// sentence from docs/protocol.md (src/core/rule-sentences.ts).
import { RuleError } from '../../core/errors.js';
import { RULE_SENTENCES, RULE_TABLE_SOURCE } from '../../core/rule-sentences.js';
import type { RuleStep } from '../../core/validation-steps.js';
import type { RefusalJson, RuleStepJson } from '../schemas/index.js';

export function refusal(error: RuleError, level: string, check: string): RefusalJson {
  return {
    code: error.code,
    level,
    check,
    message: error.message,
    sentence: RULE_SENTENCES[error.code].sentence,
    source: RULE_TABLE_SOURCE,
    malleated: error.malleated,
  };
}

/** The first failed step of a list, explained. */
export function refusalOfSteps(steps: readonly RuleStep[]): RefusalJson | null {
  const failed = steps.find((s) => s.status === 'fail');
  if (!failed?.error) return null;
  return refusal(new RuleError(failed.error.code, failed.error.message), failed.level, failed.rule);
}

export const stepJson = (s: RuleStep): RuleStepJson => ({
  level: s.level,
  rule: s.rule,
  code: s.code,
  status: s.status,
  ...(s.error ? { error: { code: s.error.code, message: s.error.message } } : {}),
});
