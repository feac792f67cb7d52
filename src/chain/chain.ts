// The chain: block index, most-work fork choice, connect/disconnect with undo data, reorganisations.
//
// processBlock() owns every side effect of importing a block, in this order:
//   1. pure checks (sanity, then context against the parent)      - no writes
//   2. persist the block and its index entry                       - one batch
//   3. fork choice: if the block's branch has the most work, reorganise onto it:
//      disconnect to the fork point and connect the new branch in memory, then write every
//      UTXO, undo, height and tip change as ONE batch                - one batch
//   4. events (connect, disconnect, reorg, tip)                    - after the write
// A crash between any two steps leaves a consistent store: the tip and the UTXO set always move together.
import { EventEmitter } from 'node:events';
import { type Block, blockHash, decodeBlock, encodeBlock } from '../core/block.js';
import { equalBytes, fromHex, toHex } from '../core/bytes.js';
import { medianTimePast, nextBits } from '../core/difficulty.js';
import { RuleError } from '../core/errors.js';
import { genesisBlock } from '../core/genesis.js';
import type { NetworkParams } from '../core/params.js';
import { workForBits } from '../core/pow.js';
import { outpointKey, txid } from '../core/tx.js';
import {
  type BlockContext,
  checkBlockContext,
  checkBlockSanity,
  connectBlock,
  type SigCheck,
  verifySigChecks,
} from '../core/validation.js';
import { verifyNode } from '../crypto/ed25519-node.js';
import type { ChainStore, StoreBatch } from '../store/store.js';
import { addressDeltas } from './address-deltas.js';
import { CoinOverlay, parseOutpointKey } from './coin-overlay.js';
import { type ChainEntry, findFork, makeEntry } from './entry.js';
import { OrphanPool } from './orphans.js';

/** Verifies signature checks; resolves to the index of the first bad one, or -1. */
export type SignatureVerifier = (checks: readonly SigCheck[]) => Promise<number>;

export const verifyOnMainThread: SignatureVerifier = async (checks) => {
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (!verifyNode(c.publicKey, c.message, c.signature)) return i;
  }
  return -1;
};

export type ProcessStatus = 'connected' | 'side' | 'orphan' | 'duplicate' | 'invalid';

export interface ProcessResult {
  readonly status: ProcessStatus;
  readonly hash: string;
  readonly error?: RuleError;
  readonly reorg?: ReorgEvent;
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
  connect: [entry: ChainEntry, block: Block];
  disconnect: [entry: ChainEntry, block: Block];
  reorg: [event: ReorgEvent];
  tip: [entry: ChainEntry];
  invalid: [hash: string, error: RuleError];
}

export interface ChainOptions {
  readonly store: ChainStore;
  readonly params: NetworkParams;
  /** Seconds since the epoch; the only clock the chain reads. */
  readonly now?: () => number;
  readonly verifySignatures?: SignatureVerifier;
  readonly maxOrphans?: number;
}

/** A block of a new branch failed to connect. */
class ConnectFailure extends Error {
  constructor(
    readonly entry: ChainEntry,
    readonly rule: RuleError,
  ) {
    super(rule.message);
  }
}

export class Chain extends EventEmitter<ChainEvents> {
  readonly params: NetworkParams;
  readonly store: ChainStore;
  private readonly now: () => number;
  private readonly verifySignatures: SignatureVerifier;
  private readonly index = new Map<string, ChainEntry>();
  /** The active chain by height. */
  private active: ChainEntry[] = [];
  /** Blocks rejected before they got an index entry (bad body, no parent link), by hash. */
  private readonly rejected = new Map<string, RuleError>();
  private readonly orphans: OrphanPool;
  private sequence = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(opts: ChainOptions) {
    super();
    this.params = opts.params;
    this.store = opts.store;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.verifySignatures = opts.verifySignatures ?? verifyOnMainThread;
    this.orphans = new OrphanPool(opts.maxOrphans ?? 200);
  }

  /** Opens the chain on a store: loads the block index, or writes the genesis block into an empty store. */
  static async open(opts: ChainOptions): Promise<Chain> {
    const chain = new Chain(opts);
    await chain.load();
    return chain;
  }

  get tip(): ChainEntry {
    return this.active[this.active.length - 1]!;
  }

  get height(): number {
    return this.active.length - 1;
  }

  get genesis(): ChainEntry {
    return this.active[0]!;
  }

  getEntry(hash: string): ChainEntry | undefined {
    return this.index.get(hash);
  }

  entryAtHeight(height: number): ChainEntry | undefined {
    return this.active[height];
  }

  isActive(entry: ChainEntry): boolean {
    return this.active[entry.height] === entry;
  }

  /** Known in the index, in the orphan pool or as rejected: nothing to download again. */
  hasBlock(hash: string): boolean {
    return this.index.has(hash) || this.orphans.has(hash) || this.rejected.has(hash);
  }

  async getBlock(hash: string): Promise<Block | undefined> {
    const bytes = await this.store.getBlockBytes(fromHex(hash));
    return bytes && decodeBlock(bytes);
  }

  getBlockBytes(hash: string): Promise<Uint8Array | undefined> {
    return this.store.getBlockBytes(fromHex(hash));
  }

  /** The context a block built on the current tip must satisfy (used by the miner). */
  nextContext(): BlockContext & { prevHash: Uint8Array } {
    return { ...this.contextFor(this.tip), prevHash: this.tip.hash };
  }

  /** Active-chain hashes, tip first, 10 consecutive then exponentially spaced, genesis last. */
  locator(): string[] {
    const out: string[] = [];
    let step = 1;
    for (let h = this.height; h > 0; h -= step) {
      out.push(this.active[h]!.hashHex);
      if (out.length >= 10) step *= 2;
    }
    out.push(this.genesis.hashHex);
    return out;
  }

  /** Headers of the active chain after the first locator hash found on it. */
  headersAfter(locator: readonly string[], max: number): Uint8Array[] {
    let start = 0;
    for (const hash of locator) {
      const entry = this.index.get(hash);
      if (entry && this.isActive(entry)) {
        start = entry.height + 1;
        break;
      }
    }
    const out: Uint8Array[] = [];
    for (let h = start; h <= this.height && out.length < max; h++)
      out.push(this.active[h]!.headerBytes.slice());
    return out;
  }

  /** Median time past of the active tip: a new block's time must be above it. */
  medianTimePast(entry: ChainEntry = this.tip): number {
    const times: number[] = [];
    for (let e: ChainEntry | undefined = entry; e && times.length < 11; e = e.parent) times.unshift(e.time);
    return medianTimePast(times);
  }

  /**
   * Imports a block (decoded, or raw bytes from the network). Calls are serialised: one block at a time.
   * Never throws for bad data: the result says what happened, with the rule broken.
   */
  processBlock(input: Block | Uint8Array): Promise<ProcessResult> {
    const run = this.queue.then(() => this.process(input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async process(input: Block | Uint8Array): Promise<ProcessResult> {
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
    const first = await this.accept(block, input instanceof Uint8Array ? input : encodeBlock(block));
    if (first.status !== 'connected' && first.status !== 'side') return first;
    // The block may be the missing parent of orphans: import them too, breadth first.
    const waiting = [first.hash];
    while (waiting.length > 0) {
      for (const child of this.orphans.takeChildren(waiting.shift()!)) {
        const r = await this.accept(child, encodeBlock(child));
        if (r.status === 'connected' || r.status === 'side') waiting.push(r.hash);
      }
    }
    const entry = this.index.get(first.hash);
    return { ...first, status: entry && this.isActive(entry) ? 'connected' : 'side' };
  }

  /** Imports one block; `bytes` is its serialization (what is stored). */
  private async accept(block: Block, bytes: Uint8Array): Promise<ProcessResult> {
    const hashBytes = blockHash(block);
    const hash = toHex(hashBytes);
    const known = this.index.get(hash);
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
    if (this.rejected.has(prevHex) && !this.index.has(prevHex)) {
      return this.reject(hash, new RuleError('bad-prev-block', `parent ${prevHex} is invalid`));
    }
    const parent = this.index.get(prevHex);
    if (!parent) {
      this.orphans.add(hash, block);
      return { status: 'orphan', hash };
    }
    if (parent.status === 'invalid') {
      return this.rejectEntry(
        block,
        hashBytes,
        parent,
        new RuleError('bad-prev-block', `parent ${parent.hashHex} is invalid`),
      );
    }
    const contextError = checkBlockContext(block, this.contextFor(parent));
    if (contextError) return this.rejectEntry(block, hashBytes, parent, contextError);

    const entry = makeEntry(
      hashBytes,
      block.header,
      parent.height + 1,
      parent.chainWork + workForBits(block.header.bits),
      'stored',
      parent,
      this.sequence++,
    );
    const record = {
      header: block.header,
      height: entry.height,
      chainWork: entry.chainWork,
      status: 'stored' as const,
    };
    const store = this.store.batch().putBlock(hashBytes, bytes).putIndex(hashBytes, record);
    if (!this.isBetter(entry, this.tip)) {
      await store.write();
      this.index.set(hash, entry);
      return { status: 'side', hash };
    }
    this.index.set(hash, entry);
    this.blockCache.set(hash, { block, txids: sanity.value.txids });

    this.connectErrors.clear();
    // Storing the block rides in the same batch as connecting it.
    const reorg = await this.activateBestChain(entry, store);
    this.blockCache.clear();
    if (entry.status === 'invalid' || !this.index.has(hash)) {
      // Invalid when connected, or dropped as a corrupted copy (see invalidate()).
      const error =
        this.connectErrors.get(hash) ?? this.rejected.get(hash) ?? new RuleError('bad-prev-block');
      return { status: 'invalid', hash, error };
    }
    return { status: this.isActive(entry) ? 'connected' : 'side', hash, reorg };
  }

  /** Why blocks failed to connect during the current import. */
  private readonly connectErrors = new Map<string, RuleError>();

  /** Blocks decoded during this import, so a connect does not read them back from the store. */
  private readonly blockCache = new Map<string, { block: Block; txids: readonly Uint8Array[] }>();

  private reject(hash: string, error: RuleError): ProcessResult {
    // A corrupted body (malleated) says nothing about the header: a good copy may still come.
    // A block from the future may become valid later; say no now without condemning it.
    if (!error.malleated && error.code !== 'time-too-new') this.rememberRejected(hash, error);
    this.emit('invalid', hash, error);
    return { status: 'invalid', hash, error };
  }

  private rememberRejected(hash: string, error: RuleError): void {
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
    const entry = makeEntry(
      hashBytes,
      block.header,
      parent.height + 1,
      parent.chainWork,
      'invalid',
      parent,
      this.sequence++,
    );
    await this.store
      .batch()
      .putIndex(hashBytes, {
        header: block.header,
        height: entry.height,
        chainWork: entry.chainWork,
        status: 'invalid',
      })
      .write();
    this.index.set(entry.hashHex, entry);
    return this.reject(entry.hashHex, error);
  }

  private contextFor(parent: ChainEntry): BlockContext {
    const height = parent.height + 1;
    const interval = this.params.retargetInterval;
    const window =
      !this.params.noRetarget && height % interval === 0
        ? { firstTime: this.ancestor(parent, height - interval).time, lastTime: parent.time }
        : undefined;
    return {
      height,
      expectedBits: nextBits(this.params, height, parent.bits, window),
      medianTimePast: this.medianTimePast(parent),
    };
  }

  private ancestor(entry: ChainEntry, height: number): ChainEntry {
    let e: ChainEntry = entry;
    while (e.height > height) {
      if (this.isActive(e)) return this.active[height]!;
      e = e.parent!;
    }
    return e;
  }

  /**
   * Moves the active chain to the valid branch with the most work, starting with `candidate`.
   * A branch whose block fails to connect is marked invalid (from that block on) and the next best
   * branch is tried, so the node ends on the best valid chain it knows.
   */
  private async activateBestChain(
    candidate: ChainEntry | undefined,
    pending?: StoreBatch,
  ): Promise<ReorgEvent | undefined> {
    // Before this call the tip was the best valid entry, and only `candidate` is new: once a
    // reorganisation onto it succeeds, nothing better exists. Only a failure needs a search.
    while (candidate && this.isBetter(candidate, this.tip)) {
      try {
        return await this.reorganize(candidate, pending);
      } catch (e) {
        if (!(e instanceof ConnectFailure)) throw e;
        // The pending block is the failed one or descends from it: it need not be stored.
        pending = undefined;
        await this.invalidate(e.entry, e.rule);
      }
      candidate = this.bestCandidate();
    }
    return undefined;
  }

  private isBetter(a: ChainEntry, b: ChainEntry): boolean {
    return a.chainWork > b.chainWork;
  }

  /** The stored, not-invalid entry with the most work (first seen on ties). */
  private bestCandidate(): ChainEntry | undefined {
    let best: ChainEntry | undefined;
    for (const e of this.index.values()) {
      if (e.status === 'invalid' || !this.isBetter(e, this.tip)) continue;
      if (
        !best ||
        e.chainWork > best.chainWork ||
        (e.chainWork === best.chainWork && e.sequence < best.sequence)
      ) {
        best = e;
      }
    }
    return best;
  }

  private async loadForConnect(entry: ChainEntry): Promise<{ block: Block; txids: readonly Uint8Array[] }> {
    const cached = this.blockCache.get(entry.hashHex);
    if (cached) return cached;
    const block = await this.getBlock(entry.hashHex);
    if (!block) throw new Error(`block ${entry.hashHex} is in the index but not in the store`);
    return { block, txids: block.txs.map(txid) };
  }

  /** Disconnects to the fork point and connects up to `target`, all in one batch (after `pending`'s writes). */
  private async reorganize(target: ChainEntry, pending?: StoreBatch): Promise<ReorgEvent> {
    const oldTip = this.tip;
    const fork = findFork(oldTip, target);
    const toConnect: ChainEntry[] = [];
    for (let e: ChainEntry = target; e !== fork; e = e.parent!) toConnect.unshift(e);

    const overlay = new CoinOverlay(this.store);
    const batch = pending ?? this.store.batch();
    const disconnected: Block[] = [];
    const toDisconnect = this.active.slice(fork.height + 1).reverse();
    for (const entry of toDisconnect) {
      const { block, txids } = await this.loadForConnect(entry);
      await this.writeDisconnect(batch, overlay, entry, block, txids);
      disconnected.push(block);
    }
    const connected: Block[] = [];
    for (const entry of toConnect) {
      const { block, txids } = await this.loadForConnect(entry);
      await this.writeConnect(batch, overlay, entry, block, txids);
      connected.push(block);
    }
    batch.putTip(target.hash);
    await batch.write();

    // The store now says what memory must say.
    this.active.length = fork.height + 1;
    for (const entry of toConnect) {
      entry.status = 'valid';
      this.active.push(entry);
    }
    const event: ReorgEvent = { oldTip, newTip: target, fork, disconnected, connected };
    for (let i = 0; i < disconnected.length; i++) this.emit('disconnect', toDisconnect[i]!, disconnected[i]!);
    for (let i = 0; i < connected.length; i++) this.emit('connect', toConnect[i]!, connected[i]!);
    if (disconnected.length > 0) this.emit('reorg', event);
    this.emit('tip', target);
    return event;
  }

  private async writeConnect(
    batch: StoreBatch,
    overlay: CoinOverlay,
    entry: ChainEntry,
    block: Block,
    txids: readonly Uint8Array[],
  ): Promise<void> {
    await overlay.prefetch(block);
    const result = connectBlock(block, txids, entry.height, overlay, this.params);
    if (!result.ok) throw new ConnectFailure(entry, result.error);
    const { spent, created, sigChecks } = result.value;
    // Signatures are checked (on worker threads) while the batch is built; a failure discards it all.
    const verifying = this.verifySignatures(sigChecks);
    const undo = spent.map(([key, coin]) => {
      overlay.spend(key);
      const outpoint = parseOutpointKey(key);
      batch.delCoin(outpoint.txid, outpoint.index, coin.address);
      return { ...outpoint, coin };
    });
    for (const [key, coin] of created) {
      overlay.set(key, coin);
      const { txid: id, index } = parseOutpointKey(key);
      batch.putCoin(id, index, coin);
    }
    batch.putUndo(entry.hash, undo).putHeight(entry.height, entry.hash);
    txids.forEach((id, i) => {
      batch.putTxLocation(id, entry.hash, i);
    });
    for (const d of addressDeltas(block, txids, undo))
      batch.putAddressDelta(d.address, entry.height, d.txid, d.delta);
    const bad = await verifying;
    if (bad >= 0) throw new ConnectFailure(entry, verifySigChecks([sigChecks[bad]!], () => false)!);
    if (entry.status !== 'valid') {
      batch.putIndex(entry.hash, {
        header: entry.header,
        height: entry.height,
        chainWork: entry.chainWork,
        status: 'valid',
      });
    }
  }

  private async writeDisconnect(
    batch: StoreBatch,
    overlay: CoinOverlay,
    entry: ChainEntry,
    block: Block,
    txids: readonly Uint8Array[],
  ): Promise<void> {
    const undo = await this.store.getUndo(entry.hash);
    if (!undo) throw new Error(`no undo data for active block ${entry.hashHex}`);
    block.txs.forEach((tx, i) => {
      tx.outputs.forEach((out, index) => {
        overlay.spend(outpointKey(txids[i]!, index));
        batch.delCoin(txids[i]!, index, out.address);
      });
    });
    for (const { txid: id, index, coin } of undo) {
      overlay.set(outpointKey(id, index), coin);
      batch.putCoin(id, index, coin);
    }
    batch.delUndo(entry.hash).delHeight(entry.height);
    for (const id of txids) batch.delTxLocation(id);
    for (const d of addressDeltas(block, txids, undo)) batch.delAddressDelta(d.address, entry.height, d.txid);
  }

  /** Marks a block and all its descendants invalid, or forgets a corrupted copy so a good one can come. */
  private async invalidate(bad: ChainEntry, error: RuleError): Promise<void> {
    this.connectErrors.set(bad.hashHex, error);
    const descendants = [...this.index.values()].filter((e) => {
      for (let x: ChainEntry | undefined = e; x && x.height >= bad.height; x = x.parent)
        if (x === bad) return true;
      return false;
    });
    if (error.malleated) {
      // The body we stored does not match a valid block with this header; drop it and its descendants,
      // from memory and from the store, so that a good copy can come later.
      const forget = this.store.batch();
      for (const e of descendants) {
        this.index.delete(e.hashHex);
        forget.delBlock(e.hash).delIndex(e.hash);
        // Nothing is known against a descendant itself: refused now, but not condemned.
        if (e !== bad) {
          const why = `ancestor ${bad.hashHex} came with a corrupted body (${error.code})`;
          this.connectErrors.set(e.hashHex, new RuleError('bad-prev-block', why, true));
        }
      }
      await forget.write();
      this.emit('invalid', bad.hashHex, error);
      return;
    }
    const batch = this.store.batch();
    for (const e of descendants) {
      e.status = 'invalid';
      batch.putIndex(e.hash, {
        header: e.header,
        height: e.height,
        chainWork: e.chainWork,
        status: 'invalid',
      });
      this.rememberRejected(
        e.hashHex,
        e === bad ? error : new RuleError('bad-prev-block', `ancestor ${bad.hashHex} is invalid`),
      );
    }
    await batch.write();
    this.emit('invalid', bad.hashHex, error);
  }

  private async load(): Promise<void> {
    const records: Array<[Uint8Array, import('../store/codec.js').IndexRecord]> = [];
    for await (const r of this.store.indexRecords()) records.push(r);
    if (records.length === 0) {
      await this.writeGenesis();
      return;
    }
    // Parents before children: sort by height, then link.
    records.sort((a, b) => a[1].height - b[1].height);
    for (const [hash, r] of records) {
      const parent = r.height === 0 ? undefined : this.index.get(toHex(r.header.prevHash));
      if (r.height > 0 && !parent) continue; // unreachable entry; ignore
      const entry = makeEntry(hash, r.header, r.height, r.chainWork, r.status, parent, this.sequence++);
      this.index.set(entry.hashHex, entry);
    }
    const tipHash = await this.store.getTip();
    const tip = tipHash && this.index.get(toHex(tipHash));
    if (!tip)
      throw new Error('the store has blocks but no valid tip: it is corrupted (run `hashline chain verify`)');
    const genesis = genesisBlock(this.params);
    const first = [...this.index.values()].find((e) => e.height === 0);
    if (!first || !equalBytes(first.hash, blockHash(genesis))) {
      throw new Error(`the data directory holds another network's chain (not ${this.params.name})`);
    }
    this.active = new Array(tip.height + 1);
    for (let e: ChainEntry | undefined = tip; e; e = e.parent) this.active[e.height] = e;
    for (const e of this.index.values())
      if (e.status === 'invalid')
        this.rememberRejected(e.hashHex, new RuleError('bad-prev-block', 'block was marked invalid'));
    // A crash between storing a block and connecting it leaves a heavier stored branch: finish the job.
    await this.activateBestChain(this.bestCandidate());
  }

  private async writeGenesis(): Promise<void> {
    const block = genesisBlock(this.params);
    const hash = blockHash(block);
    const entry = makeEntry(
      hash,
      block.header,
      0,
      workForBits(block.header.bits),
      'valid',
      undefined,
      this.sequence++,
    );
    const batch = this.store
      .batch()
      .putBlock(hash, block)
      .putIndex(hash, { header: block.header, height: 0, chainWork: entry.chainWork, status: 'valid' })
      .putHeight(0, hash)
      .putUndo(hash, [])
      .putTip(hash);
    // Genesis outputs pay to an unspendable key hash; they are stored like any other coins.
    const id = txid(block.txs[0]!);
    block.txs[0]!.outputs.forEach((out, index) => {
      batch.putCoin(id, index, { amount: out.amount, address: out.address, height: 0, coinbase: true });
    });
    batch.putTxLocation(id, hash, 0);
    await batch.write();
    this.index.set(entry.hashHex, entry);
    this.active = [entry];
  }
}
