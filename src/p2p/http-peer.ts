// Finding a node's libp2p addresses from its HTTP API: nodes publish
// { p2p: { peerId, addrs } } in GET /api/v1/status.
import { multiaddr } from '@multiformats/multiaddr';

const TIMEOUT_MS = 10_000;
const MAX_ADDRS = 32;

export async function resolveHttpPeer(url: string, timeoutMs = TIMEOUT_MS): Promise<string[]> {
  const base = url.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1/status`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(`${base} does not answer: ${fetchFailure(err, timeoutMs)}`);
  }
  if (!response.ok) throw new Error(`${base}/api/v1/status answered ${response.status}`);
  const json = (await response.json()) as { p2p?: { addrs?: unknown } } | null;
  const addrs = json?.p2p?.addrs;
  if (!Array.isArray(addrs)) throw new Error(`${base}/api/v1/status has no p2p.addrs`);
  const valid = addrs.filter(
    (a): a is string => typeof a === 'string' && isMultiaddr(a) && a.includes('/p2p/'),
  );
  return valid.slice(0, MAX_ADDRS);
}

/** Why fetch failed, for a person: fetch itself only says "fetch failed" and keeps the cause apart. */
function fetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the node running, and is the port right?)';
  if (code === 'ENOTFOUND') return 'no such host name';
  return code ?? e.cause?.message ?? e.message ?? String(err);
}

function isMultiaddr(text: string): boolean {
  try {
    multiaddr(text);
    return true;
  } catch {
    return false;
  }
}
