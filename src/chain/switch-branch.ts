// Moving the active chain from its tip to another entry, on the store's side: take the blocks above the
// fork point off (from their undo data), connect the new branch over a coin overlay, and write it all
// as ONE batch. Each block's signatures are checked (on worker threads) while the rest of the block and
// the next blocks connect; the batch is written only once all of them verified. Memory (statuses, tip,
// coins cache, events) is the chain's to update once this resolves.
import type { Block } from '../core/block.js';
import type { BlockWrites } from '../store/block-store.js';
import { nextMacrotask } from '../util/timers.js';
import type { BlockIndex } from './block-index.js';
import { CoinOverlay } from './coin-overlay.js';
import {
  ConnectFailure,
  type Connector,
  connectInto,
  type DecodedBlock,
  disconnectInto,
  firstSignatureFailure,
  type ImportContext,
  loadForConnect,
  type PendingSignatures,
} from './connect.js';
import { type ChainEntry, findFork } from './entry.js';

export interface BranchSwitch {
  readonly fork: ChainEntry;
  /** Taken off the active chain, tip first, with their blocks. */
  readonly toDisconnect: readonly ChainEntry[];
  readonly disconnected: readonly Block[];
  /** Put on the active chain, lowest first, with their decoded blocks. */
  readonly toConnect: readonly ChainEntry[];
  readonly connected: readonly DecodedBlock[];
  /** The coin changes, to hand to the coins cache now that their batch is written. */
  readonly overlay: CoinOverlay;
}

/**
 * Writes the switch from the index's tip to `target` in one batch (after `pending`'s writes); throws
 * ConnectFailure, writing nothing, when a block of the new branch breaks a rule.
 */
export async function switchBranch(
  c: Connector,
  index: BlockIndex,
  ctx: ImportContext,
  target: ChainEntry,
  pending?: BlockWrites,
): Promise<BranchSwitch> {
  const fork = findFork(index.tip, target);
  const toConnect: ChainEntry[] = [];
  for (let e: ChainEntry = target; e !== fork; e = e.parent!) toConnect.unshift(e);

  const overlay = new CoinOverlay(c.store.coins.cache);
  const batch = pending ?? c.store.blocks.writes();
  const disconnected: Block[] = [];
  const toDisconnect = index.activeAbove(fork.height);
  for (const entry of toDisconnect) {
    const decoded = await loadForConnect(c.store.blocks, entry, ctx);
    await disconnectInto(c.store.blocks, batch, overlay, entry, decoded);
    disconnected.push(decoded.block);
  }
  const connected: DecodedBlock[] = [];
  const signatures: PendingSignatures[] = [];
  try {
    for (const entry of toConnect) {
      const decoded = await loadForConnect(c.store.blocks, entry, ctx);
      signatures.push((await connectInto(c, batch, overlay, entry, decoded)).signatures);
      connected.push(decoded);
      // Coins read from memory settle in microtasks: without a turn of the event loop, the workers'
      // answers (and the next chunks they are sent) would wait for the whole branch.
      if (c.verifySignatures?.inParallel) await nextMacrotask();
    }
  } catch (e) {
    // A bad signature in an earlier block outranks a later block's failure: that block was connected
    // on top of a block that is not valid.
    throw (e instanceof ConnectFailure && (await firstSignatureFailure(signatures))) || e;
  }
  // The workers may still be checking signatures: the caller's next work can run meanwhile.
  c.whileVerifying?.();
  const badSignature = await firstSignatureFailure(signatures);
  if (badSignature) throw badSignature;
  batch.putTip(target.hash);
  await batch.write();
  return { fork, toDisconnect, disconnected, toConnect, connected, overlay };
}
