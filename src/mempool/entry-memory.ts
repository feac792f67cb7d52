// What a pool transaction costs in the node's memory, as the pool's limit counts it (as Bitcoin Core
// counts its pool's dynamic memory, not serialized bytes). Measured as the heap and array-buffer growth
// of PoolState.insert for entries built as admit.ts builds them (the transaction decoded from its
// bytes, the coins it spends, its txid in bytes and hex, the pool's indexes of it): a 1-in-2-out
// payment of 195 bytes takes about 3,900 bytes; each further input about 1,380 and each output about
// 340; the serialized bytes are kept too. test/unit/mempool/entry-memory.test.ts holds the estimate
// within 15% of what it measures. Counting serialized bytes, a 32 MB pool took about 640 MB.
import type { MempoolEntry } from './pool-state.js';

/** An entry's objects besides its inputs, outputs and serialized bytes (the maps and lists holding it included). */
export const ENTRY_BASE_BYTES = 1_640;
/** A decoded input, the coin it spends, and its outpoint in the pool's spends index. */
export const INPUT_BYTES = 1_380;
/** A decoded output (amount, address view, its address in the pool's address index). */
export const OUTPUT_BYTES = 340;

export function entryMemory(entry: Pick<MempoolEntry, 'tx' | 'size'>): number {
  return (
    ENTRY_BASE_BYTES +
    entry.size +
    entry.tx.inputs.length * INPUT_BYTES +
    entry.tx.outputs.length * OUTPUT_BYTES
  );
}
