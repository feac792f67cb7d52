// Peer exchange: a node that just connected asks its new peer for the addresses of that peer's
// other peers, so a node given one address reaches others within a second. pubsub peer discovery
// cannot do this for a newcomer: a node's record is the same bytes every time, and gossipsub
// drops a message it saw in the last two minutes, so the records of a formed network do not go
// out again when someone joins.
//
// One exchange per stream on /hashline/<network>/peers/1: the asker half-closes at once, the
// other side answers with one frame, UTF-8 JSON, an array of at most 32 multiaddrs each ending
// in /p2p/<id>, and closes. What comes back only tells where to dial: Noise proves the peer id,
// and the dialer's backoff and forgetting bound what a lying peer costs.
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { ipOf, isLoopbackIp } from './bans.js';
import { ProtocolError } from './codec.js';
import { asError, errorText, isDialable, isMalformed, type NetContext, withPeerId } from './context.js';
import { FrameStream, withTimeout } from './framing.js';
import type { Host } from './host.js';
import { LIMITS, TIMEOUTS } from './protocol.js';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Addresses told per peer: a host listening on every interface has several. */
const ADDRS_PER_PEER = 4;
const MAX_ADDR_TEXT = 256;
/** An answer to the same peer again within this long is empty (a peer that reconnects in a loop). */
const ANSWER_EVERY_MS = 10_000;

export function encodePeerAddrs(addrs: string[]): Uint8Array {
  return utf8.encode(JSON.stringify(addrs.slice(0, LIMITS.maxExchangedAddrs)));
}

/** The multiaddr strings of an answer; throws ProtocolError if it breaks the format or limits. */
export function decodePeerAddrs(frame: Uint8Array): string[] {
  if (frame.length > LIMITS.maxPeerAddrsFrame) throw new ProtocolError('too-large', 'peer list too large');
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8.decode(frame));
  } catch {
    throw new ProtocolError('malformed', 'peer list is not JSON');
  }
  if (!Array.isArray(value)) throw new ProtocolError('malformed', 'peer list is not an array');
  if (value.length > LIMITS.maxExchangedAddrs) throw new ProtocolError('too-large', 'too many addresses');
  for (const a of value) {
    if (typeof a !== 'string' || a.length > MAX_ADDR_TEXT) throw new ProtocolError('malformed', 'address');
  }
  return value as string[];
}

/** A told address we may store: parsed, with a peer id, and dialable. */
export function parseToldAddr(text: string): { id: PeerId; addr: Multiaddr } | undefined {
  const [base, id, rest] = text.split('/p2p/');
  if (id === undefined || rest !== undefined || !isDialable(text)) return undefined;
  try {
    return { id: peerIdFromString(id), addr: multiaddr(base) };
  } catch {
    return undefined;
  }
}

export class PeerExchange {
  private readonly answered = new Map<string, number>();

  constructor(
    private readonly ctx: NetContext,
    /** True while the dialer wants more peers. */
    private readonly wantsPeers: () => boolean,
    /** Told addresses were stored: a reason to dial. */
    private readonly learned: () => void,
  ) {}

  async attach(host: Host): Promise<void> {
    await host.handle(this.ctx.ids.peers, (stream, connection) => this.serve(stream, connection), {
      maxInboundStreams: 2,
    });
  }

  forget(id: string): void {
    this.answered.delete(id);
  }

  /** A peer completed its first handshake: ask it for its peers if we want more. */
  async onReady(id: string): Promise<void> {
    const connection = this.ctx.connectionOf(id);
    if (!connection || !this.wantsPeers()) return;
    try {
      const told = await this.request(connection);
      const stored = await this.store(id, told);
      this.ctx.log.debug({ peer: id, told: told.length, stored }, 'peer exchange');
      if (stored > 0) this.learned();
    } catch (err) {
      if (isMalformed(err)) this.ctx.penalize(id, 'malformedFrame', `peer list: ${err.message}`);
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'peer exchange failed');
    }
  }

  private async request(connection: Connection): Promise<string[]> {
    const signal = withTimeout(TIMEOUTS.peersMs, this.ctx.stopSignal());
    const stream = await connection.newStream(this.ctx.ids.peers, { signal });
    const frames = new FrameStream(stream, LIMITS.maxPeerAddrsFrame);
    try {
      await frames.closeWrite(signal);
      const frame = await frames.read(signal);
      if (frame === null) throw new ProtocolError('unexpected', 'stream closed before the peer list');
      return decodePeerAddrs(frame);
    } catch (err) {
      frames.abort(asError(err));
      throw err;
    }
  }

  /** Adds told addresses to the peer store; never ours, the teller's, or a refused peer's. */
  private async store(from: string, told: string[]): Promise<number> {
    const host = this.ctx.host();
    if (!host) return 0;
    const self = host.peerId.toString();
    const byPeer = new Map<string, { id: PeerId; addrs: Multiaddr[] }>();
    for (const text of told) {
      const parsed = parseToldAddr(text);
      const id = parsed?.id.toString();
      if (!parsed || id === undefined || id === self || id === from || this.ctx.isRefused(id)) continue;
      const entry = byPeer.get(id) ?? { id: parsed.id, addrs: [] };
      entry.addrs.push(parsed.addr);
      byPeer.set(id, entry);
    }
    const connected = new Set(host.getPeers().map((p) => p.toString()));
    let stored = 0;
    for (const [id, { id: peerId, addrs }] of byPeer) {
      if (connected.has(id)) continue;
      // The connection gater's address filter keeps banned addresses out.
      await host.peerStore.merge(peerId, { multiaddrs: addrs.slice(0, ADDRS_PER_PEER) }).then(
        () => stored++,
        (err) => this.ctx.log.debug({ peer: id, err: errorText(err) }, 'peer store write failed'),
      );
    }
    return stored;
  }

  private async serve(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    const signal = withTimeout(TIMEOUTS.peersMs, this.ctx.stopSignal());
    const frames = new FrameStream(stream, 0);
    try {
      const now = this.ctx.clock.now();
      const last = this.answered.get(id);
      const addrs = last !== undefined && now - last < ANSWER_EVERY_MS ? [] : await this.addrsFor(connection);
      this.answered.set(id, now);
      await frames.write(encodePeerAddrs(addrs), signal);
      await frames.closeWrite(signal);
    } catch (err) {
      frames.abort(asError(err));
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'peer exchange answer failed');
    }
  }

  /** Up to 32 addresses of our other ready peers, as the peer store has them (from identify). */
  private async addrsFor(connection: Connection): Promise<string[]> {
    const host = this.ctx.host();
    if (!host) return [];
    const asker = connection.remotePeer.toString();
    const askerIp = ipOf(connection.remoteAddr);
    // A loopback address only helps an asker on this machine.
    const askerLocal = askerIp !== undefined && isLoopbackIp(askerIp);
    const out: string[] = [];
    for (const id of this.ctx.readyPeers()) {
      if (out.length >= LIMITS.maxExchangedAddrs) break;
      if (id === asker || this.ctx.isRefused(id)) continue;
      const peer = await host.peerStore.get(peerIdFromString(id)).catch(() => undefined);
      let taken = 0;
      for (const { multiaddr: ma } of peer?.addresses ?? []) {
        if (taken >= ADDRS_PER_PEER || out.length >= LIMITS.maxExchangedAddrs) break;
        const ip = ipOf(ma);
        const text = withPeerId(ma.toString(), id);
        if (ip === undefined || !isDialable(text) || (!askerLocal && isLoopbackIp(ip))) continue;
        out.push(text);
        taken++;
      }
    }
    return out;
  }
}
