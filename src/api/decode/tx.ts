// A loose transaction in bytes, judged as the mempool would judge it (src/mempool/admit.ts: the same
// code, on the current tip and pool), with nothing added to the pool and nothing relayed. A transaction
// the node already has is described, not judged again (it would only be `already-known`).
import { toHex } from '../../core/bytes.js';
import { RuleError } from '../../core/errors.js';
import { RULE_SENTENCES } from '../../core/rule-sentences.js';
import { type Tx, txid } from '../../core/tx.js';
import type { DecodeJson } from '../schemas/index.js';
import { txView } from '../views.js';
import type { DecodeContext } from './context.js';
import { refusal } from './explain.js';

/** The check each policy code stands for, in the order of docs/protocol.md's mempool policy. */
const POLICY_CHECKS: Partial<Record<RuleError['code'], string>> = {
  'already-known': 'the transaction is neither in the mempool nor confirmed',
  'non-final':
    'it is not a coinbase (those exist only inside a block), and its lock time is reached by the next block',
  'bad-version': 'the transaction on its own: version 1 or 2',
  'tx-too-large': 'the transaction on its own: at most 100,000 bytes',
  'no-outputs': 'the transaction on its own: at least one output',
  'bad-amount': 'the transaction on its own: every amount in range',
  'bad-data-size': 'the transaction on its own: a data record of at most 1,024 bytes',
  'double-spend': 'no outpoint spent twice, by itself or by a pending transaction',
  'bad-sequence':
    "the transaction on its own: each input's sequence a relative lock of at most 65,535 blocks, or none",
  'policy-too-large': 'the transaction on its own: each revealed policy at most 1,024 bytes',
  'bad-policy': 'the transaction on its own: each revealed policy decodes',
  'policy-unsatisfied': "the transaction on its own: each policy spend's witness satisfies its policy",
  'too-many-sigchecks': 'the transaction on its own: at most 1,000 signature checks',
  'missing-inputs': 'every input spends an unspent output (of the tip or of a pending transaction)',
  'immature-coinbase': 'every coinbase output spent is mature at the next block',
  'bad-pubkey': "every key spend's public key hashes to the address of the output it spends",
  'policy-hash-mismatch': "every policy spend's policy hashes to the address of the output it spends",
  'non-bip68-final': "every input's relative lock is reached by the next block",
  overspend: 'the outputs total at most the inputs',
  'bad-signature': 'every signature verifies over the sighash',
  'fee-too-low': "the fee rate is at least the node's minimum",
  'too-long-mempool-chain': 'the chain of pending ancestors and descendants stays within the limits',
  'mempool-full': 'there is room in the mempool, or transactions of a lower fee rate to evict',
};

const POLICY_RULE = "the node's admission checks for a loose transaction (docs/protocol.md, Mempool policy)";

export async function judgeTx(ctx: DecodeContext, tx: Tx, bytes: Uint8Array): Promise<DecodeJson> {
  const id = txid(tx);
  const knowledge = await ctx.describeTx(tx, toHex(id));
  const fields = txView(ctx.params, tx, {
    confirmations: knowledge.confirmations,
    spent: knowledge.spent,
    txid: id,
    ...(knowledge.block ? { block: knowledge.block } : {}),
  });
  let refused: DecodeJson['refusal'] = null;
  const skipped: DecodeJson['skipped'] = [];
  if (knowledge.known) {
    skipped.push({ level: 'policy', reason: `the node already has it (${knowledge.known})` });
  } else {
    try {
      await ctx.checkTx(tx, bytes);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      refused = refusal(e, RULE_SENTENCES[e.code].level, POLICY_CHECKS[e.code] ?? POLICY_RULE);
    }
  }
  const ran = knowledge.known === null;
  return {
    kind: 'tx',
    size: bytes.length,
    hash: fields.txid,
    header: null,
    height: knowledge.block?.height ?? null,
    txs: [fields],
    known: knowledge.known,
    valid: refused === null,
    checks: ran
      ? [
          {
            level: 'policy',
            rule: POLICY_RULE,
            code: refused?.code ?? 'tx-policy',
            status: refused ? 'fail' : 'pass',
            ...(refused ? { error: { code: refused.code, message: refused.message } } : {}),
          },
        ]
      : [],
    skipped,
    refusal: refused,
  };
}
