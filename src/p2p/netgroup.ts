// Who is "one host" and "one network group" for limits keyed on addresses (inbound caps, eviction,
// the address book's buckets), as Bitcoin Core's GetGroup does: an IPv4 /16 or an IPv6 /32 is one
// group, since an attacker can easily hold many addresses of one such range but hardly many ranges.
//
// Loopback and the operator's local subnets (`localSubnets`, `--local-subnet CIDR`) are not one
// host: a devnet or a classroom runs many nodes behind one address, so there every peer id is its
// own host and its own group. Pure: no I/O.
import { normalIp } from './bans.js';
import { isIPv4, SubnetList } from './ip.js';

/** `a.b.c.d/n` or `x:y::/n`; throws on anything else (an operator's typo must not widen a rule). */
export function parseCidr(text: string): { ip: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [base, bits, extra] = text.trim().split('/');
  const ip = base === undefined ? undefined : normalIp(base);
  const prefix = Number(bits);
  const family = ip !== undefined && isIPv4(ip) ? 'ipv4' : 'ipv6';
  const max = family === 'ipv4' ? 32 : 128;
  if (ip === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits ?? '') || prefix > max) {
    throw new Error(`not a subnet in CIDR notation (e.g. 10.0.0.0/8): ${text}`);
  }
  return { ip, prefix, family };
}

function blockListOf(cidrs: readonly string[]): SubnetList {
  const list = new SubnetList();
  for (const cidr of cidrs) {
    const { ip, prefix, family } = parseCidr(cidr);
    list.addSubnet(ip, prefix, family);
  }
  return list;
}

function contains(list: SubnetList, ip: string): boolean {
  return list.check(ip);
}

const LOOPBACK = blockListOf(['127.0.0.0/8', '::1/128']);
/** Addresses only reachable on a LAN (RFC 1918, shared CGNAT space, link-local, unique local IPv6). */
const PRIVATE_RANGES = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
];
const PRIVATE = PRIVATE_RANGES.map((cidr) => ({ cidr, list: blockListOf([cidr]) }));

export function isLoopback(ip: string): boolean {
  return contains(LOOPBACK, ip);
}

/** The private range (one of PRIVATE_RANGES) an address is in, if any. */
export function privateRangeOf(ip: string): string | undefined {
  return PRIVATE.find((p) => contains(p.list, ip))?.cidr;
}

/** Core's network group: `4:a.b` for an IPv4 /16, `6:xxxx:xxxx` for an IPv6 /32. */
export function netgroupOf(ip: string): string {
  if (isIPv4(ip)) return `4:${ip.split('.').slice(0, 2).join('.')}`;
  // Expand `::` so that the first two 16-bit groups are read right.
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `6:${groups
    .slice(0, 2)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}`;
}

/** Where a peer is, as the limits see it. */
export interface PeerPlace {
  /** The remote IP is loopback or in a local subnet: each peer id counts as its own host. */
  local: boolean;
  /** One host: `ip:<address>`, or `peer:<id>` when local. */
  host: string;
  /** One network group: netgroupOf(ip), or `peer:<id>` when local. */
  netgroup: string;
}

/** The operator's local subnets (loopback always included): addresses there are many hosts. */
export class LocalNets {
  private readonly list: SubnetList;

  /** Throws on a malformed CIDR. */
  constructor(readonly subnets: readonly string[] = []) {
    this.list = blockListOf(subnets);
  }

  isLocal(ip: string): boolean {
    return isLoopback(ip) || contains(this.list, ip);
  }

  /** A peer's host and group from its remote IP (an address with no IP is taken as local). */
  placeOf(ip: string | undefined, peerId: string): PeerPlace {
    if (ip === undefined || this.isLocal(ip)) {
      return { local: true, host: `peer:${peerId}`, netgroup: `peer:${peerId}` };
    }
    return { local: false, host: `ip:${ip}`, netgroup: netgroupOf(ip) };
  }
}

/**
 * May the dialer use a stranger's address `ip`? Public ones yes; loopback only if we listen on
 * loopback; a private (LAN) one only if we listen on an address of the same private range, or it is
 * in the operator's local subnets. (The operator's --peer addresses are dialled whatever they are.)
 */
export function mayDialAddress(ip: string, ourIps: readonly string[], local: LocalNets): boolean {
  if (isLoopback(ip)) return ourIps.some(isLoopback);
  const range = privateRangeOf(ip);
  if (range === undefined) return true;
  return local.isLocal(ip) || ourIps.some((own) => privateRangeOf(own) === range);
}
