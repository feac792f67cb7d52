// Importing blocks: everything processBlock() and processBlocks() do to a block, in the order
// docs/protocol.md gives ("Fork choice"): the checks that need no coins, then storing it, then moving
// the active chain to the branch with the most work (switch-branch.ts), marking invalid what fails,
// and the orphans it was waiting for. The Chain runs one import at a time and owns the events.
import type { EventEmitter } from 'node:events';
import { type Block, blockHash, decodeBlock, encodeBlock } from '../core/block.js';
import { equalBytes, toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import type { NetworkParams } from '../core/params.js';
import { workForBits } from '../core/pow.js';
import { checkBlockContext, checkBlockSanity } from '../core/validation.js';
import type { BlockWrites } from '../store/block-store.js';
import type { ChainStore } from '../store/store.js';
import type { BlockIndex } from './block-index.js';
import { ConnectFailure, ImportContext, type SignatureVerifier } from './connect.js';
import { type ChainEntry, indexRecord, makeEntry } from './entry.js';
import type { ExplorerIndexer } from './indexer.js';
import { invalidateBranch } from './invalidate.js';
import { claimedHeight, holdOrphan, readOrphanHead } from './orphan-intake.js';
import type { OrphanPool } from './orphans.js';
import { type PruneOptions, pruneSideBranches } from './prune.js';
import type { BlockSource, ChainEvents, ProcessResult, ReorgEvent } from './results.js';
import type { StoragePolicy } from './storage-policy.js';
import { switchBranch } from './switch-branch.js';

/** Most blocks connected together by processBlocks() (the rest of a longer list follows in more runs). */
const MAX_RUN_BLOCKS = 64;

export type {
  BlockSource,
  ChainEvents,
  ProcessResult,
  ProcessStatus,
  ReorgEvent,
} from './results.js';

/** A block of a run that passed every check that needs no coins, with its index entry (not added yet). */
interface CheckedBlock {
  readonly entry: ChainEntry;
  readonly block: Block;
  readonly bytes: Uint8Array;
  readonly txids: readonly Uint8Array[];
}

export interface ImporterParts {
  /** The chain writes blocks and coins (through the coins cache). */
  readonly store: Pick<ChainStore, 'blocks' | 'coins'>;
  readonly params: NetworkParams;
  readonly blocks: BlockIndex;
  readonly orphans: OrphanPool;
  readonly policy: StoragePolicy;
  readonly prune?: PruneOptions;
  readonly now: () => number;
  readonly verifySignatures: SignatureVerifier;
  readonly coinsFlushBlocks: number;
  /** Where the events go (the Chain). */
  readonly events: Pick<EventEmitter<ChainEvents>, 'emit'>;
  /** The explorer indexer, once the chain has opened it. */
  readonly indexer: () => ExplorerIndexer;
}

export class BlockImporter {
  /** Blocks rejected before they got an index entry (bad body, no parent link), by hash. */
  private readonly rejected = new Map<string, RuleError>();
  private readonly store: Pick<ChainStore, 'blocks' | 'coins'>;
  private readonly params: NetworkParams;
  private readonly blocks: BlockIndex;
  private readonly orphans: OrphanPool;
  private readonly policy: StoragePolicy;
  private readonly pruneOptions: PruneOptions | undefined;
  private readonly now: () => number;
  private readonly verifySignatures: SignatureVerifier;
  private readonly coinsFlushBlocks: number;
  private readonly events: Pick<EventEmitter<ChainEvents>, 'emit'>;
  private readonly getIndexer: () => ExplorerIndexer;
  private blocksSinceFlush = 0;

  constructor(parts: ImporterParts) {
    this.store = parts.store;
    this.params = parts.params;
    this.blocks = parts.blocks;
    this.orphans = parts.orphans;
    this.policy = parts.policy;
    this.pruneOptions = parts.prune;
    this.now = parts.now;
    this.verifySignatures = parts.verifySignatures;
    this.coinsFlushBlocks = parts.coinsFlushBlocks;
    this.events = parts.events;
    this.getIndexer = parts.indexer;
  }

  private get tip(): ChainEntry {
    return this.blocks.tip;
  }

  private get indexer(): ExplorerIndexer {
    return this.getIndexer();
  }

  async processRun(
    inputs: ReadonlyArray<Block | Uint8Array>,
    source: BlockSource = {},
  ): Promise<ProcessResult[]> {
    const results: ProcessResult[] = [];
    let at = 0;
    let checked = this.checkRun(inputs, at, this.tip);
    while (at < inputs.length) {
      if (checked.length === 0) {
        // The block here does not extend the tip or fails a check: the one-block path says which.
        results.push(await this.processOne(inputs[at]!, source));
        at++;
        checked = this.checkRun(inputs, at, this.tip);
        continue;
      }
      const last = checked[checked.length - 1]!.entry;
      const next = at + checked.length;
      // While this run's signatures are checked on other threads, check the next run on its last block.
      let ahead: CheckedBlock[] = [];
      await this.connectRun(checked, results, () => {
        ahead = this.checkRun(inputs, next, last);
      });
      at = next;
      // Still valid if the run ended where expected and nothing it brought along (orphans) is in it.
      const stillNew = ahead.every((c) => !this.blocks.has(c.entry.hashHex));
      checked = this.tip === last && stillNew ? ahead : this.checkRun(inputs, at, this.tip);
    }
    await this.prune();
    return results;
  }

  /**
   * The longest stretch of `inputs` from `from` on that extends `parent` block by block and passes
   * every check that needs no coins (at most MAX_RUN_BLOCKS).
   */
  private checkRun(
    inputs: ReadonlyArray<Block | Uint8Array>,
    from: number,
    parent: ChainEntry,
  ): CheckedBlock[] {
    const run: CheckedBlock[] = [];
    for (let i = from; i < inputs.length && run.length < MAX_RUN_BLOCKS; i++) {
      const checked = this.checkRunBlock(inputs[i]!, parent);
      if (!checked) break;
      run.push(checked);
      parent = checked.entry;
    }
    return run;
  }

  /**
   * Stores a checked run, connects it as one branch and pushes each block's result. `whileVerifying`
   * runs once every block is connected and their signature checks may still be running.
   */
  private async connectRun(
    run: readonly CheckedBlock[],
    results: ProcessResult[],
    whileVerifying: () => void,
  ): Promise<void> {
    // The bodies are stored first, on their own: a failed connect must not lose the valid ones before it.
    const stored = this.store.blocks.writes();
    const ctx = new ImportContext();
    for (const r of run) {
      stored.putBlock(r.entry.hash, r.bytes).putIndex(r.entry.hash, indexRecord(r.entry));
      ctx.blocks.set(r.entry.hashHex, { block: r.block, txids: r.txids });
    }
    await stored.write();
    for (const r of run) this.blocks.add(r.entry);
    ctx.whileVerifying = whileVerifying;
    await this.activateBestChain(ctx, run[run.length - 1]!.entry);
    for (const { entry } of run) results.push(this.outcome(entry, ctx));
    await this.importOrphansOf(run.map((r) => r.entry.hashHex));
  }

  /** A block of a run: new, sane, and valid in context on `parent`; else undefined (left to process()). */
  private checkRunBlock(input: Block | Uint8Array, parent: ChainEntry): CheckedBlock | undefined {
    let block: Block;
    try {
      block = input instanceof Uint8Array ? decodeBlock(input) : input;
    } catch {
      return undefined;
    }
    if (!equalBytes(block.header.prevHash, parent.hash)) return undefined;
    const hashBytes = blockHash(block);
    if (this.knows(toHex(hashBytes))) return undefined;
    const bytes = input instanceof Uint8Array ? input : encodeBlock(block);
    const sanity = checkBlockSanity(block, this.params, this.now(), bytes.length);
    if (!sanity.ok || checkBlockContext(block, this.blocks.contextFor(parent))) return undefined;
    return { entry: this.childEntry(hashBytes, block, parent), block, bytes, txids: sanity.value.txids };
  }

  /** Imports one block and prunes what the import left deep below the tip. */
  async process(input: Block | Uint8Array, source: BlockSource = {}): Promise<ProcessResult> {
    const result = await this.processOne(input, source);
    await this.prune();
    return result;
  }

  private async processOne(input: Block | Uint8Array, source: BlockSource): Promise<ProcessResult> {
    if (input instanceof Uint8Array) {
      const orphan = this.takeOrphan(input, source.peer ?? '');
      if (orphan) return orphan;
    }
    let block: Block;
    if (input instanceof Uint8Array) {
      try {
        block = decodeBlock(input);
      } catch (e) {
        if (e instanceof RuleError) return { status: 'invalid', hash: '', error: e };
        throw e;
      }
    } else {
      block = input;
    }
    const bytes = input instanceof Uint8Array ? input : encodeBlock(block);
    const first = await this.accept(block, bytes, source.peer ?? '');
    if (first.status !== 'connected' && first.status !== 'side') return first;
    await this.importOrphansOf([first.hash]);
    const entry = this.blocks.get(first.hash);
    return { ...first, status: entry && this.blocks.isActive(entry) ? 'connected' : 'side' };
  }

  /** Imports the orphans waiting for these blocks (and for those orphans), breadth first. */
  private async importOrphansOf(hashes: readonly string[]): Promise<void> {
    const waiting = [...hashes];
    while (waiting.length > 0) {
      for (const child of this.orphans.takeChildren(waiting.shift()!)) {
        // Held after reading its header and coinbase only: the rest may not decode.
        let block: Block;
        try {
          block = decodeBlock(child.bytes);
        } catch (e) {
          if (e instanceof RuleError) continue;
          throw e;
        }
        const r = await this.accept(block, child.bytes, child.peer);
        if (r.status === 'connected' || r.status === 'side') waiting.push(r.hash);
      }
    }
  }

  /** Imports one block; `bytes` is its serialization (what is stored), `peer` who sent it ('' for us). */
  private async accept(block: Block, bytes: Uint8Array, peer: string): Promise<ProcessResult> {
    const hashBytes = blockHash(block);
    const hash = toHex(hashBytes);
    const known = this.blocks.get(hash);
    if (known) {
      return known.status === 'invalid'
        ? {
            status: 'invalid',
            hash,
            error: this.rejected.get(hash) ?? new RuleError('bad-prev-block', 'block is known to be invalid'),
          }
        : { status: 'duplicate', hash };
    }
    const rejected = this.rejected.get(hash);
    if (rejected) return { status: 'invalid', hash, error: rejected };
    if (this.orphans.has(hash)) return { status: 'duplicate', hash };

    const sanity = checkBlockSanity(block, this.params, this.now(), bytes.length);
    if (!sanity.ok) return this.reject(hash, sanity.error);

    const prevHex = toHex(block.header.prevHash);
    if (this.rejected.has(prevHex) && !this.blocks.has(prevHex)) {
      return this.reject(hash, new RuleError('bad-prev-block', `parent ${prevHex} is invalid`));
    }
    const parent = this.blocks.get(prevHex);
    if (!parent) {
      const height = claimedHeight(block.txs[0]!);
      if (height !== undefined)
        holdOrphan(this.orphans, { hash, previousHash: prevHex, height }, bytes, peer, this.tip.height);
      return { status: 'orphan', hash };
    }
    // The work its branch would have: real proof of work (sanity checked it against the claimed bits).
    const work = parent.chainWork + workForBits(block.header.bits);
    const admitted = this.policy.admits(hash, parent, work, this.tip, peer !== '');
    if (parent.status === 'invalid') {
      const error = new RuleError('bad-prev-block', `parent ${parent.hashHex} is invalid`);
      // Only a branch that could matter gets an index entry; the rest is remembered in memory (bounded).
      return admitted ? this.rejectEntry(block, hashBytes, parent, error) : this.reject(hash, error);
    }
    if (!admitted) return { status: 'low-work', hash, stale: this.policy.isNear(work, this.tip) };
    const contextError = checkBlockContext(block, this.blocks.contextFor(parent));
    if (contextError) return this.rejectEntry(block, hashBytes, parent, contextError);

    const entry = this.childEntry(hashBytes, block, parent);
    this.policy.forget(hash);
    const store = this.store.blocks
      .writes()
      .putBlock(hashBytes, bytes)
      .putIndex(hashBytes, indexRecord(entry));
    if (!this.blocks.isBetter(entry, this.tip)) {
      await store.write();
      this.blocks.add(entry);
      return { status: 'side', hash };
    }
    this.blocks.add(entry);
    const ctx = new ImportContext();
    ctx.blocks.set(hash, { block, txids: sanity.value.txids });
    // Storing the block rides in the same batch as connecting it.
    const reorg = await this.activateBestChain(ctx, entry, store);
    const outcome = this.outcome(entry, ctx);
    return outcome.status === 'invalid' ? outcome : { ...outcome, reorg };
  }

  /**
   * The result for a serialized block whose parent is unknown, from its head alone (orphan-intake.ts).
   * Undefined when it needs the full path: parent known or rejected, block known, or a head that
   * fails (the full path says why).
   */
  private takeOrphan(bytes: Uint8Array, peer: string): ProcessResult | undefined {
    const previousHash = bytes.length >= 36 ? toHex(bytes.subarray(4, 36)) : '';
    if (!previousHash || this.blocks.has(previousHash) || this.rejected.has(previousHash)) return undefined;
    const head = readOrphanHead(bytes, this.params, this.now());
    if (!head || this.blocks.has(head.hash) || this.rejected.has(head.hash)) return undefined;
    if (this.orphans.has(head.hash)) return { status: 'duplicate', hash: head.hash };
    holdOrphan(this.orphans, head, bytes, peer, this.tip.height);
    return { status: 'orphan', hash: head.hash };
  }

  /** Deletes side branches deep below the tip (see prune.ts), keeping those the coins or the explorer
   * index may still have to take off. */
  private async prune(): Promise<void> {
    const flushed = this.store.coins.cache.flushedBlock;
    const protect = [this.indexer.tip, flushed && this.blocks.get(toHex(flushed))];
    await pruneSideBranches(this.store.blocks, this.blocks, protect, this.pruneOptions);
  }

  /** Where an entry stands after its import: invalid when its connect failed or it was dropped as a
   * corrupted copy (see invalidate()). */
  private outcome(entry: ChainEntry, ctx: ImportContext): ProcessResult {
    const hash = entry.hashHex;
    if (entry.status === 'invalid' || !this.blocks.has(hash)) {
      const error = ctx.errors.get(hash) ?? this.rejected.get(hash) ?? new RuleError('bad-prev-block');
      return { status: 'invalid', hash, error };
    }
    return { status: this.blocks.isActive(entry) ? 'connected' : 'side', hash };
  }

  /** An index entry for a new block on `parent` (stored, not connected yet). */
  private childEntry(hashBytes: Uint8Array, block: Block, parent: ChainEntry): ChainEntry {
    const work = parent.chainWork + workForBits(block.header.bits);
    const sequence = this.blocks.nextSequence();
    return makeEntry(hashBytes, block.header, parent.height + 1, work, 'stored', parent, sequence);
  }

  /** Known in the index, in the orphan pool or as rejected: nothing to import (or download) again. */
  knows(hash: string): boolean {
    return this.blocks.has(hash) || this.orphans.has(hash) || this.rejected.has(hash);
  }

  /** Known to be invalid (an invalid index entry, or rejected before it got one). */
  isRejected(hash: string): RuleError | undefined {
    const entry = this.blocks.get(hash);
    if (entry?.status === 'invalid')
      return this.rejected.get(hash) ?? new RuleError('bad-prev-block', 'block is known to be invalid');
    return this.rejected.get(hash);
  }

  private reject(hash: string, error: RuleError): ProcessResult {
    // A corrupted body (malleated) says nothing about the header: a good copy may still come.
    // A block from the future may become valid later; say no now without condemning it.
    if (!error.malleated && error.code !== 'time-too-new') this.rememberRejected(hash, error);
    this.events.emit('invalid', hash, error);
    return { status: 'invalid', hash, error };
  }

  rememberRejected(hash: string, error: RuleError): void {
    if (this.rejected.size >= 10_000) this.rejected.delete(this.rejected.keys().next().value!);
    this.rejected.set(hash, error);
  }

  /** Records a block whose header fails in context: its index entry says invalid, so children are rejected too. */
  private async rejectEntry(
    block: Block,
    hashBytes: Uint8Array,
    parent: ChainEntry,
    error: RuleError,
  ): Promise<ProcessResult> {
    const height = parent.height + 1;
    const sequence = this.blocks.nextSequence();
    const entry = makeEntry(hashBytes, block.header, height, parent.chainWork, 'invalid', parent, sequence);
    await this.store.blocks.writes().putIndex(hashBytes, indexRecord(entry)).write();
    this.blocks.add(entry);
    return this.reject(entry.hashHex, error);
  }

  /**
   * Moves the active chain to the valid branch with the most work, starting with `candidate`.
   * A branch whose block fails to connect is marked invalid (from that block on) and the next best
   * branch is tried, so the node ends on the best valid chain it knows.
   */
  async activateBestChain(
    ctx: ImportContext,
    candidate: ChainEntry | undefined,
    pending?: BlockWrites,
  ): Promise<ReorgEvent | undefined> {
    // Before this call the tip was the best valid entry, and only `candidate` is new: once a
    // reorganisation onto it succeeds, nothing better exists. Only a failure needs a search.
    while (candidate && this.blocks.isBetter(candidate, this.tip)) {
      try {
        return await this.reorganize(ctx, candidate, pending);
      } catch (e) {
        if (!(e instanceof ConnectFailure)) throw e;
        // The pending block is the failed one or descends from it: it need not be stored.
        pending = undefined;
        await this.invalidate(ctx, e.entry, e.rule);
      }
      candidate = this.blocks.bestCandidate();
    }
    return undefined;
  }

  /** Disconnects to the fork point and connects up to `target`, all in one batch (after `pending`'s writes). */
  private async reorganize(
    ctx: ImportContext,
    target: ChainEntry,
    pending?: BlockWrites,
  ): Promise<ReorgEvent> {
    const oldTip = this.tip;
    const connector = {
      store: this.store,
      params: this.params,
      verifySignatures: this.verifySignatures,
      whileVerifying: ctx.whileVerifying,
    };
    // Once: a failed attempt's retry must not do it again.
    ctx.whileVerifying = undefined;
    const { fork, toDisconnect, disconnected, toConnect, connected, overlay } = await switchBranch(
      connector,
      this.blocks,
      ctx,
      target,
      pending,
    );

    // The store now says what memory must say.
    overlay.applyTo(this.store.coins.cache);
    this.store.coins.cache.bestBlock = target.hash;
    for (const entry of toConnect) entry.status = 'valid';
    this.blocks.setTip(target);
    this.blocksSinceFlush += toConnect.length + toDisconnect.length;
    if (this.blocksSinceFlush >= this.coinsFlushBlocks || this.store.coins.cache.overBudget)
      await this.flush();

    const blocks = connected.map((d) => d.block);
    const event: ReorgEvent = { oldTip, newTip: target, fork, disconnected, connected: blocks };
    for (let i = 0; i < disconnected.length; i++)
      this.events.emit('disconnect', toDisconnect[i]!, disconnected[i]!);
    for (let i = 0; i < connected.length; i++) {
      this.indexer.noteConnected(toConnect[i]!, connected[i]!);
      this.events.emit('connect', toConnect[i]!, blocks[i]!, connected[i]!.txids);
    }
    if (disconnected.length > 0) this.events.emit('reorg', event);
    this.events.emit('tip', target);
    if (connected.length === 0) this.indexer.schedule();
    return event;
  }

  async flush(): Promise<void> {
    this.blocksSinceFlush = 0;
    await this.store.coins.cache.flush();
  }

  /** Marks a block and all its descendants invalid, or forgets a corrupted copy so a good one can come. */
  private async invalidate(ctx: ImportContext, bad: ChainEntry, error: RuleError): Promise<void> {
    const remember = (hash: string, e: RuleError) => this.rememberRejected(hash, e);
    await invalidateBranch(this.store.blocks, this.blocks, remember, ctx, bad, error);
    this.events.emit('invalid', bad.hashHex, error);
  }
}
