// The teacher's merged block tree: every block a member reported (its recent active chain) and the
// teacher's own recent blocks, with whose tip each one is and who mined it. Bounded: the highest
// CLASS_TREE_MAX_BLOCKS blocks are kept.
import type { ClassReport, TreeBlock } from './types.js';

/** Most blocks the tree holds (64 members × 12 reported blocks, and the teacher's own, fit). */
export const CLASS_TREE_MAX_BLOCKS = 1024;

/** A block of the teacher's node: on its active chain or not, and the address its coinbase pays. */
export interface TeacherBlock {
  readonly hash: string;
  readonly prev: string;
  readonly height: number;
  readonly coinbaseAddress: string | null;
  readonly main: boolean;
}

interface Node {
  hash: string;
  prev: string;
  height: number;
  tipOf: string[];
  minedBy: string | null;
  main: boolean;
}

export function mergeTree(
  reports: readonly ClassReport[],
  teacherBlocks: readonly TeacherBlock[],
  namesByAddress: ReadonlyMap<string, string>,
): TreeBlock[] {
  const nodes = new Map<string, Node>();
  const put = (hash: string, prev: string, height: number): Node => {
    let node = nodes.get(hash);
    if (!node) {
      node = { hash, prev, height, tipOf: [], minedBy: null, main: false };
      nodes.set(hash, node);
    }
    return node;
  };
  for (const block of teacherBlocks) {
    const node = put(block.hash, block.prev, block.height);
    node.main = block.main;
    node.minedBy =
      block.coinbaseAddress === null ? null : (namesByAddress.get(block.coinbaseAddress) ?? null);
  }
  for (const report of reports) {
    for (const block of report.recent) put(block.hash, block.prev, block.height);
    const tip = nodes.get(report.tip);
    if (tip && !tip.tipOf.includes(report.name)) tip.tipOf.push(report.name);
  }
  return [...nodes.values()]
    .sort((a, b) => b.height - a.height || (a.hash < b.hash ? -1 : 1))
    .slice(0, CLASS_TREE_MAX_BLOCKS)
    .map((n) => ({ ...n, tipOf: [...n.tipOf].sort() }));
}
