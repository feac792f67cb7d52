// The chain: imports blocks, moves the active chain, emits events. This class is its face (queries,
// one import at a time, events, opening); the parts, by job:
//   importer.ts     importing a block or a run of blocks: checks, storing, fork choice, invalidation
//   block-index.ts  the index in memory and the fork choice (no I/O)
//   connect.ts      what connecting or disconnecting one block changes (coins, undo, heights)
//   switch-branch.ts  moving the active chain to another entry, as one batch (signatures checked
//                   while the next blocks connect)
//   load.ts         opening a store: the index, the genesis block, the coins replay after a crash
//   storage-policy.ts  which blocks off the active chain are worth storing (the rest is 'low-work')
//   orphans.ts      blocks waiting for their parent, bounded in count, bytes, per peer and time
//   prune.ts        deleting side branches deep below the tip
//   indexer.ts      the explorer index (tx locations, address history and coins), after connects
//
// processBlock() owns every side effect of importing a block (processBlocks() does the same for a run of
// blocks extending the tip, connected together), in this order:
//   1. pure checks (sanity, then context against the parent)      - no writes
//   2. fork choice: if the block's branch has the most work, reorganise onto it: disconnect to the
//      fork point and connect the new branch over a coin overlay, then write the block, its index
//      entry, undo data, heights and the tip as ONE batch; a side block is written alone, if the
//      storage policy keeps it (else 'low-work', nothing written)
//   3. the overlay's coins go to the coins cache, which writes them every `coinsFlushBlocks`
//      blocks with the marker 'coins-tip' (a crash before that: load.ts reconnects the blocks after it)
//   4. events (connect, disconnect, reorg, tip); the explorer indexer follows
//   5. side branches deep below the tip are pruned (prune.ts)
// Every acknowledged block is on disk when processBlock() resolves; the coins may trail on disk, never
// in memory.
import { EventEmitter } from 'node:events';
import { type Block, decodeBlock } from '../core/block.js';
import { fromHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import type { NetworkParams } from '../core/params.js';
import type { BlockContext } from '../core/validation.js';
import { verify as verifyNoble } from '../crypto/ed25519.js';
import type { ChainStore } from '../store/store.js';
import { BlockIndex } from './block-index.js';
import { ImportContext, type SignatureVerifier } from './connect.js';
import type { ChainEntry } from './entry.js';
import { checkHeaders, type HeaderCheck } from './header-check.js';
import { BlockImporter, type BlockSource, type ChainEvents, type ProcessResult } from './importer.js';
import { ExplorerIndexer, type IndexerOptions } from './indexer.js';
import { loadIndex, replayCoins, writeGenesis } from './load.js';
import { type Orphan, type OrphanLimits, OrphanPool } from './orphans.js';
import type { PruneOptions } from './prune.js';
import { StoragePolicy, type StoragePolicyOptions } from './storage-policy.js';

export type { SignatureVerifier } from './connect.js';
export type { BlockSource, ChainEvents, ProcessResult, ProcessStatus, ReorgEvent } from './importer.js';
export type { Orphan } from './orphans.js';

type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

let mainThreadVerify: Ed25519Verify = verifyNoble;

/**
 * The Ed25519 verifier of verifyOnMainThread, once per process: @noble/curves (portable) unless the
 * composition root installs a faster one of the same rule (a Node process: src/node/native-crypto.ts).
 */
export function setMainThreadVerify(verify: Ed25519Verify): void {
  mainThreadVerify = verify;
}

export const verifyOnMainThread: SignatureVerifier = async (checks) => {
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (!mainThreadVerify(c.publicKey, c.message, c.signature)) return i;
  }
  return -1;
};

/**
 * The stores a chain uses: it writes blocks and coins, reads the markers, and hosts the explorer
 * indexer (which writes the explorer store and stops before the database closes).
 */
export type ChainStores = Pick<
  ChainStore,
  'blocks' | 'coins' | 'explorer' | 'meta' | 'batch' | 'beforeClose' | 'close' | 'compact'
>;

export interface ChainOptions {
  readonly store: ChainStores;
  readonly params: NetworkParams;
  /** Seconds since the epoch; the only clock the chain reads. */
  readonly now?: () => number;
  readonly verifySignatures?: SignatureVerifier;
  /** Limits of the orphan pool (defaults: ORPHAN_LIMITS in orphans.ts). */
  readonly orphanLimits?: Partial<OrphanLimits>;
  /** Which side blocks are stored (defaults in storage-policy.ts). */
  readonly storage?: StoragePolicyOptions;
  /** How deep side branches are pruned (defaults in prune.ts). */
  readonly prune?: PruneOptions;
  /** Blocks connected between two writes of the coins cache (default 500; sooner when over budget). */
  readonly coinsFlushBlocks?: number;
  readonly indexer?: IndexerOptions;
}

export class Chain extends EventEmitter<ChainEvents> {
  readonly params: NetworkParams;
  readonly store: ChainStores;
  private readonly now: () => number;
  private readonly verifySignatures: SignatureVerifier;
  private readonly blocks: BlockIndex;
  private readonly orphans: OrphanPool;
  private readonly policy: StoragePolicy;
  private readonly importer: BlockImporter;
  private queue: Promise<unknown> = Promise.resolve();
  /** Imports queued or running (the explorer indexer waits while there are any). */
  private importing = 0;
  /** The explorer index (set once opened). */
  indexer!: ExplorerIndexer;
  /** Blocks reconnected at open because the coins on disk trailed the tip (a crash between flushes). */
  replayedOnOpen = 0;

  private constructor(opts: ChainOptions) {
    super();
    this.params = opts.params;
    this.store = opts.store;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.verifySignatures = opts.verifySignatures ?? verifyOnMainThread;
    this.orphans = new OrphanPool(this.now, opts.orphanLimits);
    this.policy = new StoragePolicy(opts.params, opts.storage);
    this.blocks = new BlockIndex(opts.params);
    this.importer = new BlockImporter({
      store: this.store,
      params: this.params,
      blocks: this.blocks,
      orphans: this.orphans,
      policy: this.policy,
      prune: opts.prune,
      now: this.now,
      verifySignatures: this.verifySignatures,
      coinsFlushBlocks: opts.coinsFlushBlocks ?? 500,
      events: this,
      indexer: () => this.indexer,
    });
  }

  /**
   * Opens the chain on a store: loads the block index (or writes the genesis block into an empty store),
   * reconnects the blocks the coins on disk do not reflect yet, then finishes any interrupted import.
   */
  static async open(opts: ChainOptions): Promise<Chain> {
    const chain = new Chain(opts);
    await chain.load(opts.indexer);
    return chain;
  }

  get tip(): ChainEntry {
    return this.blocks.tip;
  }

  get height(): number {
    return this.blocks.height;
  }

  get genesis(): ChainEntry {
    return this.blocks.genesis;
  }

  getEntry(hash: string): ChainEntry | undefined {
    return this.blocks.get(hash);
  }

  entryAtHeight(height: number): ChainEntry | undefined {
    return this.blocks.atHeight(height);
  }

  /** Every block the index holds at `fromHeight` and above, side branches and invalid ones included. */
  entriesFrom(fromHeight: number, toHeight = Number.POSITIVE_INFINITY): ChainEntry[] {
    // The active chain by height, then the side entries: not a scan of the whole index.
    const out: ChainEntry[] = [];
    for (let h = Math.max(0, fromHeight); h <= Math.min(this.height, toHeight); h++)
      out.push(this.blocks.atHeight(h)!);
    for (const e of this.blocks.sideEntries())
      if (e.height >= fromHeight && e.height <= toHeight) out.push(e);
    return out;
  }

  /** Blocks held until their parent arrives, oldest first (serialized). */
  orphanBlocks(): Orphan[] {
    return this.orphans.list();
  }

  isActive(entry: ChainEntry): boolean {
    return this.blocks.isActive(entry);
  }

  /**
   * Checks a peer's headers before their bodies are fetched (headers-first sync; see header-check.ts).
   * Headers known to be invalid are refused. When the headers reach at least the tip's work, their
   * bodies may be stored though their branch is behind for now (see storage-policy.ts).
   */
  checkHeaders(headers: readonly Uint8Array[]): HeaderCheck {
    const isRejected = (hash: string) => this.importer.isRejected(hash);
    const result = checkHeaders(this.blocks, this.params, this.now(), headers, isRejected);
    if (result.status === 'ok') this.policy.noteChecked(result.hashes, result.work, this.tip);
    return result;
  }

  /** Known in the index, in the orphan pool or as rejected: nothing to download again. */
  hasBlock(hash: string): boolean {
    return this.importer.knows(hash);
  }

  async getBlock(hash: string): Promise<Block | undefined> {
    const bytes = await this.store.blocks.getBlockBytes(fromHex(hash));
    return bytes && decodeBlock(bytes);
  }

  getBlockBytes(hash: string): Promise<Uint8Array | undefined> {
    return this.store.blocks.getBlockBytes(fromHex(hash));
  }

  /** The context a block built on the current tip must satisfy (used by the miner). */
  nextContext(): BlockContext & { prevHash: Uint8Array } {
    return { ...this.blocks.contextFor(this.tip), prevHash: this.tip.hash };
  }

  /** The context a block built on `parent` must satisfy (nothing is added to the index). */
  contextFor(parent: ChainEntry): BlockContext {
    return this.blocks.contextFor(parent);
  }

  /** Active-chain hashes, tip first, 10 consecutive then exponentially spaced, genesis last. */
  locator(): string[] {
    return this.blocks.locator();
  }

  /** Headers of the active chain after the first locator hash found on it. */
  headersAfter(locator: readonly string[], max: number): Uint8Array[] {
    return this.blocks.headersAfter(locator, max);
  }

  /** Median time past of the active tip: a new block's time must be above it. */
  medianTimePast(entry: ChainEntry = this.tip): number {
    return this.blocks.medianTimePast(entry);
  }

  /** Writes the coins cache now (the store's close() does too). */
  flushCoins(): Promise<void> {
    const run = this.queue.then(() => this.importer.flush());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Imports a block (decoded, or raw bytes from the network). Calls are serialised: one block at a time.
   * Never throws for bad data: the result says what happened, with the rule broken.
   */
  processBlock(input: Block | Uint8Array, source: BlockSource = {}): Promise<ProcessResult> {
    return this.enqueue(() => this.importer.process(input, source));
  }

  /** Runs an import after those before it; `importing` counts the ones queued or running. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.importing++;
    const run = this.queue.then(job).finally(() => {
      this.importing--;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Imports a run of blocks (as a sync downloads them), with the same results as processBlock() on
   * each in turn. Blocks that extend the tip one after the other are connected together: each block's
   * signatures are checked while the next ones connect, and they are written in one batch.
   */
  processBlocks(
    inputs: ReadonlyArray<Block | Uint8Array>,
    source: BlockSource = {},
  ): Promise<ProcessResult[]> {
    return this.enqueue(() => this.importer.processRun(inputs, source));
  }

  private async load(indexerOptions?: IndexerOptions): Promise<void> {
    const loaded = await loadIndex(this.store, this.params, this.blocks);
    if (!loaded) await writeGenesis(this.store, this.params, this.blocks);
    const indexTip = loaded?.indexTip ?? this.genesis;
    this.indexer = new ExplorerIndexer(
      this.store,
      () => this.tip,
      indexTip,
      indexerOptions,
      () => this.importing > 0,
    );
    // The indexer finishes its batch before the database closes.
    const indexer = this.indexer;
    this.store.beforeClose(() => indexer.close());
    if (!loaded) return;
    for (const e of this.blocks.values())
      if (e.status === 'invalid')
        this.importer.rememberRejected(
          e.hashHex,
          new RuleError('bad-prev-block', 'block was marked invalid'),
        );
    // Killed between two coins flushes: reconnect the blocks after the last one.
    const connector = { store: this.store, params: this.params, verifySignatures: undefined };
    this.replayedOnOpen = await replayCoins(connector, this.blocks, loaded.coinsTip);
    this.store.coins.cache.bestBlock = this.tip.hash;
    // A crash between storing a block and connecting it leaves a heavier stored branch: finish the job.
    await this.importer.activateBestChain(new ImportContext(), this.blocks.bestCandidate());
    this.indexer.schedule();
  }
}
