// What the Decode page shows: pasted hex, or the raw bytes of a block or transaction named by its
// height, hash or txid (fetched first), decoded and judged by the node (POST /api/v1/decode).
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { DecodeJson } from '../../api/types.js';

export type DecodeKind = 'block' | 'header' | 'tx';

export type DecodeState =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: unknown }
  | { readonly state: 'done'; readonly result: DecodeJson; readonly hex: string };

/** The hex of what `text` names: a height or a 64-hex block hash or txid; anything else is hex itself. */
async function hexOf(text: string): Promise<{ hex: string; kind?: DecodeKind }> {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (/^\d{1,10}$/.test(t)) return { hex: (await api.getBlockRaw({ params: { id: t } })).hex, kind: 'block' };
  if (/^[0-9a-f]{64}$/.test(t)) {
    const found = await api.search({ query: { q: t } });
    if (found.kind === 'block')
      return { hex: (await api.getBlockRaw({ params: { id: t } })).hex, kind: 'block' };
    if (found.kind === 'tx') return { hex: (await api.getTxRaw({ params: { txid: t } })).hex, kind: 'tx' };
    throw new Error(`no block or transaction has the hash ${t}; paste its hex instead`);
  }
  return { hex: t };
}

export function useDecode(initial?: string) {
  const [state, setState] = useState<DecodeState>({ state: 'idle' });
  const run = useCallback(async (text: string, kind?: DecodeKind) => {
    setState({ state: 'loading' });
    try {
      const source = await hexOf(text);
      const result = await api.decode({
        body: { hex: source.hex, ...((kind ?? source.kind) ? { kind: kind ?? source.kind } : {}) },
      });
      setState({ state: 'done', result, hex: source.hex });
    } catch (error) {
      setState({ state: 'error', error });
    }
  }, []);
  useEffect(() => {
    if (initial) void run(initial);
  }, [initial, run]);
  return { ...state, run } as DecodeState & { run: typeof run };
}
