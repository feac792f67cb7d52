// Fetches what validating a block needs: the block (by height or hash, the block of a txid, or decoded
// from hex in the browser), its ancestors (for the context rules) and the transactions that created the
// coins it spends (for the connect rules).
import { useEffect, useState } from 'react';
import { type Block, blockHashHex, decodeBlock } from '../../../../src/core/block.js';
import { fromHex, toHex } from '../../../../src/core/bytes.js';
import type { NetworkParams } from '../../../../src/core/params.js';
import { txidHex } from '../../../../src/core/tx.js';
import type { BlockContext, Coin } from '../../../../src/core/validation.js';
import { api } from '../../api/client.js';
import type { BlockJson } from '../../api/types.js';
import { classifyId, headerFromJson, txFromJson } from '../lib/inspect.js';
import { coinsFromTxs, contextFromAncestors } from '../lib/validate.js';

export interface ValidationInput {
  readonly hash: string;
  /** Null for a block from hex whose parent this node does not have. */
  readonly height: number | null;
  readonly block: Block;
  /** Null for the genesis block, which has no parent, or a parent the node does not have. */
  readonly ctx: BlockContext | null;
  readonly coins: ReadonlyMap<string, Coin>;
  /** The transaction the step-through was opened for, by its index in the block. */
  readonly focusTx?: number;
}

export type Loaded =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  /** A transaction still in the mempool: no block to validate yet. */
  | { state: 'pending'; txid: string }
  | { state: 'ready'; input: ValidationInput };

/** What each of a load's calls carries: the load's abort signal. */
interface Calls {
  readonly signal: AbortSignal;
}

async function contextOf(
  { signal }: Calls,
  params: NetworkParams,
  height: number,
): Promise<BlockContext | null> {
  if (height === 0) return null;
  const from = Math.max(0, height - Math.max(11, params.retargetInterval));
  const list = await api.getBlocks(
    { query: { from: String(from), limit: String(height - from) } },
    { signal },
  );
  const ancestors = list.blocks.map((b) => ({
    height: b.height,
    time: b.time,
    bits: typeof b.bits === 'number' ? b.bits : Number.parseInt(b.bits, 16),
  }));
  return contextFromAncestors(params, height, ancestors);
}

async function coinsOf({ signal }: Calls, block: Block, prefix: string): Promise<Map<string, Coin>> {
  const inBlock = new Set(block.txs.map(txidHex));
  const spent = [...new Set(block.txs.flatMap((t) => t.inputs.map((i) => toHex(i.prevTxid))))].filter(
    (t) => !inBlock.has(t),
  );
  const prevTxs = await Promise.all(spent.map((txid) => api.getTx({ params: { txid } }, { signal })));
  return coinsFromTxs(prevTxs, prefix);
}

/** A block decoded here from hex; its parent, when the node has it on its active chain, gives the context. */
async function fromHexBlock(get: Calls, params: NetworkParams, hex: string): Promise<ValidationInput> {
  const { signal } = get;
  const block = decodeBlock(fromHex(hex));
  const prev = toHex(block.header.prevHash);
  const found = await api.search({ query: { q: prev } }, { signal });
  let height: number | null = null;
  if (found.kind === 'block') {
    // The context comes from the active chain's blocks: a parent on a side branch gives none.
    const at = await api.getBlocks({ query: { from: String(found.height), limit: '1' } }, { signal });
    if (at.blocks[0]?.hash === prev) height = found.height + 1;
  }
  const ctx = height === null ? null : await contextOf(get, params, height);
  return {
    hash: blockHashHex(block),
    height,
    block,
    ctx,
    coins: await coinsOf(get, block, params.addressPrefix),
  };
}

async function load(id: string, params: NetworkParams, signal: AbortSignal): Promise<Loaded> {
  const get: Calls = { signal };
  const c = classifyId(id);
  if (!c)
    throw new Error(
      `"${id.slice(0, 80)}" is neither a block height, a block hash, a txid nor a block in hex`,
    );
  if (c.kind === 'hex') return { state: 'ready', input: await fromHexBlock(get, params, c.hex) };
  let blockId = c.kind === 'height' ? String(c.height) : c.hash;
  let focusTxid: string | undefined;
  if (c.kind === 'hash') {
    const found = await api.search({ query: { q: c.hash } }, { signal });
    if (found.kind === 'tx') {
      const tx = await api.getTx({ params: { txid: c.hash } }, { signal });
      if (!tx.block) return { state: 'pending', txid: c.hash };
      blockId = tx.block.hash;
      focusTxid = c.hash;
    } else if (found.kind !== 'block') throw new Error(`no block or transaction has the hash ${c.hash}`);
  }
  const json: BlockJson = await api.getBlock({ params: { id: blockId } }, { signal });
  const prefix = params.addressPrefix;
  const block: Block = { header: headerFromJson(json), txs: json.txs.map((t) => txFromJson(t, prefix)) };
  const focus = focusTxid === undefined ? -1 : json.txs.findIndex((t) => t.txid === focusTxid);
  return {
    state: 'ready',
    input: {
      hash: json.hash,
      height: json.height,
      block,
      ctx: await contextOf(get, params, json.height),
      coins: await coinsOf(get, block, prefix),
      ...(focus >= 0 ? { focusTx: focus } : {}),
    },
  };
}

export function useValidationInput(id: string | null, params: NetworkParams): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    if (id === null) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    load(id, params, controller.signal).then(setLoaded, (error: unknown) => {
      if (!controller.signal.aborted) setLoaded({ state: 'error', error });
    });
    return () => controller.abort();
  }, [id, params]);
  return loaded;
}
