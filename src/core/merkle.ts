// Merkle tree over txids, Bitcoin style: pairs hashed with double SHA-256, an odd last node paired with itself.
// Duplicated txids would let two different tx lists share a root (CVE-2012-2459); blocks reject them
// (rule duplicate-tx), so a root names exactly one list.
import { concatBytes, equalBytes } from './bytes.js';
import { sha256d } from './hash.js';

const hashPair = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256d(concatBytes(left, right));

/** Every level of the tree, leaves first, root last (a single empty-hash level for no leaves). */
export function merkleTree(leaves: readonly Uint8Array[]): Uint8Array[][] {
  if (leaves.length === 0) return [[new Uint8Array(32)]];
  const levels = [leaves.slice()];
  for (let level = levels[0]!; level.length > 1; ) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1] ?? level[i]!));
    levels.push(next);
    level = next;
  }
  return levels;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const levels = merkleTree(leaves);
  return levels[levels.length - 1]![0]!;
}

/** One step of an inclusion proof: the sibling hash and which side it sits on. */
export interface MerkleStep {
  readonly hash: Uint8Array;
  readonly side: 'left' | 'right';
}

/** The path from leaf `index` to the root, read from a tree built by merkleTree (build it once per block). */
export function merkleProofFromTree(levels: readonly (readonly Uint8Array[])[], index: number): MerkleStep[] {
  if (!Number.isInteger(index) || index < 0 || index >= levels[0]!.length) {
    throw new RangeError('leaf index out of range');
  }
  const steps: MerkleStep[] = [];
  let i = index;
  for (const level of levels.slice(0, -1)) {
    const isRight = i % 2 === 1;
    const sibling = isRight ? level[i - 1]! : (level[i + 1] ?? level[i]!);
    steps.push({ hash: sibling, side: isRight ? 'left' : 'right' });
    i = Math.floor(i / 2);
  }
  return steps;
}

/** The path from leaf `index` to the root. */
export function merkleProof(leaves: readonly Uint8Array[], index: number): MerkleStep[] {
  if (leaves.length === 0) throw new RangeError('leaf index out of range');
  return merkleProofFromTree(merkleTree(leaves), index);
}

export function verifyMerkleProof(leaf: Uint8Array, steps: readonly MerkleStep[], root: Uint8Array): boolean {
  let acc = leaf;
  for (const step of steps) acc = step.side === 'left' ? hashPair(step.hash, acc) : hashPair(acc, step.hash);
  return equalBytes(acc, root);
}
