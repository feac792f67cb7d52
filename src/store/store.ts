// The stores of a node, one per writer, over one database handle (see database.ts): each keeps its own
// keys (layout.ts) and adds its writes to batches that others may share, so that writes which belong
// together land in one atomic batch.
//   blocks    blocks, index entries, heights, undo data, 'tip'   written by the chain
//   coins     the UTXO set and its cache, 'coins-tip'            written by the coins cache
//   explorer  tx locations, address history, 'index-tip'         written by the explorer indexer
//   mempool   the pool's transactions                            written by the mempool
//   meta      typed metadata: version, markers, http peers, bans, anchors
//   libp2p    libp2p's datastore                                 written by libp2p
import { BlockStore } from './block-store.js';
import { CoinStore } from './coin-store.js';
import { type Database, WriteBatch } from './database.js';
import { ExplorerStore } from './explorer-store.js';
import { META, STORE_VERSION } from './layout.js';
import { Libp2pStore } from './libp2p-store.js';
import { MempoolStore } from './mempool-store.js';
import { MetaStore, putMeta } from './meta-store.js';

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

export interface StoreOptions {
  /** Memory for the coins cache, bytes (default 32 MiB). */
  readonly coinsCacheBytes?: number;
  /** Where the database lives (for messages and tools; '' for one not on disk). */
  readonly location?: string;
}

export class ChainStore {
  readonly blocks: BlockStore;
  readonly coins: CoinStore;
  readonly explorer: ExplorerStore;
  readonly mempool: MempoolStore;
  readonly meta: MetaStore;
  readonly libp2p: Libp2pStore;
  readonly location: string;
  /** Run before the database closes, latest first (the explorer indexer stops here). */
  private readonly closing: Array<() => Promise<void>> = [];

  private constructor(
    private readonly db: Database,
    opts: StoreOptions,
  ) {
    this.location = opts.location ?? '';
    this.blocks = new BlockStore(db);
    this.coins = new CoinStore(db, opts.coinsCacheBytes ?? 32 * 1024 * 1024);
    this.explorer = new ExplorerStore(db);
    this.mempool = new MempoolStore(db);
    this.meta = new MetaStore(db);
    this.libp2p = new Libp2pStore(db);
  }

  /**
   * The stores over an open database (created empty, or checked to be of this layout's version).
   * Closes the database and throws StoreError if it is of another version.
   */
  static async open(db: Database, opts: StoreOptions = {}): Promise<ChainStore> {
    const store = new ChainStore(db, opts);
    const version = await store.meta.version.get();
    if (version === undefined) {
      const batch = store.batch();
      putMeta(batch, META.version, STORE_VERSION);
      putMeta(batch, META.addressCounts, true);
      await batch.write();
    } else if (version !== STORE_VERSION) {
      await db.close();
      throw new StoreError(`store version ${version} is not supported (expected ${STORE_VERSION})`);
    } else if (!(await store.meta.addressCounts.get())) {
      await store.explorer.countAddressHistories();
    }
    await store.coins.open();
    return store;
  }

  /** A batch the stores add their writes to (`store.blocks.writes(batch)`, …), committed at once. */
  batch(): WriteBatch {
    return new WriteBatch(this.db);
  }

  /** Runs `stop` before the database closes (a writer that must finish its batch first). */
  beforeClose(stop: () => Promise<void>): void {
    this.closing.push(stop);
  }

  /** Stops the writers registered with beforeClose, writes the coins cache's changes, then closes. */
  async close(): Promise<void> {
    if (this.db.status === 'open') {
      for (const stop of this.closing.splice(0).reverse()) await stop();
      await this.coins.flushIfNeeded();
    }
    return this.db.close();
  }

  /** Merges the database's levels now where the implementation can (classic-level), instead of later. */
  async compact(): Promise<void> {
    const db = this.db as Database & { compactRange?: (start: Uint8Array, end: Uint8Array) => Promise<void> };
    await db.compactRange?.(new Uint8Array([0]), new Uint8Array([0xff]));
  }
}
