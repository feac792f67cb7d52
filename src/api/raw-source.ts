// The node as raw data and decoding see it (src/api/impl/raw.ts, src/api/decode/): narrow, read-only
// views built over the API's ports (the chain reader, the explorer index, the mempool view).
import type { ChainEntry } from '../chain/entry.js';
import { type Block, blockHashHex } from '../core/block.js';
import { fromHex, toHex } from '../core/bytes.js';
import { encodeTx, outpointKey, type Tx, txid } from '../core/tx.js';
import type { Coin } from '../core/validation.js';
import type { ApiContext } from './context.js';

/** The ports raw data and decoding read. */
type RawPorts = Pick<ApiContext, 'params' | 'chain' | 'explorer' | 'mempool'>;

import type { DecodeContext, TxKnowledge } from './decode/index.js';
import { findEntry } from './queries.js';
import { spentCoinsOfBlock } from './views.js';

/** Serialized blocks and transactions the node has. */
export interface RawReader {
  /** A block's bytes by hash or height; throws 404 when the node has none. */
  blockBytes(hashOrHeight: string): Promise<Uint8Array | undefined>;
  /** A pending or confirmed transaction's bytes. */
  txBytes(txidHex: string): Promise<Uint8Array | undefined>;
}

export interface RawSource {
  readonly raw: RawReader;
  readonly decode: DecodeContext;
}

export function rawSourceOf(ctx: RawPorts): RawSource {
  return { raw: rawReader(ctx), decode: decodeContext(ctx) };
}

async function confirmedTx(ctx: RawPorts, id: Uint8Array) {
  const loc = await ctx.explorer.txLocation(id);
  const entry = loc && ctx.chain.getEntry(toHex(loc.blockHash));
  const block = entry && (await ctx.chain.getBlock(entry.hashHex));
  return loc && entry && block ? { entry, block, index: loc.index } : undefined;
}

function rawReader(ctx: RawPorts): RawReader {
  return {
    async blockBytes(hashOrHeight) {
      const entry = findEntry(ctx, hashOrHeight);
      return ctx.chain.getBlockBytes(entry.hashHex);
    },
    async txBytes(txidHex) {
      const pooled = ctx.mempool.get(txidHex);
      if (pooled) return pooled.bytes;
      await ctx.mempool.settled();
      const found = await confirmedTx(ctx, fromHex(txidHex));
      return found && encodeTx(found.block.txs[found.index]!);
    },
  };
}

/** The UTXO set's coins for the outpoints a list of transactions spends, with pending outputs over them. */
async function tipCoins(ctx: RawPorts, txs: readonly Tx[], withPool: boolean): Promise<Map<string, Coin>> {
  const outpoints = txs.flatMap((tx) => tx.inputs.map((i) => ({ txid: i.prevTxid, index: i.prevIndex })));
  const found = await ctx.chain.store.coins.getCoins(outpoints);
  const coins = new Map<string, Coin>();
  found.forEach((coin, i) => {
    const o = outpoints[i]!;
    if (coin) coins.set(outpointKey(o.txid, o.index), coin);
    else if (withPool) {
      const out = ctx.mempool.get(toHex(o.txid))?.tx.outputs[o.index];
      const height = ctx.chain.height + 1;
      if (out) coins.set(outpointKey(o.txid, o.index), { ...out, height, coinbase: false });
    }
  });
  return coins;
}

function decodeContext(ctx: RawPorts): DecodeContext {
  const { chain } = ctx;
  const storedAndActive = (entry: ChainEntry | undefined): entry is ChainEntry =>
    entry !== undefined && entry.status !== 'invalid' && chain.isActive(entry);
  return {
    params: ctx.params,
    now: () => Math.floor(Date.now() / 1000),
    entry: (hashHex) => chain.getEntry(hashHex),
    isActive: (entry) => chain.isActive(entry),
    get tip() {
      return chain.tip;
    },
    contextFor: (parent) => chain.contextFor(parent),
    async parentCoins(block, entry) {
      if (toHex(block.header.prevHash) === chain.tip.hashHex) return tipCoins(ctx, block.txs.slice(1), false);
      if (!storedAndActive(entry)) return undefined;
      const undo = (await ctx.chain.store.blocks.getUndo(entry.hash)) ?? [];
      return new Map(undo.map((u) => [outpointKey(u.txid, u.index), u.coin]));
    },
    async blockSpent(block: Block) {
      const entry = chain.getEntry(blockHashHex(block));
      if (storedAndActive(entry))
        return spentCoinsOfBlock(ctx.chain.store.blocks, entry, block, block.txs.map(txid));
      const coins = await tipCoins(ctx, block.txs, true);
      return block.txs.map((tx) => tx.inputs.map((i) => coins.get(outpointKey(i.prevTxid, i.prevIndex))));
    },
    async describeTx(tx, txidHex): Promise<TxKnowledge> {
      const spentFrom = (coins: Map<string, Coin>) =>
        tx.inputs.map((i) => coins.get(outpointKey(i.prevTxid, i.prevIndex)));
      const pooled = ctx.mempool.get(txidHex);
      if (pooled) return { known: 'mempool', confirmations: 0, spent: pooled.spent };
      await ctx.mempool.settled();
      const found = await confirmedTx(ctx, fromHex(txidHex));
      if (found) {
        const { entry, block, index } = found;
        const spent = await spentCoinsOfBlock(ctx.chain.store.blocks, entry, block, block.txs.map(txid));
        return {
          known: 'confirmed',
          block: { hash: entry.hashHex, height: entry.height, index },
          confirmations: chain.height - entry.height + 1,
          spent: spent[index] ?? [],
        };
      }
      return { known: null, confirmations: 0, spent: spentFrom(await tipCoins(ctx, [tx], true)) };
    },
    checkTx: (tx, bytes) => ctx.mempool.check(tx, bytes),
  };
}
