// The consensus rules one at a time, for showing a block's validation step by step (the decode API and
// the learn path). Each list runs the very records of rules.ts that checkBlockSanity / checkBlockContext /
// connectBlock + verifySigChecks run, in the same order, and reports every one: passed, failed, or not
// reached because an earlier rule failed (the node stops at the first failure).
import type { Block } from './block.js';
import { attempt, type RuleCode, type RuleError } from './errors.js';
import type { BlockHeader } from './header.js';
import type { NetworkParams } from './params.js';
import {
  BLOCK_CONTEXT_RULES,
  BLOCK_SIGCHECKS_RULE,
  type BlockContext,
  BlockFacts,
  BODY_SANITY_RULES,
  COINBASE_AMOUNT_RULE,
  HEADER_CONTEXT_RULES,
  HEADER_SANITY_RULES,
  HeaderFacts,
  type Rule,
  type RuleLevel,
  runRules,
  SIGNATURE_RULE,
  type SigCheck,
  TX_SANITY_RULES,
  type TxFacts,
  type Verifier,
} from './rules.js';
import { txid, txSize } from './tx.js';
import { BlockConnector, type CoinView } from './validation.js';

/** One rule's outcome: passed, failed with its code, or not reached because an earlier rule failed. */
export interface RuleStep {
  readonly level: RuleLevel;
  /** What the rule checks, in words. */
  readonly rule: string;
  /** The code the rule fails with; a transaction's rules together are 'tx-sanity' or 'tx-inputs'. */
  readonly code: RuleCode | 'tx-sanity' | 'tx-inputs';
  readonly status: 'pass' | 'fail' | 'not-reached';
  /** The code and message of a failure. */
  readonly error?: { readonly code: RuleCode; readonly message: string };
}

interface Check {
  readonly level: RuleLevel;
  readonly rule: string;
  readonly code: RuleStep['code'];
  /** Throws RuleError when the rule is broken. */
  readonly run: () => void;
}

const ruleCheck = <I>(r: Rule<I>, input: I, rule = r.description): Check => ({
  level: r.level,
  rule,
  code: r.code,
  run: () => r.check(input),
});

const each = <I>(rules: readonly Rule<I>[], input: I): Check[] => rules.map((r) => ruleCheck(r, input));

function runChecks(checks: readonly Check[]): RuleStep[] {
  let failed = false;
  return checks.map(({ level, rule, code, run }): RuleStep => {
    if (failed) return { level, rule, code, status: 'not-reached' };
    const r = attempt(run);
    if (r.ok) return { level, rule, code, status: 'pass' };
    failed = true;
    const error: RuleError = r.error;
    return { level, rule, code, status: 'fail', error: { code: error.code, message: error.message } };
  });
}

/** The first failure of a list of steps, if any. */
export const firstFailure = (steps: readonly RuleStep[]): RuleStep | undefined =>
  steps.find((s) => s.status === 'fail');

/** The rules a header alone can break (checkHeaderSanity), one step each. */
export const headerSanitySteps = (header: BlockHeader, params: NetworkParams, now: number): RuleStep[] =>
  runChecks(each(HEADER_SANITY_RULES, new HeaderFacts(header, params, now)));

/** The sanity rules of checkBlockSanity, one step each, then each transaction's sanity (checkTxSanity). */
export function sanitySteps(
  block: Block,
  params: NetworkParams,
  now: number,
  encodedSize?: number,
): RuleStep[] {
  const facts = new BlockFacts(block, params, now, encodedSize);
  let total = 0;
  return runChecks([
    ...each(HEADER_SANITY_RULES, facts),
    ...each(BODY_SANITY_RULES, facts),
    ...block.txs.map(
      (tx, i): Check => ({
        level: 'sanity',
        rule: `transaction ${i} on its own`,
        code: 'tx-sanity',
        run: () => {
          const txFacts: TxFacts = { tx, size: txSize(tx) };
          runRules(TX_SANITY_RULES, txFacts);
          total += txFacts.sigChecks ?? tx.inputs.length;
        },
      }),
    ),
    ruleCheck(BLOCK_SIGCHECKS_RULE, {
      get total() {
        return total;
      },
    }),
  ]);
}

/** The rules of checkHeaderContext, one step each. */
export const headerContextSteps = (header: BlockHeader, ctx: BlockContext): RuleStep[] =>
  runChecks(each(HEADER_CONTEXT_RULES, { header, ctx }));

/** The rules of checkBlockContext, one step each. */
export const contextSteps = (block: Block, ctx: BlockContext): RuleStep[] =>
  runChecks(each(BLOCK_CONTEXT_RULES, { block, header: block.header, ctx }));

/**
 * The rules of connectBlock, then the signatures (verifySigChecks): each transaction's inputs in
 * block order (against the coins plus earlier outputs of the block), the coinbase amount, then each
 * transaction's signatures. `view` is the UTXO set of the parent.
 */
export function connectSteps(
  block: Block,
  height: number,
  view: CoinView,
  params: NetworkParams,
  verify: Verifier,
): RuleStep[] {
  const connector = new BlockConnector(block, block.txs.map(txid), height, view, params);
  const sigChecks: (readonly SigCheck[])[] = [];
  const others = block.txs.slice(1).map((_, j) => j + 1);
  return runChecks([
    ...others.map(
      (i): Check => ({
        level: 'connect',
        rule: `transaction ${i}: its inputs exist, are mature, belong to its keys or policies, have waited their relative locks and cover its outputs`,
        code: 'tx-inputs',
        run: () => {
          sigChecks[i] = connector.connectTx(i);
        },
      }),
    ),
    {
      level: COINBASE_AMOUNT_RULE.level,
      rule: COINBASE_AMOUNT_RULE.description,
      code: COINBASE_AMOUNT_RULE.code,
      run: () => void connector.finish(),
    },
    ...others.map((i) =>
      ruleCheck(
        SIGNATURE_RULE,
        {
          get checks() {
            return sigChecks[i] ?? [];
          },
          verify,
        },
        `transaction ${i}: ${SIGNATURE_RULE.description}`,
      ),
    ),
  ]);
}
