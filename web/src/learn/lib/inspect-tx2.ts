// The inspector's fields of a version 2 transaction (docs/protocol.md, "Version 2"): each input's
// sequence and unlock kind, a policy spend's revealed policy (as text) and its witness part by part,
// each output's kind, and the lock time. Witnesses and signatures are outside the txid.
import { toHex, varintSize } from '../../../../src/core/bytes.js';
import {
  LOCKTIME_THRESHOLD,
  SEQUENCE_FINAL,
  SEQUENCE_NO_RELATIVE_LOCK,
} from '../../../../src/core/params.js';
import { decodePolicy, type Policy, policyText } from '../../../../src/core/policy/index.js';
import { inputSequence, isPolicyAddress, type Tx, txLockTime } from '../../../../src/core/tx.js';
import type { AddField, FieldKind } from './inspect.js';
import { witnessParts } from './policy-witness.js';

/** What a sequence means: final, no relative lock, or a relative lock of n blocks. */
export function sequenceMeaning(sequence: number): string {
  const hex = `0x${(sequence >>> 0).toString(16).padStart(8, '0')}`;
  if (sequence === SEQUENCE_FINAL) return `${hex} (final)`;
  if ((sequence & SEQUENCE_NO_RELATIVE_LOCK) !== 0)
    return `${hex} (no relative lock; lets the lock time count)`;
  return `${sequence} (relative lock: ${sequence} blocks after the coin's block)`;
}

export function lockTimeMeaning(lockTime: number): string {
  if (lockTime === 0) return '0 (none)';
  return lockTime < LOCKTIME_THRESHOLD
    ? `${lockTime} (not before block ${lockTime})`
    : `${lockTime} (a time)`;
}

const decoded = (bytes: Uint8Array): Policy | undefined => {
  try {
    return decodePolicy(bytes);
  } catch {
    return undefined;
  }
};

/** Every field of an encoded version 2 transaction up to its data record, in byte order. */
export function tx2Fields(tx: Tx, add: AddField): void {
  add('version', 'version', 4, String(tx.version));
  add('input count', 'count', varintSize(tx.inputs.length), String(tx.inputs.length));
  tx.inputs.forEach((input, i) => {
    add(`input ${i}: spent txid`, 'outpoint', 32, toHex(input.prevTxid));
    add(`input ${i}: output index`, 'index', 4, String(input.prevIndex));
    add(`input ${i}: sequence`, 'sequence', 4, sequenceMeaning(inputSequence(input)));
    if (input.policy === undefined) {
      add(`input ${i}: unlock kind`, 'count', 1, '0 (a key spend)');
      add(`input ${i}: public key`, 'key', 32, toHex(input.publicKey));
      add(`input ${i}: signature`, 'signature', 64, toHex(input.signature), false);
      return;
    }
    const policy = decoded(input.policy);
    const witness = input.witness ?? new Uint8Array();
    add(`input ${i}: unlock kind`, 'count', 1, '1 (a policy spend)');
    add(`input ${i}: policy length`, 'count', varintSize(input.policy.length), String(input.policy.length));
    add(`input ${i}: policy`, 'policy', input.policy.length, policy ? policyText(policy) : 'does not decode');
    add(`input ${i}: witness length`, 'count', varintSize(witness.length), String(witness.length), false);
    const parts = policy ? witnessParts(policy, witness) : [];
    if (parts.length === 0 && witness.length > 0)
      add(`input ${i}: witness`, 'witness', witness.length, toHex(witness), false);
    for (const part of parts)
      add(`input ${i}: witness ${part.label}`, 'witness', part.hex.length / 2, part.hex, false);
  });
  add('output count', 'count', varintSize(tx.outputs.length), String(tx.outputs.length));
  tx.outputs.forEach((output, i) => {
    const policy = isPolicyAddress(output.address);
    add(`output ${i}: amount (units)`, 'amount', 8, output.amount.toString());
    add(`output ${i}: kind`, 'count', 1, policy ? '1 (locked to a policy)' : '0 (locked to a key)');
    add(
      `output ${i}: ${policy ? 'policy hash' : 'address key hash'}`,
      'address',
      output.address.length,
      toHex(output.address),
    );
  });
}

/** The field after the data record. */
export const lockTimeField = (tx: Tx): { name: string; kind: FieldKind; length: number; value: string } => ({
  name: 'lock time',
  kind: 'locktime',
  length: 4,
  value: lockTimeMeaning(txLockTime(tx)),
});
