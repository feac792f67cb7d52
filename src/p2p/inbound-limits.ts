// Which inbound connections we accept, and whom we evict for a newcomer when the inbound slots are
// full: Bitcoin Core's AttemptToEvictConnection (net.cpp), scaled to our slot counts. Pure: the
// caller gives the current inbound peers and a keyed hash of netgroups (so that an attacker cannot
// tell which groups are protected), and applies the verdict.
//
// Limits keyed on the address use PeerPlace (netgroup.ts): on loopback and local subnets every peer
// id is its own host and group, so a devnet on one machine is not one host.
import type { PeerPlace } from './netgroup.js';

export interface InboundSettings {
  /** Inbound peers at most (the rest of the connections are kept for outbound ones). */
  maxInbound: number;
  /** Inbound peers from one host (IP) at most. */
  perHost: number;
  /** Inbound peers from one network group (/16 IPv4, /32 IPv6) at most. */
  perNetgroup: number;
}

export const INBOUND_DEFAULTS: InboundSettings = { maxInbound: 24, perHost: 4, perNetgroup: 8 };

/**
 * How many of each kind eviction protects, in this order (Core: 4 by netgroup, 8 by ping, 4 by
 * recent transactions, 4 by recent blocks, then half of the rest by uptime; halved here since we
 * keep 24 inbound peers where Core keeps about 114).
 */
export const EVICTION_PROTECT = { byNetgroup: 2, byPing: 4, byRecentTx: 2, byRecentBlock: 2 } as const;

export interface InboundPeer extends PeerPlace {
  id: string;
  /** Unix ms the connection opened. */
  connectedAt: number;
  /** Round-trip time of the last ping, if measured. */
  rttMs?: number;
  /** Unix ms of the last block / transaction from this peer that we accepted. */
  lastBlockAt?: number;
  lastTxAt?: number;
}

export type InboundVerdict = { accept: true; evict?: string } | { accept: false; reason: string };

/**
 * Removes (in place) and returns up to `count` of the candidates that have a score (a measured ping,
 * some activity), those with the highest `score` first.
 */
function protect(candidates: InboundPeer[], count: number, score: (p: InboundPeer) => number | undefined) {
  const ranked = candidates
    .filter((p) => score(p) !== undefined)
    .sort((a, b) => score(b)! - score(a)!)
    .slice(0, count);
  for (const p of ranked) candidates.splice(candidates.indexOf(p), 1);
  return ranked;
}

/**
 * The inbound peer to evict so that a newcomer fits, or undefined if every one is protected.
 * Protected first: some of distinct keyed netgroups, the lowest ping, the latest to bring us a
 * transaction and a block, then the longest connected half of the rest. Of who is left, the
 * youngest of the netgroup with the most peers (ties: the group with the youngest connection).
 */
export function chooseEviction(
  peers: readonly InboundPeer[],
  netgroupKey: (netgroup: string) => number,
): string | undefined {
  const left = [...peers];
  // Highest keyed hash of the netgroup; one per group so that protection goes to diverse groups.
  left.sort((a, b) => netgroupKey(b.netgroup) - netgroupKey(a.netgroup));
  const seenGroups = new Set<string>();
  for (let i = 0; i < left.length && seenGroups.size < EVICTION_PROTECT.byNetgroup; ) {
    const p = left[i]!;
    if (seenGroups.has(p.netgroup)) i++;
    else {
      seenGroups.add(p.netgroup);
      left.splice(i, 1);
    }
  }
  protect(left, EVICTION_PROTECT.byPing, (p) => (p.rttMs === undefined ? undefined : -p.rttMs));
  protect(left, EVICTION_PROTECT.byRecentTx, (p) => p.lastTxAt);
  protect(left, EVICTION_PROTECT.byRecentBlock, (p) => p.lastBlockAt);
  protect(left, Math.floor(left.length / 2), (p) => -p.connectedAt);
  if (left.length === 0) return undefined;

  const groups = new Map<string, InboundPeer[]>();
  for (const p of left) groups.set(p.netgroup, [...(groups.get(p.netgroup) ?? []), p]);
  const youngest = (g: InboundPeer[]) => g.reduce((y, p) => (p.connectedAt > y.connectedAt ? p : y));
  let chosen: InboundPeer[] | undefined;
  for (const g of groups.values()) {
    if (
      !chosen ||
      g.length > chosen.length ||
      (g.length === chosen.length && youngest(g).connectedAt > youngest(chosen).connectedAt)
    )
      chosen = g;
  }
  return chosen ? youngest(chosen).id : undefined;
}

/**
 * Whether a newcomer may connect in, given the inbound peers we have (never including it, nor the
 * operator's bootstrap peers, which are always accepted and never evicted).
 */
export function admitInbound(
  newcomer: PeerPlace,
  current: readonly InboundPeer[],
  settings: InboundSettings,
  netgroupKey: (netgroup: string) => number,
): InboundVerdict {
  const fromHost = current.filter((p) => p.host === newcomer.host).length;
  if (fromHost >= settings.perHost)
    return { accept: false, reason: `${fromHost} inbound peers from its host` };
  const fromGroup = current.filter((p) => p.netgroup === newcomer.netgroup).length;
  if (fromGroup >= settings.perNetgroup)
    return { accept: false, reason: `${fromGroup} inbound peers from its netgroup` };
  if (current.length < settings.maxInbound) return { accept: true };
  const evict = chooseEviction(current, netgroupKey);
  return evict === undefined
    ? { accept: false, reason: 'inbound slots full, none evictable' }
    : { accept: true, evict };
}
