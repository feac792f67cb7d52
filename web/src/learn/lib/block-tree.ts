// Step 9: the node's block tree as the page has seen it. The API lists only the active chain, so a
// block the page saw on the active chain and that is no longer there has been left on a side branch
// by a reorganisation; and a simulated tree compares "most work" with "longest".
import { workForBits } from '../../../../src/core/pow.js';

export interface SeenBlock {
  readonly hash: string;
  readonly height: number;
  readonly previousHash: string;
  readonly bits: number;
  /** On the node's active chain as of the latest listing. */
  readonly active: boolean;
}

export type BlockTree = ReadonlyMap<string, SeenBlock>;

/** A listing of the active chain (ascending heights) merged into what was seen before. */
export function mergeActive(
  tree: BlockTree,
  listing: readonly { hash: string; height: number; previousHash: string; bits: number | string }[],
): BlockTree {
  if (listing.length === 0) return tree;
  const next = new Map(tree);
  const from = listing[0]!.height;
  const activeHashes = new Set(listing.map((b) => b.hash));
  const top = listing[listing.length - 1]!.height;
  // Blocks at listed heights that are not in the listing left the active chain; so did any above the tip.
  for (const b of next.values()) {
    if (b.active && b.height >= from && (b.height > top || !activeHashes.has(b.hash))) {
      next.set(b.hash, { ...b, active: false });
    }
  }
  for (const b of listing) {
    const bits = typeof b.bits === 'number' ? b.bits : Number.parseInt(b.bits, 16);
    next.set(b.hash, { hash: b.hash, height: b.height, previousHash: b.previousHash, bits, active: true });
  }
  return next;
}

export interface PlacedBlock extends SeenBlock {
  /** 0 for the active chain, 1.. for side branches at that height. */
  readonly row: number;
}

/** Rows for drawing: the active chain on row 0, side blocks stacked below at their height. */
export function layoutTree(tree: BlockTree, fromHeight: number): PlacedBlock[] {
  const rows = new Map<number, number>();
  return [...tree.values()]
    .filter((b) => b.height >= fromHeight)
    .sort(
      (a, b) => a.height - b.height || Number(b.active) - Number(a.active) || a.hash.localeCompare(b.hash),
    )
    .map((b) => {
      if (b.active) return { ...b, row: 0 };
      const row = (rows.get(b.height) ?? 0) + 1;
      rows.set(b.height, row);
      return { ...b, row };
    });
}

/** A branch of the simulated tree: the compact bits of each of its blocks after the fork point. */
export interface SimBranch {
  readonly name: string;
  readonly bits: readonly number[];
}

export const branchWork = (branch: SimBranch): bigint => branch.bits.reduce((s, b) => s + workForBits(b), 0n);

/**
 * The branch a node follows: the most cumulative work (workForBits summed), the first seen on a tie;
 * and the one a "longest chain" rule would pick, for comparison.
 */
export function forkChoice(branches: readonly SimBranch[]): { mostWork: number; longest: number } {
  let mostWork = 0;
  let longest = 0;
  branches.forEach((b, i) => {
    if (branchWork(b) > branchWork(branches[mostWork]!)) mostWork = i;
    if (b.bits.length > branches[longest]!.bits.length) longest = i;
  });
  return { mostWork, longest };
}
