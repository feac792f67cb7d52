// The rule records are the one home of each consensus rule: every consensus code of the protocol's rule
// table has a record, and each record's level is one the table gives its code.
import { describe, expect, it } from 'vitest';
import type { RuleCode } from '../../../src/core/errors.js';
import { RULE_SENTENCES } from '../../../src/core/rule-sentences.js';
import {
  BLOCK_CONTEXT_RULES,
  BODY_SANITY_RULES,
  COINBASE_AMOUNT_RULE,
  HEADER_CONTEXT_RULES,
  HEADER_SANITY_RULES,
  IN_BLOCK_DOUBLE_SPEND_RULE,
  INPUT_RULES,
  OVERSPEND_RULE,
  type Rule,
  SIGNATURE_RULE,
  TX_SANITY_RULES,
} from '../../../src/core/rules.js';

const records: readonly Rule<never>[] = [
  ...HEADER_SANITY_RULES,
  ...BODY_SANITY_RULES,
  ...TX_SANITY_RULES,
  ...HEADER_CONTEXT_RULES,
  ...BLOCK_CONTEXT_RULES,
  ...INPUT_RULES,
  OVERSPEND_RULE,
  IN_BLOCK_DOUBLE_SPEND_RULE,
  COINBASE_AMOUNT_RULE,
  SIGNATURE_RULE,
];

/** The table's levels for a code: "sanity / connect" is two. */
const levelsOf = (code: RuleCode) => RULE_SENTENCES[code].level.split(' / ');

describe('rule records', () => {
  it('cover every code the protocol lists at the sanity, context or connect level', () => {
    const consensus = (Object.keys(RULE_SENTENCES) as RuleCode[]).filter((code) =>
      levelsOf(code).some((l) => l === 'sanity' || l === 'context' || l === 'connect'),
    );
    const recorded = new Set(records.map((r) => r.code));
    expect(consensus.filter((code) => !recorded.has(code))).toEqual([]);
  });

  it.each(records.map((r) => [r.code, r.level, r.description] as const))(
    '%s at level %s ("%s") is at a level the rule table gives the code',
    (code, level) => {
      expect(levelsOf(code)).toContain(level);
    },
  );

  it('each level lists a code once (header and block context share their header records)', () => {
    for (const list of [HEADER_SANITY_RULES, BODY_SANITY_RULES, TX_SANITY_RULES, BLOCK_CONTEXT_RULES]) {
      const codes = list.map((r) => r.code);
      expect(new Set(codes).size).toBe(codes.length);
    }
    expect(BLOCK_CONTEXT_RULES.slice(0, HEADER_CONTEXT_RULES.length)).toEqual(HEADER_CONTEXT_RULES);
  });
});
