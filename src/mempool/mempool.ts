// Transactions waiting for a block: validated against the UTXO set plus unconfirmed parents,
// ordered by fee rate, bounded in size, persisted across restarts and refilled after reorgs.
import { EventEmitter } from 'node:events';
import type { Chain, ReorgEvent } from '../chain/chain.js';
import type { Block } from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import { decodeTx, encodeTx, isCoinbase, outpointKey, type Tx, txid } from '../core/tx.js';
import { type Coin, type CoinView, checkTxInputs, checkTxSanity, type SigCheck } from '../core/validation.js';
import type { ChainStore } from '../store/store.js';

export interface MempoolEntry {
  readonly tx: Tx;
  readonly txid: Uint8Array;
  readonly txidHex: string;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly fee: bigint;
  /** Base units per byte. */
  readonly feeRate: number;
  /** Seconds since the epoch at acceptance. */
  readonly time: number;
  /** The coins this transaction spends, in input order (for address views). */
  readonly spent: readonly Coin[];
}

export interface MempoolOptions {
  readonly chain: Chain;
  readonly store: ChainStore;
  /** Minimum fee rate to accept, in base units per byte. */
  readonly minFeeRate?: number;
  /** Total serialized size the pool may hold. */
  readonly maxBytes?: number;
  readonly verifySignatures: (checks: readonly SigCheck[]) => Promise<number>;
  readonly now?: () => number;
}

export interface MempoolEvents {
  added: [entry: MempoolEntry];
  removed: [entry: MempoolEntry, reason: 'confirmed' | 'conflict' | 'evicted' | 'reorg'];
  /** Transactions of disconnected blocks that are back in the pool after a reorganisation. */
  restored: [entries: MempoolEntry[]];
}

export class Mempool extends EventEmitter<MempoolEvents> {
  private readonly entries = new Map<string, MempoolEntry>();
  /** outpoint key → txid of the pool transaction spending it. */
  private readonly spends = new Map<string, string>();
  private totalBytes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  readonly minFeeRate: number;
  readonly maxBytes: number;
  private readonly chain: Chain;
  private readonly store: ChainStore;
  private readonly now: () => number;

  constructor(private readonly opts: MempoolOptions) {
    super();
    this.chain = opts.chain;
    this.store = opts.store;
    this.minFeeRate = opts.minFeeRate ?? 1;
    this.maxBytes = opts.maxBytes ?? 32_000_000;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.chain.on('connect', (_entry, block) => this.onConnect(block));
    this.chain.on('reorg', (event) => {
      // A failure here is a store failure (e.g. during shutdown); the chain itself is already consistent.
      this.onReorg(event).catch(() => undefined);
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(txidHex: string): MempoolEntry | undefined {
    return this.entries.get(txidHex);
  }

  has(txidHex: string): boolean {
    return this.entries.has(txidHex);
  }

  /** The pool transaction spending an outpoint, if any. */
  spender(key: string): string | undefined {
    return this.spends.get(key);
  }

  /** Entries by fee rate, highest first. */
  sorted(): MempoolEntry[] {
    return [...this.entries.values()].sort((a, b) => b.feeRate - a.feeRate || a.time - b.time);
  }

  /**
   * Reloads the persisted pool (after a restart): transactions that are no longer valid are dropped.
   * The store keeps them by txid, so they are put back in order first: parents before children.
   */
  async load(): Promise<number> {
    const stored = new Map<string, { tx: Tx; bytes: Uint8Array }>();
    for (const bytes of await this.store.mempoolTxs()) {
      try {
        const tx = decodeTx(bytes);
        stored.set(toHex(txid(tx)), { tx, bytes });
      } catch {
        // Unreadable bytes cannot be a valid transaction; the txid (its key) is unknown, so leave it.
      }
    }
    let loaded = 0;
    for (const { tx, bytes } of parentsFirst(stored)) {
      try {
        await this.add(bytes);
        loaded++;
      } catch {
        await this.store.batch().delMempoolTx(txid(tx)).write();
      }
    }
    return loaded;
  }

  /**
   * Validates and adds a transaction. Throws RuleError naming the rule broken; the pool is unchanged then.
   * Calls are serialised so two conflicting spends cannot both pass.
   */
  add(input: Tx | Uint8Array): Promise<MempoolEntry> {
    const run = this.queue.then(() => this.accept(input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async accept(input: Tx | Uint8Array): Promise<MempoolEntry> {
    const tx = input instanceof Uint8Array ? decodeTx(input) : input;
    const bytes = input instanceof Uint8Array ? input : encodeTx(tx);
    const id = txid(tx);
    const idHex = toHex(id);
    if (this.entries.has(idHex))
      throw new RuleError('already-known', `transaction ${idHex} is already in the mempool`);
    if (isCoinbase(tx))
      throw new RuleError('non-final', 'a coinbase transaction is only valid inside a block');
    const sanity = checkTxSanity(tx);
    if (sanity) throw sanity;
    if (await this.store.getTxLocation(id))
      throw new RuleError('already-known', `transaction ${idHex} is already confirmed`);
    for (const inp of tx.inputs) {
      const key = outpointKey(inp.prevTxid, inp.prevIndex);
      const other = this.spends.get(key);
      if (other)
        throw new RuleError('double-spend', `output ${key} is already spent by mempool transaction ${other}`);
    }
    // Validate against the tip; if the tip moves while we wait for the store, validate again.
    for (;;) {
      const tip = this.chain.tip;
      const view = await this.viewFor(tx);
      const spendHeight = tip.height + 1;
      const result = checkTxInputs(tx, view, spendHeight, this.chain.params, 0, id);
      if (!result.ok) throw result.error;
      const bad = await this.opts.verifySignatures(result.value.sigChecks);
      if (bad >= 0) throw new RuleError('bad-signature', `signature of input ${bad} does not verify`);
      if (this.chain.tip !== tip) continue;
      const size = bytes.length;
      const fee = result.value.fee;
      const feeRate = Number(fee) / size;
      if (feeRate < this.minFeeRate) {
        throw new RuleError(
          'fee-too-low',
          `fee rate ${feeRate.toFixed(3)} units/byte is below the minimum ${this.minFeeRate}`,
        );
      }
      const entry: MempoolEntry = {
        tx,
        txid: id,
        txidHex: idHex,
        bytes,
        size,
        fee,
        feeRate,
        time: this.now(),
        spent: result.value.spent,
      };
      const evicted = this.makeRoom(entry);
      const batch = this.store.batch().putMempoolTx(id, bytes);
      for (const e of evicted) batch.delMempoolTx(e.txid);
      await batch.write();
      for (const e of evicted) this.remove(e, 'evicted');
      this.insert(entry);
      this.emit('added', entry);
      return entry;
    }
  }

  /** Coins from the store, overlaid with outputs of pool transactions (unconfirmed parents). */
  private async viewFor(tx: Tx): Promise<CoinView> {
    const coins = new Map<string, Coin>();
    const fromStore: Array<{ key: string; txid: Uint8Array; index: number }> = [];
    for (const inp of tx.inputs) {
      const key = outpointKey(inp.prevTxid, inp.prevIndex);
      const parent = this.entries.get(toHex(inp.prevTxid));
      const out = parent?.tx.outputs[inp.prevIndex];
      if (out)
        coins.set(key, {
          amount: out.amount,
          address: out.address,
          height: this.chain.height + 1,
          coinbase: false,
        });
      else fromStore.push({ key, txid: inp.prevTxid, index: inp.prevIndex });
    }
    const found = await this.store.getCoins(fromStore);
    found.forEach((c, i) => {
      if (c) coins.set(fromStore[i]!.key, c);
    });
    return { get: (key) => coins.get(key) };
  }

  /** Which entries to evict (lowest fee rate first, with their descendants) so that `entry` fits. */
  private makeRoom(entry: MempoolEntry): MempoolEntry[] {
    if (this.totalBytes + entry.size <= this.maxBytes) return [];
    const evicted = new Map<string, MempoolEntry>();
    let freed = 0;
    for (const victim of this.sorted().reverse()) {
      if (this.totalBytes - freed + entry.size <= this.maxBytes) break;
      if (victim.feeRate >= entry.feeRate) break;
      for (const e of [victim, ...this.descendants(victim)]) {
        if (!evicted.has(e.txidHex)) {
          evicted.set(e.txidHex, e);
          freed += e.size;
        }
      }
    }
    if (this.totalBytes - freed + entry.size > this.maxBytes) {
      throw new RuleError(
        'mempool-full',
        `the mempool is full and fee rate ${entry.feeRate.toFixed(3)} is too low to make room`,
      );
    }
    return [...evicted.values()];
  }

  private descendants(entry: MempoolEntry): MempoolEntry[] {
    const out: MempoolEntry[] = [];
    const stack = [entry];
    while (stack.length > 0) {
      const e = stack.pop()!;
      e.tx.outputs.forEach((_, index) => {
        const child = this.spends.get(outpointKey(e.txidHex, index));
        const c = child && this.entries.get(child);
        if (c && !out.includes(c)) {
          out.push(c);
          stack.push(c);
        }
      });
    }
    return out;
  }

  private insert(entry: MempoolEntry): void {
    this.entries.set(entry.txidHex, entry);
    this.totalBytes += entry.size;
    for (const inp of entry.tx.inputs)
      this.spends.set(outpointKey(inp.prevTxid, inp.prevIndex), entry.txidHex);
  }

  private remove(entry: MempoolEntry, reason: MempoolEvents['removed'][1]): void {
    if (!this.entries.delete(entry.txidHex)) return;
    this.totalBytes -= entry.size;
    for (const inp of entry.tx.inputs) {
      const key = outpointKey(inp.prevTxid, inp.prevIndex);
      if (this.spends.get(key) === entry.txidHex) this.spends.delete(key);
    }
    this.emit('removed', entry, reason);
  }

  /** Confirmed transactions leave; so do transactions that conflict with the block, and their descendants. */
  private onConnect(block: Block): void {
    const gone: Array<[MempoolEntry, 'confirmed' | 'conflict']> = [];
    for (const tx of block.txs) {
      const confirmed = this.entries.get(toHex(txid(tx)));
      if (confirmed) gone.push([confirmed, 'confirmed']);
      for (const inp of tx.inputs) {
        const spender = this.spends.get(outpointKey(inp.prevTxid, inp.prevIndex));
        const e = spender && this.entries.get(spender);
        if (e && e !== confirmed) {
          gone.push([e, 'conflict']);
          for (const d of this.descendants(e)) gone.push([d, 'conflict']);
        }
      }
    }
    if (gone.length === 0) return;
    const batch = this.store.batch();
    for (const [e, reason] of gone) {
      batch.delMempoolTx(e.txid);
      this.remove(e, reason);
    }
    // Persisting the removal is best effort: a stale entry is dropped on the next load (already confirmed).
    batch.write().catch(() => undefined);
  }

  /**
   * After a reorganisation the transactions of the abandoned branch come back, then the rest of the pool
   * is validated again (a parent may have vanished with the old branch). Nothing valid is lost.
   */
  private async onReorg(event: ReorgEvent): Promise<void> {
    const back: Tx[] = [];
    for (const block of [...event.disconnected].reverse())
      for (const tx of block.txs) if (!isCoinbase(tx)) back.push(tx);
    const current = [...this.entries.values()].sort((a, b) => a.time - b.time);
    for (const e of current) this.remove(e, 'reorg');
    const batch = this.store.batch();
    for (const e of current) batch.delMempoolTx(e.txid);
    await batch.write();
    const restored: MempoolEntry[] = [];
    for (const [i, tx] of [...back, ...current.map((e) => e.tx)].entries()) {
      try {
        const entry = await this.add(tx);
        if (i < back.length) restored.push(entry);
      } catch {
        // Confirmed on the new branch, or conflicting with it: it is rightly gone.
      }
    }
    if (restored.length > 0) this.emit('restored', restored);
  }
}

/** Transactions ordered so that each comes after its parents within the set (Kahn's algorithm). */
function parentsFirst<T extends { tx: Tx }>(byId: ReadonlyMap<string, T>): T[] {
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const [id, { tx }] of byId) {
    const parents = new Set(tx.inputs.map((i) => toHex(i.prevTxid)).filter((p) => p !== id && byId.has(p)));
    waiting.set(id, parents.size);
    for (const p of parents) {
      const list = children.get(p);
      if (list) list.push(id);
      else children.set(p, [id]);
    }
  }
  const ready = [...waiting].filter(([, n]) => n === 0).map(([id]) => id);
  const out: T[] = [];
  for (let i = 0; i < ready.length; i++) {
    out.push(byId.get(ready[i]!)!);
    for (const child of children.get(ready[i]!) ?? []) {
      const n = waiting.get(child)! - 1;
      waiting.set(child, n);
      if (n === 0) ready.push(child);
    }
  }
  // Valid transactions cannot form a cycle; any left over are tried last (and rejected).
  for (const [id, n] of waiting) if (n > 0) out.push(byId.get(id)!);
  return out;
}
