// What importing a block says (ProcessResult), who sent it (BlockSource), and the chain's events.
import type { Block } from '../core/block.js';
import type { RuleError } from '../core/errors.js';
import type { ChainEntry } from './entry.js';

/** `low-work`: its branch has too little work to be stored (see storage-policy.ts): not invalid, not kept. */
export type ProcessStatus = 'connected' | 'side' | 'orphan' | 'duplicate' | 'invalid' | 'low-work';

/** Who a block came from (bounds what one peer may make the chain hold: orphans). */
export interface BlockSource {
  /** The sending peer's id; absent for the node itself (API, miner, files). */
  readonly peer?: string;
}

export interface ProcessResult {
  readonly status: ProcessStatus;
  readonly hash: string;
  readonly error?: RuleError;
  readonly reorg?: ReorgEvent;
  /** A `low-work` block within a few blocks of the tip: stale from an honest race, not a cheap attack. */
  readonly stale?: boolean;
}

export interface ReorgEvent {
  readonly oldTip: ChainEntry;
  readonly newTip: ChainEntry;
  readonly fork: ChainEntry;
  /** Blocks taken off the active chain, tip first. Their transactions go back to the mempool. */
  readonly disconnected: readonly Block[];
  /** Blocks put on the active chain, lowest first. */
  readonly connected: readonly Block[];
}

export interface ChainEvents {
  /** `txids`: the block's transaction ids in order, as the connect computed them (listeners need not hash again). */
  connect: [entry: ChainEntry, block: Block, txids: readonly Uint8Array[]];
  disconnect: [entry: ChainEntry, block: Block];
  reorg: [event: ReorgEvent];
  tip: [entry: ChainEntry];
  invalid: [hash: string, error: RuleError];
}
