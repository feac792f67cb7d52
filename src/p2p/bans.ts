// Bans by peer id and by IP address, with expiry, kept across restarts through an injected BanStore.
// A misbehaving peer is banned by id and (unless it is on loopback, where every local node shares one
// address) by IP, so that a new peer id from the same host does not get it back in.
import { isIP } from 'node:net';
import type { Multiaddr } from '@multiformats/multiaddr';
import type { Clock } from './clock.js';
import type { BanInfo, BanStore, P2PLogger } from './types.js';

/** Most bans kept: the oldest go first beyond this. */
const MAX_BANS = 10_000;

/** `::ffff:1.2.3.4` → `1.2.3.4`; IPv6 lowercased. Undefined if not an IP address. */
export function normalIp(text: string): string | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  const ip = mapped ? mapped[1]! : bare.toLowerCase();
  return isIP(ip) === 0 ? undefined : ip;
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

  /** Bans a peer id, or an IP address when `target` is one. */
  ban(target: string, seconds: number, reason: string): BanInfo {
    const ip = normalIp(target);
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
    const key = normalIp(target) ?? target;
    const had = this.bans.delete(key);
    if (had) this.persist();
    return had;
  }

  /** A peer id or IP address under an active ban. */
  isBanned(target: string): boolean {
    const key = normalIp(target) ?? target;
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
