// Pruning side branches: a branch whose every block is more than PRUNE_DEPTH blocks below the tip
// cannot become the best chain without that much new work on it, so its bodies, undo data and index
// entries (invalid-marked ones included) are deleted. Policy, not consensus: a pruned block that comes
// again is judged like any new block (and, that far below the tip, refused as low-work).
import type { BlockStore } from '../store/block-store.js';
import type { BlockIndex } from './block-index.js';
import type { ChainEntry } from './entry.js';

/** Side-branch blocks more than this many blocks below the tip are deleted. */
export const PRUNE_DEPTH = 100;
/** Most entries deleted by one prune (after each import): the rest go with the next imports. */
export const PRUNE_MAX_PER_IMPORT = 256;

export interface PruneOptions {
  readonly depth?: number;
  readonly maxEntries?: number;
}

/**
 * Deletes deep side branches, highest block first, in one atomic batch; returns how many entries went.
 * `protect`: entries whose branches must stay (the coins' and the explorer index's markers, which may
 * still need to take those blocks off with their undo data). A branch with any block within `depth`
 * of the tip stays whole. Children go before their parents, so that the store never holds an entry
 * whose parent was deleted, whenever the process stops.
 */
export async function pruneSideBranches(
  store: BlockStore,
  blocks: BlockIndex,
  protect: ReadonlyArray<ChainEntry | undefined>,
  opts: PruneOptions = {},
): Promise<number> {
  const depth = opts.depth ?? PRUNE_DEPTH;
  const maxEntries = opts.maxEntries ?? PRUNE_MAX_PER_IMPORT;
  // Deep: more than `depth` blocks below the tip, i.e. below `cutoff`.
  const cutoff = blocks.height - depth;
  if (cutoff <= 1 || blocks.sideCount === 0) return 0;
  const keep = new Set<ChainEntry>();
  const keepBranch = (from: ChainEntry | undefined) => {
    for (let e = from; e && !blocks.isActive(e) && !keep.has(e); e = e.parent) keep.add(e);
  };
  for (const e of protect) keepBranch(e);
  const deep: ChainEntry[] = [];
  for (const e of blocks.sideEntries()) {
    if (e.height >= cutoff) keepBranch(e);
    else deep.push(e);
  }
  const victims = deep
    .filter((e) => !keep.has(e))
    .sort((a, b) => b.height - a.height)
    .slice(0, maxEntries);
  if (victims.length === 0) return 0;
  const batch = store.writes();
  for (const e of victims) batch.delBlock(e.hash).delUndo(e.hash).delIndex(e.hash);
  await batch.write();
  for (const e of victims) blocks.delete(e.hashHex);
  return victims.length;
}
