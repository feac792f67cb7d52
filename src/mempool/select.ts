// Choosing transactions for a block: highest fee rate first, parents before children, within a size budget.

import { toHex } from '../core/bytes.js';
import type { MempoolEntry } from './mempool.js';

export function selectForBlock(byFeeRate: readonly MempoolEntry[], maxBytes: number): MempoolEntry[] {
  const inPool = new Set(byFeeRate.map((e) => e.txidHex));
  const chosen: MempoolEntry[] = [];
  const included = new Set<string>();
  let bytes = 0;
  let pending = byFeeRate.slice();
  // A child waits for a later pass when its pool parent is not in yet; each pass includes at least one
  // transaction or stops, so this ends.
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    const next: MempoolEntry[] = [];
    for (const e of pending) {
      const parentsReady = e.tx.inputs.every((i) => {
        const parent = toHex(i.prevTxid);
        return !inPool.has(parent) || included.has(parent);
      });
      if (!parentsReady) {
        next.push(e);
        continue;
      }
      if (bytes + e.size > maxBytes) continue;
      chosen.push(e);
      included.add(e.txidHex);
      bytes += e.size;
      progress = true;
    }
    pending = next;
  }
  return chosen;
}
