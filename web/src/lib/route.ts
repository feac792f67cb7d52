// Hash routes (#/block/12): they never collide with the node's own paths such as /mine or /chain.

export type Route =
  | { page: 'explorer' }
  | { page: 'block'; id: string }
  | { page: 'tx'; txid: string }
  | { page: 'address'; address: string }
  | { page: 'search'; query: string }
  | { page: 'miner' }
  | { page: 'network' }
  | { page: 'wallet' }
  | { page: 'learn' }
  | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const [head, arg] = parts;
  if (parts.length === 0) return { page: 'explorer' };
  if (parts.length === 1) {
    if (head === 'miner' || head === 'network' || head === 'wallet' || head === 'learn')
      return { page: head };
    if (head === 'explorer') return { page: 'explorer' };
  }
  if (parts.length === 2 && arg !== undefined) {
    if (head === 'block') return { page: 'block', id: arg };
    if (head === 'tx') return { page: 'tx', txid: arg };
    if (head === 'address') return { page: 'address', address: arg };
    if (head === 'search') return { page: 'search', query: arg };
  }
  return { page: 'not-found', path };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const href = {
  explorer: () => '#/',
  block: (id: string | number) => `#/block/${encodeURIComponent(String(id))}`,
  tx: (txid: string) => `#/tx/${encodeURIComponent(txid)}`,
  address: (address: string) => `#/address/${encodeURIComponent(address)}`,
  search: (query: string) => `#/search/${encodeURIComponent(query)}`,
  miner: () => '#/miner',
  network: () => '#/network',
  wallet: () => '#/wallet',
  learn: () => '#/learn',
};
