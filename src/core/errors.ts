// Every consensus and policy rule has a stable string code. Tests assert codes, never messages.

export const RULE_CODES = {
  // encoding
  'bad-encoding': 'bytes are truncated, have trailing data or a non-canonical varint',
  // transaction alone
  'bad-version': 'unknown transaction or block version',
  'no-outputs': 'a transaction must have at least one output',
  'bad-amount':
    'an output amount is out of range (zero outside a coinbase), or amounts exceed the money supply',
  'bad-data-size': 'the data record is larger than allowed',
  'tx-too-large': 'the transaction is larger than allowed',
  'bad-sequence':
    "an input's sequence is neither a relative lock of at most 65,535 blocks nor marked as none",
  'policy-too-large': 'a revealed spending policy is larger than allowed',
  'bad-policy': 'a revealed spending policy does not decode or breaks its limits',
  'policy-unsatisfied': 'a witness does not satisfy its spending policy',
  'too-many-sigchecks': 'too many signature checks in a transaction or block',
  // transaction against the UTXO set
  'missing-inputs': 'an input spends an output that does not exist (or is already spent)',
  'double-spend': 'an output is spent twice',
  'bad-pubkey': "an input's public key does not hash to the spent output's address",
  'bad-signature': 'a signature does not verify',
  overspend: 'outputs are worth more than the inputs',
  'immature-coinbase': 'a coinbase output is spent before it matures',
  'policy-hash-mismatch': "a revealed spending policy does not hash to the spent output's policy hash",
  'non-bip68-final': "an input's relative lock (its sequence) is not reached yet",
  // coinbase
  'bad-coinbase': 'the first transaction, and only it, must be a coinbase',
  'bad-coinbase-data': 'the coinbase data record must start with height and extra-nonce',
  'bad-coinbase-height': 'the coinbase does not carry the block height',
  'bad-coinbase-amount': 'the coinbase pays more than subsidy plus fees',
  // block alone
  'bad-pow': 'the header hash is above the target',
  'bad-merkle-root': 'the Merkle root does not match the transactions',
  'duplicate-tx': 'the block contains the same transaction twice',
  'bad-sig-commitment': "the coinbase's signature root does not match the transactions' signatures",
  'block-too-large': 'the block is larger than allowed',
  'time-too-new': 'the block timestamp is more than 2 hours in the future',
  // block in context
  'bad-prev-block': 'the previous block is invalid',
  'bad-bits': 'the difficulty target is not the one the chain requires',
  'time-too-old': 'the block timestamp is not above the median of the last 11 blocks',
  'time-timewarp-attack':
    'the first block of a retarget window is more than 600 seconds earlier than the last block of the previous one',
  // mempool policy
  'already-known': 'the transaction is already known',
  'fee-too-low': 'the fee rate is below the minimum relay fee rate',
  'mempool-full': 'the mempool is full and the fee rate is too low to evict others',
  'too-long-mempool-chain': 'the transaction would exceed the mempool ancestor or descendant limits',
  'non-final': "the transaction's lock time is not reached yet (or it is a coinbase outside a block)",
  'too-many-replacements': 'a replacement would evict more than 100 mempool transactions',
  'replacement-spends-conflict': 'a replacement spends an output of a transaction it replaces',
  'replacement-adds-unconfirmed':
    'a replacement spends an unconfirmed output the replaced ones did not spend',
  'replacement-fee-rate-too-low': 'a replacement does not pay a higher fee rate than what it replaces',
  'insufficient-fee-replacement':
    'a replacement does not pay the fees it evicts plus the relay fee for its own size',
} as const;

export type RuleCode = keyof typeof RULE_CODES;

/**
 * A consensus or policy rule broken by some data. `malleated` marks failures where the block
 * header (and so its hash) can still belong to a valid block: the body we got was corrupted,
 * so the hash must not be marked invalid forever (see MALLEABLE).
 */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  /** `corruptedCopy` overrides the code's default, for a block dropped with a corrupted ancestor. */
  constructor(
    readonly code: RuleCode,
    message: string = RULE_CODES[code],
    private readonly corruptedCopy?: boolean,
  ) {
    super(message);
  }

  get malleated(): boolean {
    return this.corruptedCopy ?? MALLEABLE.has(this.code);
  }

  toJSON(): { error: RuleCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

// The only failures a corrupted copy of a valid block can produce. checkBlockSanity checks the body
// against the header's Merkle root, then the signatures against the coinbase's signature root, before
// any other body rule: bytes that do not decode, a body the root does not commit to (or commits to only
// through a repeated txid), signatures the signature root does not commit to. Any other failure
// condemns the header itself. `bad-signature` stays in the list although the signature root now
// commits to every signature (a copy with other signatures fails `bad-sig-commitment` first): a node
// that drops such a block without condemning its hash only re-checks it if it comes again.
const MALLEABLE = new Set<RuleCode>([
  'bad-encoding',
  'bad-merkle-root',
  'duplicate-tx',
  'bad-sig-commitment',
  'bad-signature',
]);

export type Result<T> = { ok: true; value: T } | { ok: false; error: RuleError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: RuleCode, message?: string): Result<T> => ({
  ok: false,
  error: new RuleError(code, message),
});

/** Runs a function that throws RuleError (decoders do) and turns the throw into a Result. */
export function attempt<T>(fn: () => T): Result<T> {
  try {
    return ok(fn());
  } catch (e) {
    if (e instanceof RuleError) return { ok: false, error: e };
    throw e;
  }
}
