// Marking a branch invalid after a block of it failed to connect, or forgetting a corrupted copy.
import { RuleError } from '../core/errors.js';
import type { BlockStore } from '../store/block-store.js';
import type { BlockIndex } from './block-index.js';
import type { ImportContext } from './connect.js';
import { type ChainEntry, indexRecord } from './entry.js';

/**
 * Marks `bad` and all its descendants invalid (index and store, and `remember` for each), or, when the
 * failure says the body was corrupted (malleated), deletes them so that a good copy can come later.
 * The errors go into `ctx`. The caller emits the 'invalid' event.
 */
export async function invalidateBranch(
  store: BlockStore,
  blocks: BlockIndex,
  remember: (hash: string, error: RuleError) => void,
  ctx: ImportContext,
  bad: ChainEntry,
  error: RuleError,
): Promise<void> {
  ctx.errors.set(bad.hashHex, error);
  const descendants = blocks.descendantsOf(bad);
  if (error.malleated) {
    // The body we stored does not match a valid block with this header; drop it and its descendants,
    // from memory and from the store, so that a good copy can come later.
    const forget = store.writes();
    for (const e of descendants) {
      blocks.delete(e.hashHex);
      forget.delBlock(e.hash).delIndex(e.hash);
      // Nothing is known against a descendant itself: refused now, but not condemned.
      if (e !== bad) {
        const why = `ancestor ${bad.hashHex} came with a corrupted body (${error.code})`;
        ctx.errors.set(e.hashHex, new RuleError('bad-prev-block', why, true));
      }
    }
    await forget.write();
    return;
  }
  const batch = store.writes();
  for (const e of descendants) {
    e.status = 'invalid';
    batch.putIndex(e.hash, indexRecord(e));
    remember(
      e.hashHex,
      e === bad ? error : new RuleError('bad-prev-block', `ancestor ${bad.hashHex} is invalid`),
    );
  }
  await batch.write();
}
