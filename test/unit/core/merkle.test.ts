import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  type MerkleStep,
  merkleProof,
  merkleRoot,
  sha256,
  sha256d,
  toHex,
  verifyMerkleProof,
} from '../../../src/core/index.js';

const leaf = (i: number): Uint8Array => sha256(new Uint8Array([i & 0xff, i >> 8]));
const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leaf(i));
const pair = (a: Uint8Array, b: Uint8Array): Uint8Array => sha256d(concatBytes(a, b));

describe('Merkle root', () => {
  it('is 32 zero bytes for no leaves and the leaf itself for one', () => {
    expect(toHex(merkleRoot([]))).toBe('00'.repeat(32));
    expect(toHex(merkleRoot([leaf(0)]))).toBe(toHex(leaf(0)));
  });

  it('hashes pairs with double SHA-256 and pairs an odd last node with itself', () => {
    const [a, b, c, d, e] = leaves(5) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    expect(toHex(merkleRoot([a, b]))).toBe(toHex(pair(a, b)));
    expect(toHex(merkleRoot([a, b, c]))).toBe(toHex(pair(pair(a, b), pair(c, c))));
    expect(toHex(merkleRoot([a, b, c, d]))).toBe(toHex(pair(pair(a, b), pair(c, d))));
    const left = pair(pair(a, b), pair(c, d));
    const right = pair(pair(e, e), pair(e, e));
    expect(toHex(merkleRoot([a, b, c, d, e]))).toBe(toHex(pair(left, right)));
  });

  it('gives a list and the list with its odd last leaf repeated the same root (why duplicate-tx exists)', () => {
    const [a, b, c] = leaves(3) as [Uint8Array, Uint8Array, Uint8Array];
    expect(toHex(merkleRoot([a, b, c, c]))).toBe(toHex(merkleRoot([a, b, c])));
  });

  it('depends on leaf order', () => {
    const [a, b] = leaves(2) as [Uint8Array, Uint8Array];
    expect(toHex(merkleRoot([a, b]))).not.toBe(toHex(merkleRoot([b, a])));
  });

  it('does not modify the leaves it is given', () => {
    const list = leaves(5);
    const before = list.map(toHex);
    merkleRoot(list);
    merkleProof(list, 3);
    expect(list.map(toHex)).toEqual(before);
  });
});

describe('Merkle proofs', () => {
  it('verify for every index of every size up to 33', () => {
    for (let n = 1; n <= 33; n++) {
      const list = leaves(n);
      const root = merkleRoot(list);
      const depth = n === 1 ? 0 : Math.ceil(Math.log2(n));
      for (let i = 0; i < n; i++) {
        const proof = merkleProof(list, i);
        expect(proof.length).toBe(depth);
        expect(verifyMerkleProof(list[i]!, proof, root)).toBe(true);
      }
    }
  });

  it('verify for random lists and indices', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 70 }),
        fc.nat(),
        (list, k) => {
          const i = k % list.length;
          expect(verifyMerkleProof(list[i]!, merkleProof(list, i), merkleRoot(list))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('fail when anything is tampered with', () => {
    const list = leaves(11);
    const root = merkleRoot(list);
    for (let i = 0; i < list.length; i++) {
      const proof = merkleProof(list, i);
      expect(verifyMerkleProof(leaf(100), proof, root)).toBe(false);
      expect(verifyMerkleProof(list[i]!, proof, leaf(100))).toBe(false);
      expect(verifyMerkleProof(list[i]!, proof.slice(1), root)).toBe(false);
      for (let s = 0; s < proof.length; s++) {
        const flippedHash = proof.map((step, j): MerkleStep => {
          if (j !== s) return step;
          const hash = step.hash.slice();
          hash[0]! ^= 1;
          return { ...step, hash };
        });
        expect(verifyMerkleProof(list[i]!, flippedHash, root)).toBe(false);
        const flippedSide = proof.map(
          (step, j): MerkleStep =>
            j === s ? { ...step, side: step.side === 'left' ? 'right' : 'left' } : step,
        );
        // Swapping sides changes nothing where a node is paired with itself (odd last node).
        const selfPaired = toHex(proof[s]!.hash) === toHex(nodeAt(list, i, s));
        if (!selfPaired) expect(verifyMerkleProof(list[i]!, flippedSide, root)).toBe(false);
      }
    }
  });

  it('reject an index out of range', () => {
    expect(() => merkleProof(leaves(3), 3)).toThrow(RangeError);
    expect(() => merkleProof(leaves(3), -1)).toThrow(RangeError);
    expect(() => merkleProof(leaves(3), 1.5)).toThrow(RangeError);
    expect(() => merkleProof([], 0)).toThrow(RangeError);
  });
});

/** The node on leaf i's path at `level` (level 0 is the leaf itself). */
function nodeAt(list: readonly Uint8Array[], i: number, level: number): Uint8Array {
  let nodes = list.slice();
  let index = i;
  for (let l = 0; l < level; l++) {
    const next: Uint8Array[] = [];
    for (let j = 0; j < nodes.length; j += 2) next.push(pair(nodes[j]!, nodes[j + 1] ?? nodes[j]!));
    nodes = next;
    index = Math.floor(index / 2);
  }
  return nodes[index]!;
}
