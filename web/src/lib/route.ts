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
  | { page: 'learn'; step?: string; arg?: string }
  | { page: 'decode'; input?: string }
  | { page: 'tab-node'; net: string; peers: string[] }
  | { page: 'class'; token?: string }
  | { page: 'join'; query: string }
  | { page: 'student' }
  | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  // #/tab-node?net=<network id>&peer=<multiaddr>: a node in this tab (peer URL-encoded, may repeat).
  const [pathPart = '', query] = hash.replace(/^#/, '').split('?', 2);
  if (pathPart.replace(/\/+$/, '') === '/tab-node') {
    const params = new URLSearchParams(query ?? '');
    return { page: 'tab-node', net: params.get('net') ?? '', peers: params.getAll('peer') };
  }
  const path = hash.replace(/^#/, '') || '/';
  // #/join?net=…&key=…&peer=…: the teacher's join link carries its facts as a query.
  const join = /^\/join\/?(?:\?(.*))?$/s.exec(path);
  if (join) return { page: 'join', query: join[1] ?? '' };
  if (path === '/student') return { page: 'student' };
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const [head, arg] = parts;
  if (parts.length === 0) return { page: 'explorer' };
  // #/class, and #/class?token=… as `hashline classroom` prints it (the page keeps the token, then hides it).
  if (parts.length === 1 && head !== undefined && /^class(\?|$)/.test(head)) {
    const token = new URLSearchParams(head.slice('class?'.length)).get('token');
    return token ? { page: 'class', token } : { page: 'class' };
  }
  if (parts.length === 1) {
    if (head === 'miner' || head === 'network' || head === 'wallet' || head === 'learn')
      return { page: head };
    if (head === 'explorer') return { page: 'explorer' };
    if (head === 'decode') return { page: 'decode' };
  }
  // #/learn/<step> and #/learn/<step>/<block or tx id> (the inspector and the validation step-through).
  if (head === 'learn' && arg !== undefined && parts.length <= 3) {
    return parts[2] === undefined
      ? { page: 'learn', step: arg }
      : { page: 'learn', step: arg, arg: parts[2] };
  }
  if (parts.length === 2 && arg !== undefined) {
    if (head === 'block') return { page: 'block', id: arg };
    if (head === 'tx') return { page: 'tx', txid: arg };
    if (head === 'address') return { page: 'address', address: arg };
    if (head === 'search') return { page: 'search', query: arg };
    // #/decode/<hex, txid, block hash or height>: the Decode page, filled in.
    if (head === 'decode') return { page: 'decode', input: arg };
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
  learn: (step?: string, arg?: string) =>
    `#/learn${step ? `/${encodeURIComponent(step)}` : ''}${step && arg ? `/${encodeURIComponent(arg)}` : ''}`,
  classroom: () => '#/class',
  decode: (input?: string) => (input ? `#/decode/${encodeURIComponent(input)}` : '#/decode'),
  tabNode: (net: string, peers: readonly string[]) =>
    `#/tab-node?${new URLSearchParams([['net', net], ...peers.map((p) => ['peer', p])]).toString()}`,
  join: (query: string) => `#/join?${query}`,
  student: () => '#/student',
};
