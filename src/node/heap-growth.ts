// How far V8 lets a node's JS heaps grow past what is live before it collects them again.
//
// By default V8 grows the old generation to up to 4x what survived the last full collection when the
// program allocates fast, as a node importing blocks does. Measured on a long import (bench/long-import.ts),
// the node's JS heap pages reached 270-340 MB for about 70 MB live, and the C library's heap grew with
// them (to ~180 MB): the byte buffers that dead blocks, transactions and batches point to are freed only
// when the objects holding them are collected. A fixed growth of HEAP_GROWING_PERCENT keeps both closer
// to what is live, at the cost of more frequent (mostly concurrent) full collections. Measured in turns
// on 3,000 blocks of 100 payments, against V8's own growth: 30 % peaked at 403-411 MB (729-746) and
// imported at 0.83x the speed; 50 % at 435-440 MB and 0.84-0.94x; 100 % at 488-512 MB and 0.89-0.96x.
// The flag is process-wide, so it also holds for the verifier threads, whose isolates start after it.
import { setFlagsFromString } from 'node:v8';

/** After a full collection, the old generation may grow to (1 + this / 100) times what survived it. */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;

/** An operator's own `--heap-growing-percent` (on node's command line or in NODE_OPTIONS) wins. */
const givenByOperator = (): boolean =>
  [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--heap-growing-percent'));

/** Sets the growth once per process, before the node opens its chain and starts its threads. */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (applied || givenByOperator()) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
