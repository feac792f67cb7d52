// Who a peer is, for accounting: the key its points, bans and budgets are kept under. A new peer id
// costs nothing, an address does: a peer off loopback is keyed by its IP address (IPv6 by its /64,
// which one host usually holds whole), so every peer id from one host shares one score. On loopback
// every local node shares 127.0.0.1 (a devnet on one host), so there the key is the peer id; an
// operator may ask for the same on a private subnet (a classroom behind one NAT, `localSubnets`).
import type { Multiaddr } from '@multiformats/multiaddr';
import { addressKey, ipOf } from './bans.js';
import { ipFamily } from './ip.js';
import { LocalNets } from './netgroup.js';

export class PeerKeys {
  /** `local`: loopback and the operator's `localSubnets`, whose hosts are keyed by peer id. */
  constructor(private readonly local: LocalNets = new LocalNets()) {}

  /** Loopback, or in one of the operator's local subnets: many hosts may share the address. */
  isLocal(ip: string): boolean {
    return ipFamily(ip) !== 0 && this.local.isLocal(ip);
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
