// Opening a chain: the block index from the store, the genesis block into an empty store, and the coins
// brought from where they were last flushed ('coins-tip') to the tip by reconnecting the stored blocks.
import { blockHash } from '../core/block.js';
import { equalBytes, toHex } from '../core/bytes.js';
import { genesisBlock } from '../core/genesis.js';
import { networkTag } from '../core/network-id.js';
import type { NetworkParams } from '../core/params.js';
import { workForBits } from '../core/pow.js';
import { txid } from '../core/tx.js';
import { indexRecordTail } from '../store/codec.js';
import type { ChainStore } from '../store/store.js';

/** What opening a chain reads and writes: blocks, coins, the markers and (for genesis) the explorer. */
export type OpenedStores = Pick<ChainStore, 'blocks' | 'coins' | 'explorer' | 'meta' | 'batch'>;

import type { BlockIndex } from './block-index.js';
import { CoinOverlay } from './coin-overlay.js';
import { type Connector, connectInto, disconnectInto, loadForConnect } from './connect.js';
import {
  type ChainEntry,
  findFork,
  indexRecord,
  makeEntry,
  type UnlinkedEntry,
  unlinkedEntry,
} from './entry.js';

export interface LoadedChain {
  readonly tip: ChainEntry;
  /** What the coins on disk are valid for. */
  readonly coinsTip: ChainEntry;
  /** What the explorer index is at. */
  readonly indexTip: ChainEntry;
}

/** Fills `index` from the store; undefined for an empty store. */
export async function loadIndex(
  store: OpenedStores,
  params: NetworkParams,
  index: BlockIndex,
): Promise<LoadedChain | undefined> {
  // Each record becomes its entry at once (nothing per record outlives the read), linked once all are read.
  const unlinked: UnlinkedEntry[] = [];
  for await (const batch of store.blocks.indexRecordBatches()) {
    for (const [hash, bytes] of batch) {
      const { height, chainWork, status } = indexRecordTail(bytes);
      unlinked.push(unlinkedEntry(hash, bytes, height, chainWork, status));
    }
  }
  if (unlinked.length === 0) return undefined;
  // Parents before children: sort by height (stable: ties in key order), then link.
  unlinked.sort((a, b) => a.height - b.height);
  for (const e of unlinked) {
    const parent = e.height === 0 ? undefined : index.getByBytes(e.headerBytes.subarray(4, 36));
    if (e.height > 0 && !parent) continue; // unreachable entry; ignore
    index.add(e.link(parent, index.nextSequence()));
  }
  const corrupted = 'it is corrupted (run `hashline chain verify`)';
  const entryOf = async (read: Promise<Uint8Array | undefined>, fallback?: ChainEntry) => {
    const hash = await read;
    return hash ? index.get(toHex(hash)) : fallback;
  };
  const tip = await entryOf(store.meta.tip.get());
  if (!tip) throw new Error(`the store has blocks but no valid tip: ${corrupted}`);
  const first = [...index.values()].find((e) => e.height === 0);
  if (!first || !equalBytes(first.hash, blockHash(genesisBlock(params)))) {
    throw new Error(
      `the data directory holds a chain that does not start with this version's ${networkTag(params)} genesis block ` +
        '(another network or network id, or a chain made before the genesis blocks changed): use another --data-dir',
    );
  }
  // A store written before the markers existed has its coins and explorer index at the tip.
  const coinsTip = await entryOf(store.meta.coinsTip.get(), tip);
  const indexTip = await entryOf(store.meta.indexTip.get(), tip);
  if (!coinsTip || !indexTip)
    throw new Error(`the coins or the explorer index name an unknown block: ${corrupted}`);
  index.setTip(tip);
  return { tip, coinsTip, indexTip };
}

/**
 * Brings the coins from `from` (where they were flushed) to the active tip: takes `from`'s branch off to
 * the fork with its undo data, then reconnects the stored blocks (checked when first connected, so
 * signatures are not verified again). The result is flushed at once.
 */
export async function replayCoins(c: Connector, index: BlockIndex, from: ChainEntry): Promise<number> {
  const tip = index.tip;
  if (from === tip) return 0;
  const fork = findFork(from, tip);
  const overlay = new CoinOverlay(c.store.coins.cache);
  // Nothing of the batch is needed (undo, heights and statuses were written with each block).
  const scratch = c.store.blocks.writes();
  let moved = 0;
  for (let e = from; e !== fork; e = e.parent!, moved++) {
    await disconnectInto(c.store.blocks, scratch, overlay, e, await loadForConnect(c.store.blocks, e));
  }
  const up: ChainEntry[] = [];
  for (let e: ChainEntry = tip; e !== fork; e = e.parent!) up.push(e);
  for (let i = up.length - 1; i >= 0; i--, moved++) {
    const e = up[i]!;
    // Replayed blocks were verified when first connected: no signature checks are left running.
    await connectInto(c, scratch, overlay, e, await loadForConnect(c.store.blocks, e));
  }
  overlay.applyTo(c.store.coins.cache);
  c.store.coins.cache.bestBlock = tip.hash;
  await c.store.coins.cache.flush();
  return moved;
}

/** Writes the genesis block, its coins and its explorer entries into an empty store, in one batch. */
export async function writeGenesis(
  store: OpenedStores,
  params: NetworkParams,
  index: BlockIndex,
): Promise<void> {
  const block = genesisBlock(params);
  const hash = blockHash(block);
  const entry = makeEntry(
    hash,
    block.header,
    0,
    workForBits(block.header.bits),
    'valid',
    undefined,
    index.nextSequence(),
  );
  const batch = store.batch();
  store.blocks
    .writes(batch)
    .putBlock(hash, block)
    .putIndex(hash, indexRecord(entry))
    .putHeight(0, hash)
    .putUndo(hash, [])
    .putTip(hash);
  const coins = store.coins.writes(batch).putCoinsTip(hash);
  const explorer = store.explorer.writes(batch).putIndexTip(hash);
  // Genesis outputs pay to an unspendable key hash; they are stored like any other coins.
  const id = txid(block.txs[0]!);
  block.txs[0]!.outputs.forEach((out, i) => {
    coins.putCoin(id, i, { amount: out.amount, address: out.address, height: 0, coinbase: true });
    explorer.putAddressCoin(out.address, id, i);
  });
  explorer.putTxLocation(id, hash, 0);
  await batch.write();
  store.coins.cache.bestBlock = hash;
  store.coins.cache.flushedBlock = hash;
  index.add(entry);
  index.setTip(entry);
}
