// Read-side lookups shared by the endpoint implementations: the chain, the explorer index and the pool.
import type { ChainEntry } from '../chain/entry.js';
import type { Block } from '../core/block.js';
import { fromHex, toHex } from '../core/bytes.js';
import { merkleTree } from '../core/merkle.js';
import { outpointKey, txid } from '../core/tx.js';
import { isMature } from '../core/validation.js';
import { decodeAddress, encodeAddress } from '../crypto/address.js';
import type { ApiContext } from './context.js';
import { notFound } from './errors.js';
import { ADDRESS_UTXO_PAGE_MAX } from './read-bounds.js';
import { addressMemo, blockView, spentCoinsOfBlock, txView } from './views.js';

/** The ports a chain lookup reads. */
export type ChainReads = Pick<ApiContext, 'params' | 'chain' | 'explorer' | 'mempool'>;

/** The index entry a height or hash names, if its block is known and not invalid. Throws 404. */
export function findEntry(ctx: Pick<ApiContext, 'chain'>, hashOrHeight: string): ChainEntry {
  const { chain } = ctx;
  let entry: ChainEntry | undefined;
  if (/^\d{1,10}$/.test(hashOrHeight)) entry = chain.entryAtHeight(Number(hashOrHeight));
  else if (/^[0-9a-fA-F]{64}$/.test(hashOrHeight)) entry = chain.getEntry(hashOrHeight.toLowerCase());
  else throw notFound(`"${hashOrHeight}" is neither a block height nor a block hash`);
  if (!entry || entry.status === 'invalid') throw notFound(`no block ${hashOrHeight}`);
  return entry;
}

export async function findBlock(
  ctx: Pick<ApiContext, 'chain'>,
  hashOrHeight: string,
): Promise<{ entry: ChainEntry; block: Block }> {
  const entry = findEntry(ctx, hashOrHeight);
  const block = await ctx.chain.getBlock(entry.hashHex);
  if (!block) throw notFound(`no block ${hashOrHeight}`);
  return { entry, block };
}

export async function getBlockView(ctx: Pick<ApiContext, 'chain'>, hashOrHeight: string) {
  const { entry, block } = await findBlock(ctx, hashOrHeight);
  return blockView(ctx.chain, entry, block);
}

export async function getTxView(ctx: ChainReads, id: string) {
  const pooled = ctx.mempool.get(id);
  if (pooled) return txView(ctx.params, pooled.tx, { confirmations: 0, spent: pooled.spent });
  const loc = await ctx.explorer.txLocation(fromHex(id));
  if (!loc) throw notFound(`no transaction ${id} in the chain or the mempool`);
  const entry = ctx.chain.getEntry(toHex(loc.blockHash));
  const block = entry && (await ctx.chain.getBlock(entry.hashHex));
  if (!entry || !block) throw notFound(`no transaction ${id}`);
  const txids = block.txs.map(txid);
  const spent = await spentCoinsOfBlock(ctx.chain.store.blocks, entry, block, txids);
  return txView(ctx.params, block.txs[loc.index]!, {
    block: { hash: entry.hashHex, height: entry.height, tree: merkleTree(txids), index: loc.index },
    confirmations: ctx.chain.height - entry.height + 1,
    spent: spent[loc.index],
  });
}

export async function addressInfo(
  ctx: ChainReads,
  address: string,
  offset = 0,
  limit = 50,
  utxoPage = { offset: 0, limit: ADDRESS_UTXO_PAGE_MAX },
) {
  const hash = decodeAddress(ctx.params.addressPrefix, address);
  const hashHex = toHex(hash);
  const { chain, mempool, params } = ctx;
  const tipHeight = chain.height;
  const coins = await ctx.explorer.addressCoins(hash);
  let confirmed = 0n;
  const utxos = coins.map(({ txid: id, index, coin }) => {
    confirmed += coin.amount;
    const key = outpointKey(id, index);
    const spendable = isMature(coin, tipHeight + 1, params);
    return {
      txid: toHex(id),
      index,
      amount: coin.amount.toString(),
      height: coin.height,
      coinbase: coin.coinbase,
      confirmations: tipHeight - coin.height + 1,
      spendable: spendable && !mempool.spender(key),
      spentBy: mempool.spender(key) ?? null,
    };
  });
  // Unconfirmed: pool transactions paying to or spending from the address (the pool indexes them).
  let unconfirmed = 0n;
  const pending: Array<{ txid: string; height: null; time: number; delta: string }> = [];
  for (const e of mempool.touching(hashHex)) {
    let delta = 0n;
    e.spent.forEach((c) => {
      if (toHex(c.address) === hashHex) delta -= c.amount;
    });
    e.tx.outputs.forEach((o, index) => {
      if (toHex(o.address) === hashHex) {
        delta += o.amount;
        if (!mempool.spender(outpointKey(e.txidHex, index))) {
          utxos.push({
            txid: e.txidHex,
            index,
            amount: o.amount.toString(),
            height: -1,
            coinbase: false,
            confirmations: 0,
            spendable: true,
            spentBy: null,
          });
        }
      }
    });
    if (delta !== 0n || e.tx.outputs.some((o) => toHex(o.address) === hashHex)) {
      unconfirmed += delta;
      pending.push({ txid: e.txidHex, height: null, time: e.time, delta: delta.toString() });
    }
  }
  const deltas = await ctx.explorer.addressDeltas(hash, { offset, limit });
  const confirmedHistory = deltas.map((d) => ({
    txid: toHex(d.txid),
    height: d.height as number | null,
    time: chain.entryAtHeight(d.height)?.header.time ?? 0,
    delta: d.delta.toString(),
  }));
  return {
    address: encodeAddress(params.addressPrefix, hash),
    balance: { confirmed: confirmed.toString(), unconfirmed: unconfirmed.toString() },
    // The balance counts every coin; the answer lists one page of them (read-bounds.ts).
    utxos: utxos.slice(utxoPage.offset, utxoPage.offset + utxoPage.limit),
    utxoTotal: utxos.length,
    history: offset === 0 ? [...pending, ...confirmedHistory] : confirmedHistory,
    // A kept count: the history is not scanned for its length.
    total: (await ctx.explorer.addressTxCount(hash)) + pending.length,
  };
}

/**
 * Walks the active chain down from `start` until the page holds `limit` transactions. A page ends at a
 * block boundary, so that `next` (a height) loses or repeats nothing: a block is taken whole, and one
 * that would overflow the page waits for the next one, unless it is the page's first (then it is taken
 * whole, even past `limit`, so paging always advances).
 */
export async function latestTxs(ctx: Pick<ApiContext, 'params' | 'chain'>, start: number, limit: number) {
  const { chain, params } = ctx;
  const address = addressMemo(params);
  const tip = chain.height;
  const txs = [];
  let height = Math.min(start, tip);
  for (; height >= 0 && txs.length < limit; height--) {
    const entry = chain.entryAtHeight(height);
    // Gone when a reorganisation shortened the chain meanwhile: the page ends here.
    if (!entry) break;
    const block = await chain.getBlock(entry.hashHex);
    if (!block) continue;
    if (txs.length > 0 && txs.length + block.txs.length > limit) break;
    const ids = block.txs.map(txid);
    const spent = await spentCoinsOfBlock(chain.store.blocks, entry, block, ids);
    // Newest first within the block too: the list is the chain's transactions in reverse order.
    for (let index = block.txs.length - 1; index >= 0; index--) {
      const view = txView(params, block.txs[index]!, {
        block: { hash: entry.hashHex, height, index },
        confirmations: tip - height + 1,
        spent: spent[index],
        txid: ids[index],
        address,
      });
      txs.push({ ...view, time: entry.header.time });
    }
  }
  return { txs, next: height >= 0 ? height + 1 : null };
}
