// Transactions waiting for a block: validated against the UTXO set plus unconfirmed parents,
// ordered by fee rate, bounded in size, persisted across restarts and rebuilt after reorgs.
//
// Every change to the pool runs in one serial queue: accepts (add) and reorganisation rebuilds. A rebuild
// is enqueued the moment the chain reports a reorg, and accepts that reach it wait behind it, so no
// transaction is judged against a pool that is missing the restored ones.
import { EventEmitter } from 'node:events';
import type { Chain, ReorgEvent } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import type { Block } from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { decodeTx, encodeTx, isCoinbase, type Tx, txid } from '../core/tx.js';
import type { SigCheck } from '../core/validation.js';
import type { CoinStore } from '../store/coin-store.js';
import type { MempoolStore } from '../store/mempool-store.js';
import { type AdmitContext, admit } from './admit.js';
import { type MempoolEntry, PoolState, parentsFirst } from './pool-state.js';
import { type SelectedPackage, selectForBlock, selectPackages } from './select.js';

export type { MempoolEntry } from './pool-state.js';

/** The mempool writes the mempool store and reads the coins (never the explorer index). */
export interface MempoolStores {
  readonly mempool: MempoolStore;
  readonly coins: Pick<CoinStore, 'getCoins'>;
}

export interface MempoolOptions {
  readonly chain: Chain;
  /** Where the pool is kept across restarts (its only writer), and the UTXO set it spends from. */
  readonly store: MempoolStores;
  /** Minimum fee rate to accept, in base units per byte. */
  readonly minFeeRate?: number;
  /** What the pool's transactions may take in memory, as entryMemory counts it (entry-memory.ts). */
  readonly maxMemory?: number;
  readonly verifySignatures: (checks: readonly SigCheck[]) => Promise<number>;
  readonly now?: () => number;
}

/** Where an added transaction came from: relay passes on local ones; peers' ones travel by their own path. */
export type TxOrigin = 'local' | 'peer' | 'restored';

export interface MempoolEvents {
  added: [entry: MempoolEntry, origin: TxOrigin];
  removed: [entry: MempoolEntry, reason: 'confirmed' | 'conflict' | 'evicted' | 'reorg' | 'replaced'];
  /** Transactions of disconnected blocks that are back in the pool after a reorganisation. */
  restored: [entries: MempoolEntry[]];
  /** A store fault while persisting the pool; the node logs it. */
  error: [error: Error];
}

export const DEFAULT_MIN_FEE_RATE = 1;
/** About 25,000 one-input two-output payments (4.9 MB serialized), five full blocks. */
export const DEFAULT_MAX_MEMORY = 100_000_000;
/** Validations of one job before giving up on a tip that keeps moving. */
const MAX_ATTEMPTS = 8;
/** Reorganisations an accept may wait behind before it is refused. */
const MAX_DEFERRALS = 16;
const DEFER = Symbol('defer');

/** A block the chain connected, with the txids it computed for the connect. */
interface ConnectedBlock {
  readonly block: Block;
  readonly txids: readonly Uint8Array[];
}

interface RebuildJob {
  /** Accepts that reached the queue while this rebuild was pending; they run right after it, in order. */
  readonly deferred: Array<() => Promise<void>>;
}

export class Mempool extends EventEmitter<MempoolEvents> {
  private pool: PoolState;
  private queue: Promise<unknown> = Promise.resolve();
  /** Rebuilds enqueued and not finished, oldest first. */
  private readonly rebuilds: RebuildJob[] = [];
  private rebuilt: Promise<void> = Promise.resolve();
  /** Blocks connected while a rebuild validates its candidate pool. */
  private connectedDuringRebuild: ConnectedBlock[] | undefined;
  readonly minFeeRate: number;
  readonly maxMemory: number;
  private readonly chain: Chain;
  private readonly store: MempoolStore;
  private readonly now: () => number;
  private readonly ctx: AdmitContext;

  constructor(opts: MempoolOptions) {
    super();
    this.chain = opts.chain;
    this.store = opts.store.mempool;
    this.minFeeRate = opts.minFeeRate ?? DEFAULT_MIN_FEE_RATE;
    this.maxMemory = opts.maxMemory ?? DEFAULT_MAX_MEMORY;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.pool = new PoolState(this.maxMemory);
    this.ctx = {
      chain: this.chain,
      coins: opts.store.coins,
      minFeeRate: this.minFeeRate,
      verifySignatures: opts.verifySignatures,
    };
    this.chain.on('connect', (_entry, block, txids) => this.onConnect({ block, txids }));
    this.chain.on('reorg', (event) => this.onReorg(event));
  }

  get size(): number {
    return this.pool.entries.size;
  }

  get bytes(): number {
    return this.pool.totalBytes;
  }

  /** What the pool's transactions take in memory, as its limit counts it. */
  get memory(): number {
    return this.pool.totalMemory;
  }

  get(txidHex: string): MempoolEntry | undefined {
    return this.pool.entries.get(txidHex);
  }

  has(txidHex: string): boolean {
    return this.pool.entries.has(txidHex);
  }

  /** The pool transaction spending an outpoint, if any. */
  spender(key: string): string | undefined {
    return this.pool.spends.get(key);
  }

  /** Entries by fee rate, highest first. */
  sorted(): MempoolEntry[] {
    return this.pool.sorted();
  }

  /**
   * The entries for a block of at most `maxBytes` of transactions, by ancestor-package fee rate, parents
   * first. None while a reorganisation rebuild is pending: the pool was judged against the old tip (its
   * transactions may spend coins of disconnected blocks, or be non-final at the new height), so a template
   * from it could be an invalid block. `settled()` says when the rebuilt pool is in place.
   */
  selectForBlock(maxBytes: number): MempoolEntry[] {
    if (this.rebuilds.length > 0) return [];
    return selectForBlock(this.pool, maxBytes);
  }

  /** The packages for a block of at most `maxBytes`, in the order the miner's selection takes them. */
  selectPackages(maxBytes: number): SelectedPackage[] {
    return selectPackages(this.pool, maxBytes);
  }

  /** Entries spending from or paying to an address hash (hex), by fee rate, highest first. */
  touching(addressHex: string): MempoolEntry[] {
    return this.pool.touching(addressHex);
  }

  /**
   * Resolves once every reorganisation rebuild enqueued so far has finished (ordinary adds are not
   * waited for). Never rejects: a failed rebuild is reported through the 'error' event.
   */
  settled(): Promise<void> {
    return this.rebuilt;
  }

  /**
   * Reloads the persisted pool (after a restart): transactions that break a rule now are deleted.
   * The store keeps them by txid, so they are put back in order first: parents before children.
   * A store fault rejects, and the transaction stays stored.
   */
  async load(): Promise<number> {
    const stored = new Map<string, { tx: Tx; bytes: Uint8Array }>();
    for (const bytes of await this.store.txs()) {
      try {
        const tx = decodeTx(bytes);
        stored.set(toHex(txid(tx)), { tx, bytes });
      } catch {
        // Unreadable bytes cannot be a valid transaction; the txid (its key) is unknown, so leave it.
      }
    }
    let loaded = 0;
    for (const { tx, bytes } of parentsFirst(stored)) {
      const id = txid(tx);
      try {
        await this.add(bytes);
        loaded++;
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        if (!this.pool.entries.has(toHex(id))) await this.store.writes().delTx(id).write();
      }
    }
    return loaded;
  }

  /**
   * Judges a transaction as add() would, against the current tip and pool, and changes nothing: the
   * entry it would be, or the RuleError naming the rule it breaks (POST /api/v1/decode explains it).
   */
  async check(tx: Tx, bytes: Uint8Array): Promise<MempoolEntry> {
    const { entry } = await admit(this.ctx, this.pool, this.chain.tip, tx, bytes, {
      time: this.now(),
      verify: true,
      replace: true,
    });
    return entry;
  }

  /**
   * Validates and adds a transaction; one that conflicts with pool transactions replaces them (and
   * their descendants) if it passes the replacement rules (replacement.ts), all in one step.
   * Throws RuleError naming the rule broken; the pool is unchanged then.
   * Calls are serialised so two conflicting spends cannot both pass; one that meets a pending
   * reorganisation rebuild runs again right after it, so it is judged against the rebuilt pool.
   */
  add(input: Tx | Uint8Array, origin: TxOrigin = 'local'): Promise<MempoolEntry> {
    return new Promise((resolve, reject) => {
      const run = async (deferrals: number): Promise<void> => {
        try {
          const result = await this.accept(input, origin);
          if (result !== DEFER) return resolve(result);
          const next = this.rebuilds[0];
          if (!next || deferrals >= MAX_DEFERRALS) throw new Error('the chain kept reorganising; try again');
          next.deferred.push(() => run(deferrals + 1));
        } catch (e) {
          reject(e);
        }
      };
      void this.enqueue(() => run(0));
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One accept job; DEFER when a rebuild is pending (it must judge the transaction, not this pool). */
  private async accept(input: Tx | Uint8Array, origin: TxOrigin): Promise<MempoolEntry | typeof DEFER> {
    const tx = input instanceof Uint8Array ? decodeTx(input) : input;
    const bytes = input instanceof Uint8Array ? input : encodeTx(tx);
    for (let attempt = 1; ; attempt++) {
      if (this.rebuilds.length > 0) return DEFER;
      const tip = this.chain.tip;
      const verdict = await admit(this.ctx, this.pool, tip, tx, bytes, {
        time: this.now(),
        verify: true,
        replace: true,
      }).catch((e: unknown) => {
        if (e instanceof RuleError) return e;
        throw e;
      });
      if (this.rebuilds.length > 0) return DEFER;
      if (this.chain.tip !== tip) {
        giveUpAfter(attempt);
        continue;
      }
      // A refusal stands only if the coins it was judged on are still the tip's (checked just above).
      if (verdict instanceof RuleError) throw verdict;
      const { entry, replaced } = verdict;
      const evicted = this.pool.makeRoom(entry, replaced);
      // The newcomer, what it replaces and what it evicts: one batch, one step in memory.
      const batch = this.store.writes().putTx(entry.txid, bytes);
      for (const e of [...replaced, ...evicted]) batch.delTx(e.txid);
      await batch.write();
      if (this.rebuilds.length > 0 || this.chain.tip !== tip) {
        // The chain moved during the write: undo it and judge the transaction again.
        const undo = this.store.writes().delTx(entry.txid);
        for (const e of [...replaced, ...evicted])
          if (this.pool.entries.get(e.txidHex) === e) undo.putTx(e.txid, e.bytes);
        await undo.write();
        if (this.rebuilds.length > 0) return DEFER;
        giveUpAfter(attempt);
        continue;
      }
      for (const e of this.pool.removeAll(replaced)) this.emit('removed', e, 'replaced');
      for (const e of this.pool.removeAll(evicted)) this.emit('removed', e, 'evicted');
      this.pool.insert(entry);
      this.emit('added', entry, origin);
      return entry;
    }
  }

  /** Confirmed transactions leave; so do transactions that conflict with the block, and their descendants. */
  private onConnect(connected: ConnectedBlock): void {
    this.connectedDuringRebuild?.push(connected);
    // The chain hands over the txids it computed to connect the block: none is hashed again here.
    if (this.pool.entries.size === 0) return;
    const gone = this.pool.goneWith(
      connected.block.txs,
      connected.txids.map((id) => toHex(id)),
    );
    if (gone.length === 0) return;
    const batch = this.store.writes();
    for (const [e] of gone) batch.delTx(e.txid);
    const reasons = new Map(gone);
    for (const e of this.pool.removeAll(reasons.keys())) this.emit('removed', e, reasons.get(e)!);
    // A stale stored entry is harmless (dropped on the next load, already confirmed), but a fault is reported.
    batch.write().catch((err: unknown) => this.fail(err));
  }

  /** Enqueued synchronously, so every accept submitted after the reorg runs after the rebuild. */
  private onReorg(event: ReorgEvent): void {
    const job: RebuildJob = { deferred: [] };
    this.rebuilds.push(job);
    const run = this.enqueue(async () => {
      let failure: { error: unknown } | undefined;
      try {
        await this.rebuild(event);
      } catch (error) {
        failure = { error };
      }
      this.rebuilds.shift();
      for (const deferred of job.deferred) await deferred();
      if (failure) throw failure.error;
    });
    this.rebuilt = run.catch((e: unknown) => this.fail(e));
  }

  /**
   * Builds the pool for the new tip off to the side: the transactions of the disconnected blocks first
   * (oldest block first), then the current pool in arrival order, each judged with parents from the
   * candidate. Swaps it in at once. Redone if the tip moves meanwhile.
   */
  private async rebuild(event: ReorgEvent): Promise<void> {
    const back: Tx[] = [];
    for (const block of [...event.disconnected].reverse())
      for (const tx of block.txs) if (!isCoinbase(tx)) back.push(tx);
    for (let attempt = 1; ; attempt++) {
      const tip = this.chain.tip;
      const connected: ConnectedBlock[] = [];
      this.connectedDuringRebuild = connected;
      let built: { candidate: PoolState; restored: MempoolEntry[] };
      try {
        built = await this.candidatePool(back, tip);
      } finally {
        this.connectedDuringRebuild = undefined;
      }
      if (this.chain.tip !== tip && attempt < MAX_ATTEMPTS) continue;
      // Out of attempts with the tip still moving: take out what the new blocks confirm or conflict with.
      for (const b of connected) {
        const gone = built.candidate.goneWith(
          b.block.txs,
          b.txids.map((id) => toHex(id)),
        );
        built.candidate.removeAll(gone.map(([e]) => e));
      }
      await this.swap(built.candidate, built.restored);
      return;
    }
  }

  private async candidatePool(
    back: readonly Tx[],
    tip: ChainEntry,
  ): Promise<{ candidate: PoolState; restored: MempoolEntry[] }> {
    const candidate = new PoolState(this.maxMemory);
    const restored: MempoolEntry[] = [];
    const time = this.now();
    // Signatures of pool entries were verified on entry and do not depend on the chain.
    const items = [
      ...back.map((tx) => ({ tx, bytes: encodeTx(tx), time, verify: true, isBack: true })),
      ...this.pool
        .byArrival()
        .map((e) => ({ tx: e.tx, bytes: e.bytes, time: e.time, verify: false, isBack: false })),
    ];
    for (const item of items) {
      try {
        // No replacement here: the first of two conflicting transactions keeps its place.
        const { entry } = await admit(this.ctx, candidate, tip, item.tx, item.bytes, item);
        candidate.removeAll(candidate.makeRoom(entry));
        candidate.insert(entry);
        if (item.isBack) restored.push(entry);
      } catch (e) {
        // Confirmed on the new branch, conflicting with it or orphaned by it: rightly gone.
        if (!(e instanceof RuleError)) throw e;
      }
    }
    return { candidate, restored };
  }

  /** Replaces the pool in one step, then persists the difference in one batch and tells listeners. */
  private async swap(candidate: PoolState, restored: readonly MempoolEntry[]): Promise<void> {
    const old = this.pool;
    this.pool = candidate;
    const dropped = [...old.entries.values()].filter((e) => !candidate.entries.has(e.txidHex));
    const back = restored.filter((e) => candidate.entries.get(e.txidHex) === e);
    const batch = this.store.writes();
    for (const e of dropped) batch.delTx(e.txid);
    for (const e of back) batch.putTx(e.txid, e.bytes);
    const writing = batch.write();
    for (const e of dropped) this.emit('removed', e, 'reorg');
    for (const e of back) this.emit('added', e, 'restored');
    if (back.length > 0) this.emit('restored', back);
    await writing;
  }

  private fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    // 'error' with no listener would throw and end the process; the node listens, bare uses get a warning.
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else if (typeof process !== 'undefined') process.emitWarning(error);
    else console.warn(error); // a browser has no process warnings
  }
}

function giveUpAfter(attempt: number): void {
  if (attempt >= MAX_ATTEMPTS) throw new Error('the chain tip kept moving while the transaction was checked');
}
