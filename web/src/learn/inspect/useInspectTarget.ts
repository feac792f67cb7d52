// Loads what the inspector was pointed at: a block by height or hash, a transaction by txid, or the hex
// of a block, header or transaction (decoded by the node: POST /api/v1/decode, nothing stored).
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { TxJson } from '../../api/types.js';
import { classifyId, type InspectBlock } from '../lib/inspect.js';

export type InspectTarget =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: unknown }
  | { readonly state: 'block'; readonly block: InspectBlock }
  | { readonly state: 'tx'; readonly tx: TxJson };

async function fromHex(hex: string, signal: AbortSignal): Promise<InspectTarget> {
  const decoded = await api.decode({ body: { hex } }, { signal });
  if (decoded.kind === 'tx' && decoded.txs[0]) return { state: 'tx', tx: decoded.txs[0] };
  if (!decoded.header) throw new Error(decoded.refusal?.message ?? 'the bytes do not decode');
  return { state: 'block', block: { ...decoded.header, height: decoded.height, txs: decoded.txs } };
}

export function useInspectTarget(id: string | null): InspectTarget {
  const [target, setTarget] = useState<InspectTarget>({ state: 'loading' });
  useEffect(() => {
    if (id === null) return;
    const controller = new AbortController();
    const c = classifyId(id);
    setTarget({ state: 'loading' });
    if (!c) {
      setTarget({
        state: 'error',
        error: new Error(
          `"${id.slice(0, 80)}" is neither a block height, a 64-hex hash nor the hex of a block or transaction`,
        ),
      });
      return;
    }
    const load = async (): Promise<InspectTarget> => {
      const opts = { signal: controller.signal };
      const block = async (id: string) => api.getBlock({ params: { id } }, opts);
      if (c.kind === 'hex') return fromHex(c.hex, controller.signal);
      if (c.kind === 'height') return { state: 'block', block: await block(String(c.height)) };
      // The search route says what a hash names, without a failed request.
      const found = await api.search({ query: { q: c.hash } }, opts);
      if (found.kind === 'block') return { state: 'block', block: await block(c.hash) };
      if (found.kind === 'tx')
        return { state: 'tx', tx: await api.getTx({ params: { txid: c.hash } }, opts) };
      throw new Error(`no block or transaction has the hash ${c.hash}`);
    };
    load().then(setTarget, (error: unknown) => {
      if (!controller.signal.aborted) setTarget({ state: 'error', error });
    });
    return () => controller.abort();
  }, [id]);
  return target;
}
