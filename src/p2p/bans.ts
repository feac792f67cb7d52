// Bans by peer id and by IP address (IPv6 also by /64), with expiry, kept across restarts through an
// injected BanStore. A misbehaving peer is banned under its key (peer-key.ts): its address off loopback,
// so that a new peer id from the same host does not get it back in.
import type { Multiaddr } from '@multiformats/multiaddr';
import type { Clock } from './clock.js';
import { ipFamily } from './ip.js';
import type { BanInfo, BanStore, P2PLogger } from './types.js';

/** Most bans kept: the oldest go first beyond this. */
const MAX_BANS = 10_000;

/** `::ffff:1.2.3.4` → `1.2.3.4`; IPv6 lowercased. Undefined if not an IP address. */
export function normalIp(text: string): string | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  const ip = mapped ? mapped[1]! : bare.toLowerCase();
  return ipFamily(ip) === 0 ? undefined : ip;
}

/** The IP address of a multiaddr such as /ip4/1.2.3.4/tcp/5, if it has one. */
export function ipOf(ma: Multiaddr): string | undefined {
  for (const c of ma.getComponents()) {
    if ((c.name === 'ip4' || c.name === 'ip6') && c.value !== undefined) return normalIp(c.value);
  }
  return undefined;
}

export function isLoopbackIp(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** `2001:db8:1:2:3::4` → its 8 groups, lowercase, without leading zeros; undefined if not IPv6. */
function ipv6Groups(ip: string): string[] | undefined {
  if (ipFamily(ip) !== 6) return undefined;
  let text = ip.toLowerCase();
  // An IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16).toString(16));
}

/** The address key of an IP: IPv4 as it is, IPv6 as its /64 (`2001:db8:1:2::/64`). */
export function addressKey(ip: string): string {
  const groups = ipv6Groups(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

/** An IP address (normalised) or an IPv6 /64 in addressKey's form; undefined for anything else. */
function addressTarget(text: string): string | undefined {
  const ip = normalIp(text);
  if (ip !== undefined) return ip;
  const prefix = /^(.+)\/64$/.exec(text);
  const base = prefix ? normalIp(prefix[1]!) : undefined;
  return base !== undefined && ipFamily(base) === 6 ? addressKey(base) : undefined;
}

export class BanList {
  private readonly bans = new Map<string, BanInfo>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly store?: BanStore,
    private readonly log?: P2PLogger,
  ) {}

  /** Reads the saved bans (expired ones are dropped). */
  async load(): Promise<void> {
    if (!this.store) return;
    const now = this.clock.now();
    for (const ban of await this.store.load()) {
      if (ban.until > now) this.bans.set(ban.id, ban);
    }
  }

  /** Bans a peer id, or an IP address or IPv6 /64 (`2001:db8:1:2::/64`) when `target` is one. */
  ban(target: string, seconds: number, reason: string): BanInfo {
    const ip = addressTarget(target);
    const info: BanInfo = {
      id: ip ?? target,
      kind: ip ? 'ip' : 'peer',
      reason: reason.slice(0, 200),
      until: this.clock.now() + Math.max(1, seconds) * 1000,
    };
    this.bans.delete(info.id);
    this.bans.set(info.id, info);
    if (this.bans.size > MAX_BANS) this.bans.delete(this.bans.keys().next().value!);
    this.persist();
    return info;
  }

  /** Lifts a ban; true if there was one. */
  unban(target: string): boolean {
    const key = addressTarget(target) ?? target;
    const had = this.bans.delete(key);
    if (had) this.persist();
    return had;
  }

  /** A peer id, IP address or /64 under an active ban (an IPv6 address also when its /64 is). */
  isBanned(target: string): boolean {
    const key = addressTarget(target) ?? target;
    if (this.isActive(key)) return true;
    const ip = normalIp(target);
    return ip !== undefined && addressKey(ip) !== ip && this.isActive(addressKey(ip));
  }

  private isActive(key: string): boolean {
    const info = this.bans.get(key);
    if (info === undefined) return false;
    if (info.until > this.clock.now()) return true;
    this.bans.delete(key);
    this.persist();
    return false;
  }

  isAddrBanned(ma: Multiaddr): boolean {
    const ip = ipOf(ma);
    return ip !== undefined && this.isBanned(ip);
  }

  list(): BanInfo[] {
    const now = this.clock.now();
    return [...this.bans.values()].filter((b) => b.until > now);
  }

  /** Resolves once every change so far is on disk. */
  flushed(): Promise<void> {
    return this.saving;
  }

  private persist(): void {
    const store = this.store;
    if (!store) return;
    this.saving = this.saving
      .then(() => store.save(this.list()))
      .catch((err) => this.log?.error({ err: String(err) }, 'saving bans failed'));
  }
}
