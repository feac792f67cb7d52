// IP address helpers that run in Node and in a browser (node:net is Node's only): the version of an
// address, and subnets as Node's BlockList checks them, an IPv4 subnet also matching IPv4-mapped IPv6
// addresses (`::ffff:1.2.3.4`).
import { ipVersion } from '@chainsafe/is-ip';
import { parseIP } from '@chainsafe/is-ip/parse';

/** 4 or 6, or 0 when `text` is not an IP address (as node:net's isIP). */
export function ipFamily(text: string): 0 | 4 | 6 {
  // Node's build of is-ip answers node:net's isIP (a number, 0 when not an IP); the browser's, 4, 6 or undefined.
  const version = ipVersion(text);
  return version === 4 || version === 6 ? version : 0;
}

export function isIPv4(text: string): boolean {
  return ipVersion(text) === 4;
}

interface Subnet {
  /** The network as 16 bytes (IPv4 mapped into IPv6). */
  readonly bytes: Uint8Array;
  /** Prefix length over the 16 bytes. */
  readonly bits: number;
}

/** A set of subnets with a membership test; addresses that do not parse are in none. */
export class SubnetList {
  private readonly subnets: Subnet[] = [];

  /** Adds `ip/prefix` of `family`; throws on an address that does not parse. */
  addSubnet(ip: string, prefix: number, family: 'ipv4' | 'ipv6'): void {
    const bytes = parseIP(ip, true);
    if (bytes === undefined) throw new Error(`not an IP address: ${ip}`);
    this.subnets.push({ bytes, bits: family === 'ipv4' ? 96 + prefix : prefix });
  }

  check(ip: string): boolean {
    const bytes = parseIP(ip, true);
    return bytes !== undefined && this.subnets.some((s) => samePrefix(s.bytes, bytes, s.bits));
  }
}

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (b[whole]! & mask);
}
