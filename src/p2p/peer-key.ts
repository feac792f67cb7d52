// Who a peer is, for accounting: the key its points, bans and budgets are kept under. A new peer id
// costs nothing, an address does: a peer off loopback is keyed by its IP address (IPv6 by its /64,
// which one host usually holds whole), so every peer id from one host shares one score. On loopback
// every local node shares 127.0.0.1 (a devnet on one host), so there the key is the peer id; an
// operator may ask for the same on a private subnet (a classroom behind one NAT, `localSubnets`).
import { BlockList, isIP } from 'node:net';
import type { Multiaddr } from '@multiformats/multiaddr';
import { addressKey, ipOf, isLoopbackIp } from './bans.js';

/** Parses `10.0.0.0/24` or `fd00::/8`; throws a clear error otherwise. */
export function parseSubnet(cidr: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [network = '', bits, extra] = cidr.trim().split('/');
  const version = isIP(network);
  const prefix = Number(bits);
  const max = version === 6 ? 128 : 32;
  if (version === 0 || extra !== undefined || bits === undefined || !/^\d+$/.test(bits) || prefix > max) {
    throw new Error(`not a subnet: "${cidr}" (expected e.g. 192.168.1.0/24 or fd00::/8)`);
  }
  return { network, prefix, family: version === 6 ? 'ipv6' : 'ipv4' };
}

export class PeerKeys {
  private readonly local = new BlockList();

  /** `localSubnets`: CIDRs whose hosts are keyed by peer id, like loopback. */
  constructor(readonly localSubnets: readonly string[] = []) {
    for (const cidr of localSubnets) {
      const { network, prefix, family } = parseSubnet(cidr);
      this.local.addSubnet(network, prefix, family);
    }
  }

  /** Loopback, or in one of the operator's local subnets: many hosts may share the address. */
  isLocal(ip: string): boolean {
    if (isLoopbackIp(ip)) return true;
    const version = isIP(ip);
    return version !== 0 && this.local.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  }

  /** The key of a peer seen at `addr`: its address key, or its id when local or unknown. */
  keyOf(id: string, addr: Multiaddr | undefined): string {
    const ip = addr ? ipOf(addr) : undefined;
    return ip === undefined || this.isLocal(ip) ? id : addressKey(ip);
  }

  /**
   * A Set whose membership is "is local": gossipsub's IP colocation whitelist only asks has(ip), so
   * the loopback range and whole subnets can be whitelisted without listing every address.
   */
  localSet(): Set<string> {
    const isLocal = (ip: string) => this.isLocal(ip);
    return new (class extends Set<string> {
      override has(ip: string): boolean {
        return isLocal(ip);
      }
    })();
  }
}
