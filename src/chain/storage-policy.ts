// What the chain keeps on disk (policy, not consensus: a block's validity does not depend on it).
// A block that extends the active tip is stored as always. A block off the active chain (a side block)
// costs its sender only proof of work at whatever bits it claims, so its body is stored only when its
// branch could become the best chain:
//   (a) from a peer, unasked: its chain work is at least the tip's (Bitcoin Core's rule for unrequested
//       blocks: a competing block at the tip's height is kept, a stale one is not, so that a cheap block
//       below the tip, however many, costs no disk); from the node's own operator (the API), within
//       SIDE_WORK_WINDOW_BLOCKS blocks' work (at the tip's bits) of the tip; or
//   (b) a header chain through it was checked by Chain.checkHeaders (headers-first sync) and reached
//       at least the tip's work then, and still reaches within the window of it now.
// And no side block whose branch (or checked header chain) is below the network's minimumChainWork is
// stored. Blocks extending the active tip are not held to it: the sync downloads nothing below it
// (ChainAccess.minimumChainWork), and the node's own miner must be able to start a young chain.
// Anything else is 'low-work': nothing is written and nothing is remembered against it.
import type { NetworkParams } from '../core/params.js';
import { workForBits } from '../core/pow.js';
import type { ChainEntry } from './entry.js';

/** A side branch is kept while its work is within this many blocks' work (at the tip's bits) of the tip. */
export const SIDE_WORK_WINDOW_BLOCKS = 6;
/** Hashes of checked headers remembered, most recently checked kept (~150 bytes each: ~30 MB at most). */
export const CHECKED_HEADERS_CAPACITY = 200_000;

export interface StoragePolicyOptions {
  readonly windowBlocks?: number;
  readonly checkedCapacity?: number;
}

export class StoragePolicy {
  private readonly windowBlocks: number;
  private readonly checkedCapacity: number;
  /** Hash → the most work a checked header chain through it reached (insertion order = LRU order). */
  private readonly checked = new Map<string, bigint>();

  constructor(
    private readonly params: NetworkParams,
    opts: StoragePolicyOptions = {},
  ) {
    this.windowBlocks = opts.windowBlocks ?? SIDE_WORK_WINDOW_BLOCKS;
    this.checkedCapacity = opts.checkedCapacity ?? CHECKED_HEADERS_CAPACITY;
  }

  get checkedSize(): number {
    return this.checked.size;
  }

  /** The least chain work a side branch may have to be stored without checked headers. */
  floor(tip: ChainEntry): bigint {
    return tip.chainWork - BigInt(this.windowBlocks) * workForBits(tip.bits);
  }

  /**
   * Whether a block `hash` on `parent` whose chain work would be `work` may be stored, with `tip` the
   * active tip; `fromPeer`: a peer sent it unasked (else the operator did). Pure: reads the
   * checked-headers memory, changes nothing.
   */
  admits(hash: string, parent: ChainEntry, work: bigint, tip: ChainEntry, fromPeer = false): boolean {
    // Extending the active chain is what the node does anyway (the context checks follow).
    if (parent === tip) return true;
    const { minimumChainWork } = this.params;
    const checked = this.checked.get(hash);
    if (checked !== undefined && checked >= minimumChainWork && checked >= this.floor(tip)) return true;
    return work >= minimumChainWork && work >= (fromPeer ? tip.chainWork : this.floor(tip));
  }

  /** Within the operator's window of the tip: a peer's block refused for work this close is stale from an
   * honest race (its sender is not to blame), not a cheap block far below. */
  isNear(work: bigint, tip: ChainEntry): boolean {
    return work >= this.floor(tip);
  }

  /** Remembers the headers of a checked chain that reached `work`, if that is at least the tip's. */
  noteChecked(hashes: readonly string[], work: bigint, tip: ChainEntry): void {
    if (work < tip.chainWork) return;
    for (const hash of hashes) {
      const before = this.checked.get(hash);
      this.checked.delete(hash);
      this.checked.set(hash, before !== undefined && before > work ? before : work);
      if (this.checked.size > this.checkedCapacity) this.checked.delete(this.checked.keys().next().value!);
    }
  }

  /** Forgets a block's checked header once its body is stored (the index knows it from then on). */
  forget(hash: string): void {
    this.checked.delete(hash);
  }
}
