// The teacher's join link (`#/join?net=<id>&key=<64 hex>&peer=<multiaddr>`, src/classroom/README.md) and
// the student's name: parsed and checked here, before anything is stored or started.
import { networkIdProblem } from '../../../src/core/network-id.js';

/** What a valid join link names: the class network, the teacher's key and the nodes to dial. */
export interface JoinLink {
  readonly net: string;
  /** The teacher's Ed25519 public key, 64 lowercase hex. */
  readonly key: string;
  /** WebSockets multiaddrs ending in /p2p/<peer id>. */
  readonly peers: readonly string[];
}

/** A link lists at most this many peers; a longer multiaddr than this is not one. */
export const MAX_JOIN_PEERS = 8;
export const MAX_MULTIADDR_LENGTH = 512;

export const NAME_MAX_LENGTH = 24;
const NAME_PATTERN = /^[A-Za-z0-9 ._-]+$/;

export type JoinLinkResult =
  | { readonly ok: true; readonly link: JoinLink }
  | { readonly ok: false; readonly problem: string };

/** Why a multiaddr cannot be dialled from a page, or undefined when it can. */
export function multiaddrProblem(addr: string): string | undefined {
  if (addr.length > MAX_MULTIADDR_LENGTH)
    return `a peer address is longer than ${MAX_MULTIADDR_LENGTH} characters`;
  if (!addr.startsWith('/')) return `the peer address "${addr}" is not a multiaddr (it should start with /)`;
  if (!/\/(ws|wss|tls\/ws|webrtc|p2p-circuit)(\/|$)/.test(addr))
    return `the peer address "${addr}" is not a WebSockets address, which a browser needs`;
  if (!/\/p2p\/[A-Za-z0-9]{20,}$/.test(addr))
    return `the peer address "${addr}" does not end in /p2p/<the teacher node's peer id>`;
  return undefined;
}

/** Parses the query of a join link (`net=…&key=…&peer=…`, with or without the leading `?`). */
export function parseJoinLink(query: string): JoinLinkResult {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const fail = (problem: string): JoinLinkResult => ({ ok: false, problem });
  const net = params.get('net');
  if (!net) return fail('the link has no class network (net=…)');
  const netProblem = networkIdProblem(net);
  if (netProblem) return fail(netProblem);
  const key = params.get('key');
  if (!key) return fail("the link has no teacher's key (key=…)");
  if (!/^[0-9a-fA-F]{64}$/.test(key)) return fail("the teacher's key must be 64 hexadecimal characters");
  const peers = params.getAll('peer').map((p) => p.trim());
  if (peers.length === 0) return fail("the link has no teacher's node to connect to (peer=…)");
  if (peers.length > MAX_JOIN_PEERS) return fail(`the link lists more than ${MAX_JOIN_PEERS} peers`);
  for (const peer of peers) {
    const problem = multiaddrProblem(peer);
    if (problem) return fail(problem);
  }
  return { ok: true, link: { net, key: key.toLowerCase(), peers: [...new Set(peers)] } };
}

/** The query of a join link for `link` (the inverse of parseJoinLink). */
export function joinLinkQuery(link: JoinLink): string {
  const params = new URLSearchParams({ net: link.net, key: link.key });
  for (const peer of link.peers) params.append('peer', peer);
  return params.toString();
}

/** Why `name` is not a student's name (1–24 letters, digits, spaces, - _ .), or undefined when it is. */
export function nameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'Choose a name your classmates will know you by.';
  if (trimmed.length > NAME_MAX_LENGTH) return `A name is at most ${NAME_MAX_LENGTH} characters.`;
  if (!NAME_PATTERN.test(trimmed)) return 'Use only letters, digits, spaces and - _ .';
  return undefined;
}
