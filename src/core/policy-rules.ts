// The sanity rules of version 2 and spending policies (docs/protocol.md, "Version 2" and "Spending
// policies"): sequences, the revealed policies and their witnesses, all on the transaction alone, and
// the signature-check limits. Lock times are a context rule (context-rules.ts); policy hashes and
// relative locks connect rules (connect-rules.ts).
import { RuleError } from './errors.js';
import { isValidSequence } from './locks.js';
import { MAX_BLOCK_SIGCHECKS, MAX_POLICY_SIZE, MAX_TX_SIGCHECKS } from './params.js';
import { checkWitness, decodePolicy, type Policy } from './policy/index.js';
import { broken, type Rule } from './rule.js';
import { inputSequence, TX_VERSION_2, type Tx, txLockTime } from './tx.js';

/** A transaction and what its sanity rules work out once. */
export interface TxFacts {
  readonly tx: Tx;
  /** Its serialized size (txSize). */
  readonly size: number;
  /** Each policy spend's decoded policy, by input index (set by the bad-policy rule). */
  policies?: (Policy | undefined)[];
  /** Its signature checks (set by the too-many-sigchecks rule). */
  sigChecks?: number;
}

const NO_WITNESS = new Uint8Array(0);

/** Runs `check` with a failure's message prefixed by the input it concerns. */
function forInput(i: number, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof RuleError) throw new RuleError(e.code, `input ${i}: ${e.message}`);
    throw e;
  }
}

/** After the version 1 sanity rules, in this order. */
export const TX_POLICY_SANITY_RULES: readonly Rule<TxFacts>[] = [
  {
    level: 'sanity',
    code: 'bad-sequence',
    description: "each input's sequence has no relative lock or one of at most 65,535 blocks",
    check: ({ tx }) => {
      if (tx.version !== TX_VERSION_2) return;
      for (const [i, input] of tx.inputs.entries()) {
        const sequence = inputSequence(input);
        if (!isValidSequence(sequence)) {
          broken(
            'bad-sequence',
            `input ${i}: sequence 0x${sequence.toString(16)} has bit 31 clear and is above 0xffff`,
          );
        }
      }
    },
  },
  {
    level: 'sanity',
    code: 'policy-too-large',
    description: `each revealed policy is at most ${MAX_POLICY_SIZE.toLocaleString('en-US')} bytes`,
    check: ({ tx }) => {
      if (tx.version !== TX_VERSION_2) return; // version 1 has no policy spends
      for (const [i, input] of tx.inputs.entries()) {
        if (input.policy && input.policy.length > MAX_POLICY_SIZE) {
          broken(
            'policy-too-large',
            `input ${i}: a policy of ${input.policy.length} bytes exceeds ${MAX_POLICY_SIZE}`,
          );
        }
      }
    },
  },
  {
    level: 'sanity',
    code: 'bad-policy',
    description: 'each revealed policy decodes',
    check: (f) => {
      if (f.tx.version !== TX_VERSION_2) return;
      f.policies = f.tx.inputs.map((input, i) => {
        if (input.policy === undefined) return undefined;
        let policy: Policy | undefined;
        forInput(i, () => {
          policy = decodePolicy(input.policy!);
        });
        return policy;
      });
    },
  },
  {
    level: 'sanity',
    code: 'policy-unsatisfied',
    description: "each policy spend's witness satisfies its policy",
    check: (f) => {
      const { tx } = f;
      if (tx.version !== TX_VERSION_2) return; // one check per input, counted as such below
      let checks = 0;
      const lockTime = txLockTime(tx);
      for (const [i, input] of tx.inputs.entries()) {
        const policy = f.policies?.[i];
        if (!policy) {
          checks++;
          continue;
        }
        forInput(i, () => {
          const sequence = inputSequence(input);
          checks += checkWitness(policy, input.witness ?? NO_WITNESS, { lockTime, sequence }).signatures
            .length;
        });
      }
      f.sigChecks = checks;
    },
  },
  {
    level: 'sanity',
    code: 'too-many-sigchecks',
    description: `at most ${MAX_TX_SIGCHECKS.toLocaleString('en-US')} signature checks`,
    check: ({ tx, sigChecks }) => {
      const n = sigChecks ?? tx.inputs.length;
      if (n > MAX_TX_SIGCHECKS)
        broken('too-many-sigchecks', `${n} signature checks exceed ${MAX_TX_SIGCHECKS} per transaction`);
    },
  },
];

export interface BlockSigChecks {
  readonly total: number;
}

/** After every transaction's sanity. */
export const BLOCK_SIGCHECKS_RULE: Rule<BlockSigChecks> = {
  level: 'sanity',
  code: 'too-many-sigchecks',
  description: `at most ${MAX_BLOCK_SIGCHECKS.toLocaleString('en-US')} signature checks in the block`,
  check: ({ total }) => {
    if (total > MAX_BLOCK_SIGCHECKS)
      broken('too-many-sigchecks', `${total} signature checks exceed ${MAX_BLOCK_SIGCHECKS} per block`);
  },
};
