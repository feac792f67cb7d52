// Turning a partially signed transaction into a signed one, and saying what it still lacks. Only
// signatures that verify over the transaction's sighash count: a bad one is reported, never used.
import { fromHex, toHex } from '../core/bytes.js';
import { policySigChecks, satisfy } from '../core/policy/index.js';
import { inputSequence, type Tx, txLockTime } from '../core/tx.js';
import { checkTxSanity } from '../core/validation.js';
import { verify } from '../crypto/ed25519.js';
import { WalletError } from './errors.js';
import { decodePolicyOrThrow, missingForPolicy } from './policy-info.js';
import { inputKeys, type Psbt, psbtSighash } from './psbt.js';

export interface PsbtInputStatus {
  /** 'key' for a key coin, else the policy's kind of spend. */
  readonly kind: 'key' | 'policy';
  /** Public keys (hex) whose signature is present and verifies. */
  readonly signedBy: readonly string[];
  /** Public keys (hex) whose signature is present but does not verify. */
  readonly badSignatures: readonly string[];
  /** Keys that may still sign (hex). */
  readonly unsignedKeys: readonly string[];
  /** The fewest signatures any way of spending needs. */
  readonly signaturesNeeded: number;
  /** Hashes (hex) whose preimage is present. */
  readonly preimages: readonly string[];
  /** Whether this input can be finalized now (with the transaction's lock time and the input's sequence). */
  readonly complete: boolean;
  /** What is missing, as a sentence, when not complete. */
  readonly missing?: string;
}

interface Gathered {
  readonly valid: Map<string, Uint8Array>;
  readonly bad: string[];
}

function gather(psbt: Psbt, n: number, message: Uint8Array): Gathered {
  const valid = new Map<string, Uint8Array>();
  const bad: string[] = [];
  for (const [key, signature] of psbt.inputs[n]!.signatures) {
    if (verify(fromHex(key), message, signature)) valid.set(key, signature);
    else bad.push(key);
  }
  return { valid, bad };
}

/** One input's witness (a policy spend) or signature (a key spend), or what is missing. */
function finishInput(
  psbt: Psbt,
  n: number,
  gathered: Gathered,
): { witness?: Uint8Array; signature?: Uint8Array; missing?: string } {
  const input = psbt.tx.inputs[n]!;
  if (input.policy === undefined) {
    const signature = gathered.valid.get(toHex(input.publicKey));
    return signature ? { signature } : { missing: `a signature by ${toHex(input.publicKey).slice(0, 8)}…` };
  }
  const policy = decodePolicyOrThrow(input.policy, `input ${n}'s policy`);
  const preimages = psbt.inputs[n]!.preimages;
  const available = {
    lockTime: txLockTime(psbt.tx),
    sequence: inputSequence(input),
    signature: (key: Uint8Array) => gathered.valid.get(toHex(key)),
    preimage: (hash: Uint8Array) => preimages.get(toHex(hash)),
  };
  const witness = satisfy(policy, available);
  if (witness) return { witness };
  return { missing: missingForPolicy(policy, available) ?? 'a satisfaction the wallet could not find' };
}

/** Per input: who signed, what is missing, whether it can be finalized. */
export function psbtStatus(psbt: Psbt): PsbtInputStatus[] {
  const message = psbtSighash(psbt);
  return psbt.tx.inputs.map((input, n) => {
    const gathered = gather(psbt, n, message);
    const done = finishInput(psbt, n, gathered);
    const keys = inputKeys(psbt, n);
    return {
      kind: input.policy === undefined ? 'key' : 'policy',
      signedBy: [...gathered.valid.keys()].sort(),
      badSignatures: gathered.bad.sort(),
      unsignedKeys: keys.filter((k) => !gathered.valid.has(k)),
      signaturesNeeded:
        input.policy === undefined ? 1 : policySigChecks(decodePolicyOrThrow(input.policy)).min,
      preimages: [...psbt.inputs[n]!.preimages.keys()].sort(),
      complete: done.missing === undefined,
      ...(done.missing !== undefined ? { missing: done.missing } : {}),
    };
  });
}

/**
 * The signed transaction: each key spend gets its signature, each policy spend the smallest witness
 * satisfying its policy. Throws WalletError('psbt-incomplete') naming every input still missing what.
 */
export function finalizePsbt(psbt: Psbt): Tx {
  const message = psbtSighash(psbt);
  const problems: string[] = [];
  const inputs = psbt.tx.inputs.map((input, n) => {
    const done = finishInput(psbt, n, gather(psbt, n, message));
    if (done.missing !== undefined) {
      problems.push(`input ${n} (${toHex(input.prevTxid)}:${input.prevIndex}) needs ${done.missing}`);
      return input;
    }
    return done.witness ? { ...input, witness: done.witness } : { ...input, signature: done.signature! };
  });
  if (problems.length > 0)
    throw new WalletError('psbt-incomplete', `not ready to finalize: ${problems.join('; ')}`);
  const tx: Tx = { ...psbt.tx, inputs };
  const refused = checkTxSanity(tx);
  if (refused)
    throw new WalletError('bad-psbt', `the finished transaction breaks ${refused.code}: ${refused.message}`);
  return tx;
}
