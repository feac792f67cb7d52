// Lock times and relative locks (docs/protocol.md, "Version 2"): when a transaction is final, and
// how many blocks an input's sequence makes it wait after the coin it spends.
import {
  LOCKTIME_THRESHOLD,
  MAX_RELATIVE_LOCK,
  SEQUENCE_FINAL,
  SEQUENCE_NO_RELATIVE_LOCK,
} from './params.js';
import { inputSequence, TX_VERSION_2, type Tx, type TxInput, txLockTime } from './tx.js';

/** Whether a lock time counts blocks (below LOCKTIME_THRESHOLD) rather than seconds. */
export const isHeightLock = (lockTime: number): boolean => lockTime < LOCKTIME_THRESHOLD;

/**
 * Whether a transaction may be in a block at `height` whose parent has median time past `mtp`:
 * no lock time, every input final (vacuously a coinbase), or the lock time reached.
 */
export function isFinalTx(tx: Tx, height: number, mtp: number): boolean {
  const lockTime = txLockTime(tx);
  if (lockTime === 0) return true;
  if (isHeightLock(lockTime) ? height >= lockTime : mtp >= lockTime) return true;
  return tx.inputs.every((input) => inputSequence(input) === SEQUENCE_FINAL);
}

/** The relative lock of an input in blocks (0: none). Only version 2 sequences carry one. */
export function relativeLock(tx: Tx, input: TxInput): number {
  if (tx.version !== TX_VERSION_2) return 0;
  const sequence = inputSequence(input);
  return (sequence & SEQUENCE_NO_RELATIVE_LOCK) !== 0 ? 0 : sequence;
}

/** Whether a sequence is well formed: no relative lock (bit 31 set), or one of at most MAX_RELATIVE_LOCK blocks. */
export const isValidSequence = (sequence: number): boolean =>
  (sequence & SEQUENCE_NO_RELATIVE_LOCK) !== 0 || sequence <= MAX_RELATIVE_LOCK;
