// What the explorer's search box was given: a height, a 64-hex hash (block or txid), or an address.

export type SearchQuery =
  | { kind: 'height'; height: number }
  | { kind: 'hash'; hash: string }
  | { kind: 'address'; address: string }
  | { kind: 'invalid'; reason: string };

export function classifySearch(input: string): SearchQuery {
  const q = input.trim();
  if (q === '') return { kind: 'invalid', reason: 'Type a block height, block hash, txid or address.' };
  if (/^\d+$/.test(q)) {
    const height = Number(q);
    if (!Number.isSafeInteger(height)) return { kind: 'invalid', reason: 'That height is too large.' };
    return { kind: 'height', height };
  }
  if (/^[0-9a-fA-F]{64}$/.test(q)) return { kind: 'hash', hash: q.toLowerCase() };
  // bech32m: human-readable prefix, the separator "1", then data characters.
  if (/^[a-z]+1[02-9ac-hj-np-z]{6,}$/i.test(q)) return { kind: 'address', address: q.toLowerCase() };
  return {
    kind: 'invalid',
    reason: `"${q}" is not a height, a 64-character hash or an address.`,
  };
}
