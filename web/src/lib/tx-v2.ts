// The version 2 fields of the API's transaction view (docs/api.md, `Tx`): version, lock time, each
// input's sequence, witness and policy (its fragments with the branch the witness used).
import type { TxJson } from '../api/types.js';

export const LOCKTIME_THRESHOLD = 500_000_000;
export const SEQUENCE_FINAL = 0xffff_ffff;
const NO_RELATIVE_LOCK = 0x8000_0000;

export interface PolicyInputView {
  readonly text: string;
  readonly hex: string;
  readonly fragments: readonly { depth: number; type: string; text: string; used: boolean }[];
}

interface InputV2 {
  readonly sequence?: number;
  readonly witness?: string | null;
  readonly policy?: PolicyInputView | null;
}

export interface TxV2View {
  /** null from a node whose views predate version 2. */
  readonly version: number | null;
  readonly lockTime: number;
  readonly inputs: readonly InputV2[];
}

/** The version 2 fields of a transaction view (absent from a node whose views predate version 2). */
export function v2Of(tx: TxJson): TxV2View {
  const t = tx as TxJson & Partial<Omit<TxV2View, 'inputs'>> & { inputs: readonly InputV2[] };
  return { version: t.version ?? null, lockTime: t.lockTime ?? 0, inputs: t.inputs };
}

/** A lock time in words: none, a block height, or a date (UTC). */
export function lockTimeText(lockTime: number): string {
  if (lockTime === 0) return 'none (0)';
  if (lockTime < LOCKTIME_THRESHOLD) return `block height ${lockTime}`;
  return `${new Date(lockTime * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC (time ${lockTime})`;
}

/** An input's sequence in words: final, no relative lock, or a relative lock of n blocks. */
export function sequenceText(sequence: number | undefined): string {
  const s = sequence ?? SEQUENCE_FINAL;
  const hex = `0x${(s >>> 0).toString(16).padStart(8, '0')}`;
  if (s === SEQUENCE_FINAL) return `${hex} (final: the lock time does not apply)`;
  if ((s & NO_RELATIVE_LOCK) !== 0) return `${hex} (no relative lock)`;
  return `${s} (relative lock: ${s} block${s === 1 ? '' : 's'} after the spent coin's)`;
}
