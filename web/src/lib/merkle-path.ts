// Replays a Merkle inclusion proof step by step, so the page can show every intermediate hash.
import { concatBytes, fromHex, toHex } from '../../../src/core/bytes.js';
import { sha256d } from '../../../src/core/hash.js';

export interface ProofStepView {
  readonly sibling: string;
  readonly side: 'left' | 'right';
  /** sha256d(left || right) after this step. */
  readonly result: string;
}

export function replayMerkleProof(
  txid: string,
  steps: readonly { hash: string; side: 'left' | 'right' }[],
): { steps: ProofStepView[]; root: string } {
  let acc = fromHex(txid);
  const out: ProofStepView[] = [];
  for (const step of steps) {
    const sibling = fromHex(step.hash);
    acc = sha256d(step.side === 'left' ? concatBytes(sibling, acc) : concatBytes(acc, sibling));
    out.push({ sibling: step.hash, side: step.side, result: toHex(acc) });
  }
  return { steps: out, root: toHex(acc) };
}
