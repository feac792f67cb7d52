// Finding a node's libp2p addresses from its HTTP API: nodes publish
// { p2p: { peerId, addrs } } in GET /api/v1/status.
import { multiaddr } from '@multiformats/multiaddr';

const TIMEOUT_MS = 10_000;
const MAX_ADDRS = 32;

export async function resolveHttpPeer(url: string, timeoutMs = TIMEOUT_MS): Promise<string[]> {
  const base = url.replace(/\/+$/, '');
  const response = await fetch(`${base}/api/v1/status`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${base}/api/v1/status answered ${response.status}`);
  const json = (await response.json()) as { p2p?: { addrs?: unknown } } | null;
  const addrs = json?.p2p?.addrs;
  if (!Array.isArray(addrs)) throw new Error(`${base}/api/v1/status has no p2p.addrs`);
  const valid = addrs.filter(
    (a): a is string => typeof a === 'string' && isMultiaddr(a) && a.includes('/p2p/'),
  );
  return valid.slice(0, MAX_ADDRS);
}

function isMultiaddr(text: string): boolean {
  try {
    multiaddr(text);
    return true;
  } catch {
    return false;
  }
}
