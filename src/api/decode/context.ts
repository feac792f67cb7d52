// What decoding needs of the node: read-only views of the chain, the coins and the mempool. Nothing
// here stores, relays or changes anything.
import type { ChainEntry } from '../../chain/entry.js';
import type { Block } from '../../core/block.js';
import type { NetworkParams } from '../../core/params.js';
import type { Tx } from '../../core/tx.js';
import type { BlockContext, Coin } from '../../core/validation.js';

/** What the node knows of a transaction, and the coins its inputs spend (for the fields shown). */
export interface TxKnowledge {
  readonly known: 'mempool' | 'confirmed' | null;
  readonly block?: { readonly hash: string; readonly height: number; readonly index: number };
  readonly confirmations: number;
  /** In input order; undefined where the coin is not known. */
  readonly spent: ReadonlyArray<Coin | undefined>;
}

export interface DecodeContext {
  readonly params: NetworkParams;
  /** The validating node's clock, in seconds. */
  now(): number;
  entry(hashHex: string): ChainEntry | undefined;
  isActive(entry: ChainEntry): boolean;
  readonly tip: ChainEntry;
  /** The context a child of `parent` must satisfy. */
  contextFor(parent: ChainEntry): BlockContext;
  /**
   * The coins that existed at the block's parent and that the block spends, by outpoint key, when the
   * node has them: the parent is the tip (the UTXO set), or the block is on the active chain (its undo
   * data). Undefined otherwise.
   */
  parentCoins(block: Block, entry: ChainEntry | undefined): Promise<Map<string, Coin> | undefined>;
  /** The coins each transaction of a block spends, as far as known (for the fields shown). */
  blockSpent(block: Block): Promise<ReadonlyArray<ReadonlyArray<Coin | undefined>>>;
  describeTx(tx: Tx, txidHex: string): Promise<TxKnowledge>;
  /** Judges a loose transaction as the mempool would, changing nothing; throws the RuleError it breaks. */
  checkTx(tx: Tx, bytes: Uint8Array): Promise<unknown>;
}
