// What each rule code means, in the words of docs/protocol.md's rule-code table: `level` and `sentence`
// are that table's cells, verbatim (test/unit/core/rule-sentences.test.ts checks every row), so the
// API's explanations of a refusal (POST /api/v1/decode) and the specification cannot drift apart.
// Typed by RuleCode: a new rule code does not compile until it has its row here and in the table.
import type { RuleCode } from './errors.js';

export interface RuleSentence {
  /** The table's level column: decoding, sanity, context, connect, chain or mempool policy. */
  readonly level: string;
  /** The table's "fires when" column. */
  readonly sentence: string;
}

/** Where the sentences come from, for a reader who wants the whole rule. */
export const RULE_TABLE_SOURCE = 'docs/protocol.md#rule-codes';

export const RULE_SENTENCES: Readonly<Record<RuleCode, RuleSentence>> = {
  'bad-encoding': {
    level: 'decoding',
    sentence:
      'bytes truncated, trailing bytes, non-canonical varint, impossible counts, data > 100,000 bytes',
  },
  'bad-version': {
    level: 'sanity',
    sentence: 'block version ≠ 1, or a transaction version other than 1 and 2',
  },
  'no-outputs': { level: 'sanity', sentence: 'a transaction (coinbase included) has no outputs' },
  'bad-amount': {
    level: 'sanity',
    sentence: 'a non-coinbase output is 0, an output is above `MAX_MONEY`, or outputs sum above it',
  },
  'bad-data-size': { level: 'sanity', sentence: 'a non-coinbase data record exceeds 1,024 bytes' },
  'tx-too-large': { level: 'sanity', sentence: 'a transaction exceeds 100,000 bytes' },
  'missing-inputs': {
    level: 'connect',
    sentence: "an input's outpoint is not an unspent output of this branch",
  },
  'double-spend': {
    level: 'sanity / connect',
    sentence:
      'one transaction spends an outpoint twice / two transactions of a block spend the same outpoint',
  },
  'bad-pubkey': {
    level: 'connect',
    sentence: "an input's public key does not hash to the spent output's address",
  },
  'bad-signature': { level: 'connect', sentence: 'a signature does not verify' },
  overspend: { level: 'connect', sentence: "a transaction's outputs exceed its inputs" },
  'immature-coinbase': {
    level: 'connect',
    sentence: 'a coinbase output is spent before `coinbaseMaturity` blocks',
  },
  'bad-coinbase': {
    level: 'sanity',
    sentence: 'the block has no transactions, its first is not a coinbase, or a later one is',
  },
  'bad-coinbase-data': { level: 'sanity', sentence: 'the coinbase data record is not 44 to 100 bytes' },
  'bad-coinbase-height': { level: 'context', sentence: 'the coinbase height field is not the block height' },
  'bad-coinbase-amount': { level: 'connect', sentence: 'the coinbase pays more than subsidy plus fees' },
  'bad-pow': { level: 'sanity', sentence: 'the header hash is above the target' },
  'bad-merkle-root': { level: 'sanity', sentence: 'the Merkle root does not match the transactions' },
  'duplicate-tx': { level: 'sanity', sentence: 'the same txid appears twice in the block' },
  'bad-sig-commitment': {
    level: 'sanity',
    sentence: 'the signatures do not give the signature root the coinbase carries',
  },
  'block-too-large': { level: 'sanity', sentence: 'the serialized block exceeds 1,000,000 bytes' },
  'time-too-new': { level: 'sanity', sentence: "the block time is more than 7,200 s after the node's clock" },
  'bad-prev-block': { level: 'chain', sentence: 'the parent (or an ancestor) is invalid' },
  'bad-bits': {
    level: 'sanity / context',
    sentence: 'bits with no valid target, zero or above `powLimit` / not the bits the chain requires',
  },
  'time-too-old': { level: 'context', sentence: 'the block time is not above the median time past' },
  'time-timewarp-attack': {
    level: 'context',
    sentence: "at a retarget height, the block time is more than 600 s before its parent's",
  },
  'already-known': {
    level: 'mempool policy',
    sentence: 'the transaction is already in the mempool or the chain',
  },
  'bad-sequence': {
    level: 'sanity',
    sentence: "an input's sequence is neither a relative lock of at most 65,535 blocks nor has bit 31 set",
  },
  'policy-too-large': { level: 'sanity', sentence: 'a revealed spending policy exceeds 1,024 bytes' },
  'bad-policy': {
    level: 'sanity',
    sentence: "a revealed spending policy does not decode, breaks a fragment's range or nests too deep",
  },
  'policy-unsatisfied': {
    level: 'sanity',
    sentence:
      'a witness does not satisfy its policy: shape, masks, branches, preimages, lock time or sequence',
  },
  'too-many-sigchecks': {
    level: 'sanity',
    sentence: 'a transaction holds more than 1,000 signature checks, or a block more than 8,000',
  },
  'policy-hash-mismatch': {
    level: 'connect',
    sentence: "a revealed policy does not hash to the spent output's policy hash",
  },
  'non-bip68-final': {
    level: 'connect / mempool policy',
    sentence:
      "an input's relative lock is not reached at the block's height (for the pool: the next block's)",
  },
  'fee-too-low': { level: 'mempool policy', sentence: 'the fee rate is below the minimum relay fee rate' },
  'mempool-full': {
    level: 'mempool policy',
    sentence: 'the mempool is full and the fee rate is too low to evict others',
  },
  'too-long-mempool-chain': {
    level: 'mempool policy',
    sentence:
      "the transaction would pass the pool's ancestor or descendant limits (25 transactions, 101,000 bytes)",
  },
  'non-final': {
    level: 'context / mempool policy',
    sentence:
      "a transaction's lock time is not reached at the block's height or median time past (for the pool: the next block's), or a coinbase was submitted as a loose transaction",
  },
  'too-many-replacements': {
    level: 'mempool policy',
    sentence:
      'a replacement would evict more than 100 pool transactions (its conflicts and their descendants)',
  },
  'replacement-spends-conflict': {
    level: 'mempool policy',
    sentence: 'a replacement spends an output of a transaction it would replace',
  },
  'replacement-adds-unconfirmed': {
    level: 'mempool policy',
    sentence: 'a replacement spends an output of a pool transaction that none of its conflicts spends',
  },
  'replacement-fee-rate-too-low': {
    level: 'mempool policy',
    sentence: "a replacement's fee rate is not above the fee rate of each transaction it conflicts with",
  },
  'insufficient-fee-replacement': {
    level: 'mempool policy',
    sentence:
      "a replacement's fee is below the fees of everything it evicts plus the minimum relay fee rate × its size",
  },
};
