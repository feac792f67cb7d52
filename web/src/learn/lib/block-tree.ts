// Step 10: the node's real block tree (GET /api/v1/chain/tree: the active chain, side branches and
// orphans near the tip), and a simulated tree that compares "most work" with "longest".
import { workForBits } from '../../../../src/core/pow.js';

export interface SeenBlock {
  readonly hash: string;
  readonly height: number;
  readonly previousHash: string;
  readonly bits: number;
  /** On the node's active chain as of the latest listing. */
  readonly active: boolean;
  /** Held by the node until its parent arrives. */
  readonly orphan?: boolean;
}

export type BlockTree = ReadonlyMap<string, SeenBlock>;

/** The tree the node reports: every indexed block near the tip, and the orphans it holds. */
export function treeFromIndex(index: {
  blocks: readonly { hash: string; height: number; previousHash: string; bits: string; active: boolean }[];
  orphans: readonly { hash: string; height: number; previousHash: string }[];
}): BlockTree {
  const tree = new Map<string, SeenBlock>();
  for (const b of index.blocks) tree.set(b.hash, { ...b, bits: Number.parseInt(b.bits, 16) });
  for (const o of index.orphans) tree.set(o.hash, { ...o, bits: 0, active: false, orphan: true });
  return tree;
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
