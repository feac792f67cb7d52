// Fetches what validating a block needs: the block, its ancestors (for the context rules) and the
// transactions that created the coins it spends (for the connect rules).
import { useEffect, useState } from 'react';
import type { Block } from '../../../../src/core/block.js';
import type { NetworkParams } from '../../../../src/core/params.js';
import type { BlockContext, Coin } from '../../../../src/core/validation.js';
import { api } from '../../api/client.js';
import type { BlockJson } from '../../api/types.js';
import { classifyId, headerFromJson, txFromJson } from '../lib/inspect.js';
import { coinsFromTxs, contextFromAncestors } from '../lib/validate.js';

export interface ValidationInput {
  readonly json: BlockJson;
  readonly block: Block;
  /** Null for the genesis block, which has no parent. */
  readonly ctx: BlockContext | null;
  readonly coins: ReadonlyMap<string, Coin>;
}

export type Loaded =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'ready'; input: ValidationInput };

async function load(id: string, params: NetworkParams, signal: AbortSignal): Promise<ValidationInput> {
  const opts = { signal };
  const c = classifyId(id);
  if (!c) throw new Error(`"${id}" is neither a block height nor a block hash`);
  if (c.kind === 'hash') {
    const found = await api.search({ query: { q: c.hash } }, opts);
    if (found.kind !== 'block') throw new Error(`no block has the hash ${c.hash}`);
  }
  const json = await api.getBlock({ params: { id: c.kind === 'height' ? String(c.height) : c.hash } }, opts);
  const prefix = params.addressPrefix;
  const block: Block = { header: headerFromJson(json), txs: json.txs.map((t) => txFromJson(t, prefix)) };
  let ctx: BlockContext | null = null;
  if (json.height > 0) {
    const from = Math.max(0, json.height - Math.max(11, params.retargetInterval));
    const list = await api.getBlocks(
      { query: { from: String(from), limit: String(json.height - from) } },
      opts,
    );
    const ancestors = list.blocks.map((b) => ({
      height: b.height,
      time: b.time,
      bits: typeof b.bits === 'number' ? b.bits : Number.parseInt(b.bits, 16),
    }));
    ctx = contextFromAncestors(params, json.height, ancestors);
  }
  const inBlock = new Set(json.txs.map((t) => t.txid));
  const spent = [...new Set(json.txs.flatMap((t) => t.inputs.map((i) => i.prevTxid)))].filter(
    (t) => !inBlock.has(t),
  );
  const prevTxs = await Promise.all(spent.map((txid) => api.getTx({ params: { txid } }, opts)));
  return { json, block, ctx, coins: coinsFromTxs(prevTxs, prefix) };
}

export function useValidationInput(id: string | null, params: NetworkParams): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    if (id === null) return;
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    load(id, params, controller.signal).then(
      (input) => setLoaded({ state: 'ready', input }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'error', error });
      },
    );
    return () => controller.abort();
  }, [id, params]);
  return loaded;
}
