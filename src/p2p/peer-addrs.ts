// What the dialer may dial: the address book (addr-book.ts) filled only from signed peer records
// (libp2p's RecordEnvelope, which identify and peer exchange carry and the peer store keeps after
// checking the signature), with the addresses each record signs. Whoever told us a record is its
// source; its network group decides the record's bucket. Each entry's source and table go into the
// peer store's metadata, so the book is rebuilt from the (persistent) peer store at start.
//
// Unsigned records (pubsub peer discovery, mDNS) only enter with addresses on loopback (a record of
// loopback addresses only: a node of this machine) or a local subnet (a LAN the operator vouches
// for), all under one source group.
import type { Peer, PeerId } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import type { Multiaddr } from '@multiformats/multiaddr';
import { AddrBook } from './addr-book.js';
import { ipOf } from './bans.js';
import { errorText, isDialable, type NetContext } from './context.js';
import { isLoopback, type LocalNets } from './netgroup.js';
import { randomBytes } from './portable.js';

/** Peer store metadata key of a book entry: `{ source, tried }` (JSON). */
const BOOK_KEY = 'hashline/book';
/** The source group of every unsigned (local) record. */
export const UNSIGNED_SOURCE = 'unsigned-local';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function decodeEntry(bytes: Uint8Array | undefined): { source: string; tried: boolean } | undefined {
  if (!bytes) return undefined;
  try {
    const v = JSON.parse(fromUtf8.decode(bytes)) as { source?: unknown; tried?: unknown };
    return typeof v.source === 'string' ? { source: v.source, tried: v.tried === true } : undefined;
  } catch {
    return undefined;
  }
}

export class PeerAddrs {
  readonly book: AddrBook;
  /** The addresses of each entry of the book (signed ones, or local ones of an unsigned record). */
  private readonly addrs = new Map<string, Multiaddr[]>();

  constructor(
    private readonly ctx: NetContext,
    private readonly local: LocalNets,
    random: () => number = Math.random,
  ) {
    this.book = new AddrBook(randomBytes(32), random);
  }

  /** The group of a peer's addresses (its first IP; a local address is its own group). */
  groupOf(id: string, addrs: readonly Multiaddr[]): string {
    const ip = addrs.map((a) => ipOf(a)).find((x) => x !== undefined);
    return this.local.placeOf(ip, id).netgroup;
  }

  /** The group of whoever is at the other end of a connection. */
  sourceOf(id: string, remote: Multiaddr): string {
    return this.local.placeOf(ipOf(remote), id).netgroup;
  }

  addrsOf(id: string): Multiaddr[] {
    return this.addrs.get(id) ?? [];
  }

  /** Rebuilds the book from the peer store: every peer with a signed record, in its saved table. */
  rebuild(peers: readonly Peer[]): void {
    const now = this.ctx.clock.now();
    for (const peer of peers) {
      if (!peer.peerRecordEnvelope) continue;
      const id = peer.id.toString();
      const addrs = this.certified(peer);
      if (addrs.length === 0) continue;
      const saved = decodeEntry(peer.metadata.get(BOOK_KEY));
      const group = this.groupOf(id, addrs);
      this.track(
        id,
        addrs,
        saved?.tried
          ? this.book.markTried(id, group, now)
          : this.book.addNew(id, group, saved?.source ?? group, now),
      );
    }
  }

  /** The peer store holds a signed record of `id` (identify or peer exchange checked it): into the book. */
  async learn(id: string, source: string): Promise<boolean> {
    const host = this.ctx.host();
    if (!host || id === host.peerId.toString()) return false;
    const peer = await host.peerStore.get(peerIdFromString(id)).catch(() => undefined);
    if (!peer?.peerRecordEnvelope) return false;
    const addrs = this.certified(peer);
    if (addrs.length === 0) return false;
    this.addrs.set(id, addrs);
    if (!this.book.has(id)) {
      this.track(id, [], this.book.addNew(id, this.groupOf(id, addrs), source, this.ctx.clock.now()));
      this.save(peer.id, { source, tried: false });
    }
    return true;
  }

  /** A peer we dialled completed the handshake at `remote`: into the tried table (its record first). */
  async markTried(id: string, remote: Multiaddr): Promise<void> {
    const group = this.sourceOf(id, remote);
    if (!this.book.has(id)) await this.learn(id, group);
    const entry = this.book.get(id);
    if (!entry || entry.tried) return;
    this.track(id, [], this.book.markTried(id, group, this.ctx.clock.now()));
    this.save(peerIdFromString(id), { source: entry.source, tried: true });
  }

  /** An unsigned discovery record (pubsub discovery, mDNS): only its local addresses, if any. */
  discovered(id: PeerId, multiaddrs: readonly Multiaddr[]): boolean {
    const key = id.toString();
    if (this.book.has(key) || key === this.ctx.host()?.peerId.toString()) return false;
    const ips = multiaddrs.map((ma) => ipOf(ma));
    // Loopback addresses only of a record with nothing else: a node on another host that listens on
    // every interface tells its 127.0.0.1 too, which is not where it is.
    const onlyLoopback = ips.every((ip) => ip !== undefined && isLoopback(ip));
    const local = multiaddrs.filter((ma, i) => {
      const ip = ips[i];
      if (ip === undefined || !isDialable(ma.toString()) || !this.local.isLocal(ip)) return false;
      return onlyLoopback || !isLoopback(ip);
    });
    if (local.length === 0) return false;
    this.addrs.set(key, local);
    this.track(
      key,
      [],
      this.book.addNew(key, this.groupOf(key, local), UNSIGNED_SOURCE, this.ctx.clock.now()),
    );
    return true;
  }

  remove(id: string): void {
    this.book.remove(id);
    this.addrs.delete(id);
  }

  /** Keeps `addrs` for `id` (when given) and forgets those a full bucket dropped. */
  private track(id: string, addrs: Multiaddr[], dropped: string[]): void {
    if (addrs.length > 0) this.addrs.set(id, addrs);
    for (const gone of dropped) this.addrs.delete(gone);
  }

  private certified(peer: Peer): Multiaddr[] {
    return peer.addresses
      .filter((a) => a.isCertified && isDialable(a.multiaddr.toString()))
      .map((a) => a.multiaddr);
  }

  private save(id: PeerId, entry: { source: string; tried: boolean }): void {
    const host = this.ctx.host();
    host?.peerStore
      .merge(id, { metadata: { [BOOK_KEY]: utf8.encode(JSON.stringify(entry)) } })
      .catch((err) =>
        this.ctx.log.debug({ peer: id.toString(), err: errorText(err) }, 'peer store write failed'),
      );
  }
}
