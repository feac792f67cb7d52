// Peer exchange: a node that just connected asks its new peer for the signed peer records of that
// peer's other peers, so a node given one address reaches others within a second. pubsub peer
// discovery cannot do this for a newcomer: a node's record is the same bytes every time, and
// gossipsub drops a message it saw in the last two minutes, so the records of a formed network do
// not go out again when someone joins.
//
// One exchange per stream on /hashline/<network>/peers/2: the asker half-closes at once, the other
// side answers with one frame, UTF-8 JSON, an array of at most 32 `{"id", "record"}` where record is
// the base64 of a libp2p RecordEnvelope holding a PeerRecord (identify's signed peer record, as the
// peer store keeps it), and closes. Each record is signed by the peer it describes: a teller can
// only pass on records, not make up addresses for other peer ids. The address book takes them with
// the teller as their source (peer-addrs.ts).
import type { Connection, PeerId, Stream } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { ipOf, isLoopbackIp } from './bans.js';
import { ProtocolError } from './codec.js';
import { asError, errorText, isDialable, isMalformed, type NetContext } from './context.js';
import { FrameStream, withTimeout } from './framing.js';
import type { Host } from './host.js';
import { fromBase64, toBase64 } from './portable.js';
import { LIMITS, TIMEOUTS } from './protocol.js';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_ID_TEXT = 128;
/** An answer to the same peer again within this long is empty (a peer that reconnects in a loop). */
const ANSWER_EVERY_MS = 10_000;

export interface ToldRecord {
  id: string;
  /** A marshalled RecordEnvelope (signed PeerRecord). */
  record: Uint8Array;
}

export function encodePeerRecords(records: readonly ToldRecord[]): Uint8Array {
  return utf8.encode(
    JSON.stringify(
      records.slice(0, LIMITS.maxExchangedRecords).map((r) => ({ id: r.id, record: toBase64(r.record) })),
    ),
  );
}

/** The records of an answer; throws ProtocolError if it breaks the format or limits (signatures are checked later). */
export function decodePeerRecords(frame: Uint8Array): ToldRecord[] {
  if (frame.length > LIMITS.maxPeerRecordsFrame) throw new ProtocolError('too-large', 'peer list too large');
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8.decode(frame));
  } catch {
    throw new ProtocolError('malformed', 'peer list is not JSON');
  }
  if (!Array.isArray(value)) throw new ProtocolError('malformed', 'peer list is not an array');
  if (value.length > LIMITS.maxExchangedRecords) throw new ProtocolError('too-large', 'too many records');
  const maxBase64 = Math.ceil(LIMITS.maxSignedPeerRecordBytes / 3) * 4;
  return value.map((entry: unknown) => {
    const { id, record } = (entry ?? {}) as { id?: unknown; record?: unknown };
    if (
      typeof id !== 'string' ||
      id.length > MAX_ID_TEXT ||
      typeof record !== 'string' ||
      record.length > maxBase64
    )
      throw new ProtocolError('malformed', 'peer record entry');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(record))
      throw new ProtocolError('malformed', 'peer record is not base64');
    try {
      return { id, record: fromBase64(record) };
    } catch {
      throw new ProtocolError('malformed', 'peer record is not base64');
    }
  });
}

function parsePeerId(text: string): PeerId | undefined {
  try {
    return peerIdFromString(text);
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
    /** Signed records of these peers, told by the peer at the other end of `teller`, are in the peer
     * store: resolves with how many went into the address book. */
    private readonly learned: (ids: string[], teller: Connection) => Promise<number>,
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
      const learnt = stored.length > 0 ? await this.learned(stored, connection) : 0;
      this.ctx.log.debug({ peer: id, told: told.length, learnt }, 'peer exchange');
    } catch (err) {
      if (isMalformed(err)) this.ctx.penalize(id, 'malformedFrame', `peer list: ${err.message}`);
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'peer exchange failed');
    }
  }

  private async request(connection: Connection): Promise<ToldRecord[]> {
    const signal = withTimeout(TIMEOUTS.peersMs, this.ctx.stopSignal());
    const stream = await connection.newStream(this.ctx.ids.peers, { signal });
    const frames = new FrameStream(stream, LIMITS.maxPeerRecordsFrame);
    try {
      await frames.closeWrite(signal);
      const frame = await frames.read(signal);
      if (frame === null) throw new ProtocolError('unexpected', 'stream closed before the peer list');
      return decodePeerRecords(frame);
    } catch (err) {
      frames.abort(asError(err));
      throw err;
    }
  }

  /**
   * Gives told records to the peer store, which checks each signature and that it is the claimed
   * peer's (libp2p's consumePeerRecord); never ours, the teller's, a refused or connected peer's.
   * A record that does not open (bad signature or encoding) costs the teller points once.
   */
  private async store(from: string, told: ToldRecord[]): Promise<string[]> {
    const host = this.ctx.host();
    if (!host) return [];
    const self = host.peerId.toString();
    const connected = new Set(host.getPeers().map((p) => p.toString()));
    const stored: string[] = [];
    let bad = 0;
    for (const { id, record } of told) {
      if (id === self || id === from || connected.has(id) || this.ctx.isRefused(id)) continue;
      const peerId = parsePeerId(id);
      if (!peerId) {
        bad++;
        continue;
      }
      // False when it is not the claimed peer's or not newer than the one we have: nothing stored.
      const ok = await host.peerStore
        .consumePeerRecord(record, { expectedPeer: peerId })
        .catch(() => undefined);
      if (ok === undefined) bad++;
      else stored.push(id);
    }
    if (bad > 0) this.ctx.penalize(from, 'malformedFrame', `peer list: ${bad} records do not open`);
    return stored;
  }

  private async serve(stream: Stream, connection: Connection): Promise<void> {
    const id = connection.remotePeer.toString();
    const signal = withTimeout(TIMEOUTS.peersMs, this.ctx.stopSignal());
    const frames = new FrameStream(stream, 0);
    try {
      const now = this.ctx.clock.now();
      const last = this.answered.get(id);
      const records =
        last !== undefined && now - last < ANSWER_EVERY_MS ? [] : await this.recordsFor(connection);
      this.answered.set(id, now);
      await frames.write(encodePeerRecords(records), signal);
      await frames.closeWrite(signal);
    } catch (err) {
      frames.abort(asError(err));
      this.ctx.log.debug({ peer: id, err: errorText(err) }, 'peer exchange answer failed');
    }
  }

  /** Up to 32 signed records of our other ready peers, as the peer store keeps them (from identify). */
  private async recordsFor(connection: Connection): Promise<ToldRecord[]> {
    const host = this.ctx.host();
    if (!host) return [];
    const asker = connection.remotePeer.toString();
    const askerIp = ipOf(connection.remoteAddr);
    // A record of loopback addresses only helps an asker on this machine.
    const askerLocal = askerIp !== undefined && isLoopbackIp(askerIp);
    const out: ToldRecord[] = [];
    for (const id of this.ctx.readyPeers()) {
      if (out.length >= LIMITS.maxExchangedRecords) break;
      if (id === asker || this.ctx.isRefused(id)) continue;
      const peer = await host.peerStore.get(peerIdFromString(id)).catch(() => undefined);
      const record = peer?.peerRecordEnvelope;
      if (!record || record.length > LIMITS.maxSignedPeerRecordBytes) continue;
      const reachable = peer.addresses.some((a) => {
        const ip = ipOf(a.multiaddr);
        return (
          a.isCertified &&
          ip !== undefined &&
          isDialable(a.multiaddr.toString()) &&
          (askerLocal || !isLoopbackIp(ip))
        );
      });
      if (reachable) out.push({ id, record });
    }
    return out;
  }
}
