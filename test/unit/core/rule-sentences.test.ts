// Every rule code the node can emit (a RuleError carries only RuleCodes) has a sentence, and that
// sentence is the one docs/protocol.md's rule-code table gives for it, cell for cell.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_CODES, type RuleCode } from '../../../src/core/errors.js';
import { RULE_SENTENCES } from '../../../src/core/rule-sentences.js';

const protocol = readFileSync(join(import.meta.dirname, '../../../docs/protocol.md'), 'utf8');

/** The rows of the table under "## Rule codes": code → [level, fires when]. */
function ruleTable(): Map<string, { level: string; sentence: string }> {
  const section = protocol.split('\n## Rule codes\n')[1]!.split('\n## ')[0]!;
  const rows = new Map<string, { level: string; sentence: string }>();
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([a-z0-9-]+)`\s*\|(.*)\|(.*)\|\s*$/.exec(line);
    if (m) rows.set(m[1]!, { level: m[2]!.trim(), sentence: m[3]!.trim() });
  }
  return rows;
}

describe('rule sentences', () => {
  const table = ruleTable();
  const codes = Object.keys(RULE_CODES) as RuleCode[];

  it('reads the whole table', () => {
    expect(table.size).toBeGreaterThanOrEqual(codes.length);
  });

  it.each(codes)('%s has a sentence, verbatim in the rule table of docs/protocol.md', (code) => {
    const mine = RULE_SENTENCES[code];
    expect(mine, `no sentence for ${code}`).toBeDefined();
    expect(table.get(code), `no row for ${code} in docs/protocol.md`).toEqual(mine);
    expect(protocol).toContain(mine.sentence);
  });

  it('the table names no code the node does not have', () => {
    expect([...table.keys()].filter((c) => !(c in RULE_CODES))).toEqual([]);
  });
});
