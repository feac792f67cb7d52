// Every consensus rule once: a record of its level, its code, what it checks in words, and the check.
// The validators (validation.ts) run these lists in order and stop at the first failure; the
// step-through (validation-steps.ts, shown by the decode API and the learn path) runs the same records
// and reports each one. docs/protocol.md gives the same order; rule-sentences.ts holds each code's
// sentence from its rule table. A check throws RuleError (via `broken`) when its rule is broken.
export * from './connect-rules.js';
export * from './context-rules.js';
export * from './policy-rules.js';
export * from './rule.js';
export * from './sanity-rules.js';
