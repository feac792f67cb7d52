// A consensus rule as one record (level, code, description, check), and how the validators run a list.
import { type RuleCode, RuleError } from './errors.js';

export type RuleLevel = 'sanity' | 'context' | 'connect';

/** One consensus rule. */
export interface Rule<I> {
  readonly level: RuleLevel;
  /** The code the rule fails with. */
  readonly code: RuleCode;
  /** What the rule checks, in words (the step-through shows it). */
  readonly description: string;
  /** Throws RuleError when the rule is broken. */
  readonly check: (input: I) => void;
}

/** Throws the RuleError of a broken rule. */
export const broken = (code: RuleCode, message?: string): never => {
  throw new RuleError(code, message);
};

/** Runs rules in order; the first broken one throws. */
export function runRules<I>(rules: readonly Rule<I>[], input: I): void {
  for (let i = 0; i < rules.length; i++) rules[i]!.check(input);
}
