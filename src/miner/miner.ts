// The miner: builds a template on the tip from the mempool, searches nonces on worker threads,
// rolls the extra-nonce when the nonce space runs out, and starts over when the tip changes.
import { EventEmitter } from 'node:events';
import type { Chain, ProcessResult } from '../chain/chain.js';
import type { Block } from '../core/block.js';
import { encodeHeader } from '../core/header.js';
import { bitsToTarget, targetToBytes } from '../core/pow.js';
import type { Mempool } from '../mempool/mempool.js';
import { BLOCK_TX_BYTES } from '../mempool/select.js';
import type { NonceSource } from './nonce-search.js';
import { assembleBlock } from './template.js';

export interface MinerOptions {
  readonly chain: Chain;
  readonly mempool: Mempool;
  /** The node's worker-thread NonceSearcher, or the browser node's Web Workers. */
  readonly searcher: NonceSource;
  /** 20-byte key hash the coinbase pays to. */
  address: Uint8Array;
  readonly now?: () => number;
  /** Text written into every coinbase after height and extra-nonce. */
  readonly coinbaseText?: string;
}

export interface MinedBlock {
  readonly block: Block;
  readonly result: ProcessResult;
}

export interface MinerEvents {
  found: [mined: MinedBlock];
  error: [error: Error];
}

export class Miner extends EventEmitter<MinerEvents> {
  private running = false;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private extraNonce = 0n;
  readonly found: MinedBlock[] = [];
  private readonly now: () => number;
  /** Searches in progress (mineOne calls may overlap: the searcher runs them in turn). */
  private searching = 0;

  constructor(private readonly opts: MinerOptions) {
    super();
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    // A new tip makes the current search pointless: abandon it at once.
    opts.chain.on('tip', () => this.abort?.abort());
  }

  get mining(): boolean {
    return this.running;
  }

  get address(): Uint8Array {
    return this.opts.address;
  }

  set address(address: Uint8Array) {
    this.opts.address = address;
  }

  /** Hashes per second while a search runs; 0 when idle, not the last figure of a finished search. */
  hashRate(): number {
    return this.searching > 0 ? this.opts.searcher.hashRate() : 0;
  }

  get threads(): number {
    return this.opts.searcher.threads;
  }

  /**
   * Changes the nonce search's worker threads (1..256, RangeError otherwise). A search under way is
   * abandoned so that mining goes on at once with the new count, on a fresh template.
   */
  setThreads(threads: number): void {
    if (threads === this.opts.searcher.threads) return;
    this.opts.searcher.setThreads(threads);
    this.abort?.abort();
  }

  /** Builds a block on the current tip, paying `address` (default: the miner's). */
  template(address: Uint8Array = this.opts.address): Block {
    const { chain, mempool } = this.opts;
    const ctx = chain.nextContext();
    const txs = mempool.selectForBlock(BLOCK_TX_BYTES);
    this.extraNonce++;
    return assembleBlock({
      params: chain.params,
      height: ctx.height,
      prevHash: ctx.prevHash,
      bits: ctx.expectedBits,
      time: Math.max(this.now(), ctx.medianTimePast + 1),
      minerAddress: address,
      txs: txs.map((e) => ({ tx: e.tx, fee: e.fee, txid: e.txid })),
      extraNonce: this.extraNonce,
      text: this.opts.coinbaseText ? new TextEncoder().encode(this.opts.coinbaseText) : undefined,
    });
  }

  /**
   * Mines one block and submits it. Retries on a new template when the tip moves or the nonce space
   * runs out. `signal` cancels (resolves to undefined).
   */
  async mineOne(opts: { address?: Uint8Array; signal?: AbortSignal } = {}): Promise<MinedBlock | undefined> {
    while (!opts.signal?.aborted) {
      // After a reorganisation, wait for the pool rebuilt for the new tip (until then it gives no transactions).
      await this.opts.mempool.settled();
      if (opts.signal?.aborted) break;
      const block = this.template(opts.address);
      const target = bitsToTarget(block.header.bits)!;
      const abort = new AbortController();
      this.abort = abort;
      const onOuterAbort = () => abort.abort();
      opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
      this.searching++;
      try {
        const outcome = await this.opts.searcher.search(encodeHeader(block.header), targetToBytes(target), {
          signal: abort.signal,
        });
        if (outcome.nonce === null) continue; // exhausted or aborted: new template
        const solved: Block = { header: { ...block.header, nonce: outcome.nonce }, txs: block.txs };
        const result = await this.opts.chain.processBlock(solved);
        if (result.status !== 'connected') continue; // someone else's block won the race
        const mined = { block: solved, result };
        this.found.push(mined);
        if (this.found.length > 50) this.found.shift();
        this.emit('found', mined);
        return mined;
      } finally {
        this.searching--;
        opts.signal?.removeEventListener('abort', onOuterAbort);
        if (this.abort === abort) this.abort = undefined;
      }
    }
    return undefined;
  }

  /**
   * Mines `count` blocks one after the other (each on the tip the previous one made); stops early,
   * with what it mined, if mining is interrupted.
   */
  async mineMany(
    count: number,
    opts: { address?: Uint8Array; signal?: AbortSignal } = {},
  ): Promise<MinedBlock[]> {
    const mined: MinedBlock[] = [];
    while (mined.length < count) {
      const block = await this.mineOne(opts);
      if (!block) break;
      mined.push(block);
    }
    return mined;
  }

  /** Mines continuously until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const stopper = new AbortController();
    this.stopper = stopper;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.mineOne({ signal: stopper.signal });
        } catch (e) {
          this.emit('error', e as Error);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }

  private stopper: AbortController | undefined;

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopper?.abort();
    await this.loop;
  }
}
