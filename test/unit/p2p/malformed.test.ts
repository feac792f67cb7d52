// A raw libp2p host speaks the protocols by hand, sending garbage where the node
// expects well-formed frames. The node must answer with an error or hang up, mark the
// sender down, and keep serving everyone else.
import type { Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSyncResponse, encodeSyncRequest } from '../../../src/p2p/codec.js';
import { encodeVarint, FrameStream } from '../../../src/p2p/framing.js';
import type { Host } from '../../../src/p2p/host.js';
import { MAX_RESPONSE_FRAME, protocolIds } from '../../../src/p2p/protocol.js';
import type { ChainAccess } from '../../../src/p2p/types.js';
import { FakeChain } from './fake-chain.js';
import { connect, Nodes, statusOnlyHost, waitFor } from './helpers.js';

const nodes = new Nodes();
const raws: Host[] = [];
afterEach(async () => {
  await Promise.allSettled(raws.splice(0).map((h) => h.stop()));
  await nodes.stopAll();
});

const ids = protocolIds('regtest');

/** A bare host that passes the status handshake as a peer of `chain`'s network. */
async function rawPeer(chain: ChainAccess): Promise<Host> {
  const host = await statusOnlyHost(chain);
  raws.push(host);
  return host;
}

/** Sends raw bytes on a fresh sync stream and collects the decoded answer frames. */
async function sendRaw(host: Host, target: string, bytes: Uint8Array): Promise<string[]> {
  const stream: Stream = await host.dialProtocol(multiaddr(target), ids.sync);
  const frames = new FrameStream(stream, MAX_RESPONSE_FRAME);
  stream.send(bytes);
  await stream.close();
  const seen: string[] = [];
  const signal = AbortSignal.timeout(10_000);
  try {
    for (;;) {
      const frame = await frames.read(signal);
      if (frame === null) break;
      const decoded = decodeSyncResponse(frame);
      seen.push(decoded.type === 'error' ? `error:${decoded.message}` : decoded.type);
    }
  } catch (err) {
    seen.push(`closed:${(err as Error).name}`);
  }
  return seen;
}

function lengthPrefixed(body: Uint8Array): Uint8Array {
  const prefix = encodeVarint(body.length);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

describe('malformed input on the sync protocol', () => {
  it('answers garbage with an error, penalizes the sender, bans it, and keeps serving others', async () => {
    const chainA = new FakeChain();
    chainA.extend(50);
    const a = await nodes.start(chainA);
    const raw = await rawPeer(chainA);
    const target = a.addrs()[0];

    // A well-formed request from the raw host is answered normally.
    const ok = await sendRaw(
      raw,
      target,
      lengthPrefixed(encodeSyncRequest({ type: 'getHeaders', locator: [] })),
    );
    expect(ok).toEqual(['headers']);
    await waitFor(() => a.peers().some((p) => p.id === raw.peerId.toString() && p.height === 0), 'handshake');

    const scoreOfRaw = () => a.peers().find((p) => p.id === raw.peerId.toString())?.score;
    expect(scoreOfRaw()).toBe(100);

    // Unknown request type.
    expect((await sendRaw(raw, target, lengthPrefixed(Uint8Array.of(0x7f, 1, 2, 3))))[0]).toMatch(
      /^error:unknown/,
    );
    expect(scoreOfRaw()).toBe(75);
    // Hash list shorter than its count says.
    const truncated = lengthPrefixed(Uint8Array.of(0x02, 0x00, 0x05, ...new Uint8Array(10)));
    expect((await sendRaw(raw, target, truncated))[0]).toMatch(/^error:/);
    // A length prefix far above the request limit.
    expect((await sendRaw(raw, target, encodeVarint(50_000_000)))[0]).toMatch(/^error:frame of/);

    const banned: string[] = [];
    a.on('peer:banned', (info) => banned.push(info.id));
    // A varint that never ends.
    await sendRaw(raw, target, new Uint8Array(8).fill(0xff));
    await waitFor(() => banned.length === 1, 'ban');
    expect(banned[0]).toBe(raw.peerId.toString());
    await waitFor(() => !a.peers().some((p) => p.id === raw.peerId.toString()), 'A to drop the raw peer');

    // A is still up and serving well-behaved peers.
    const chainB = new FakeChain();
    const b = await nodes.start(chainB);
    await connect(b, a);
    await waitFor(() => chainB.tip().hash === chainA.tip().hash, 'B to sync from A');
  });

  it('a peer that answers sync requests with garbage is penalized, and sync ends cleanly', async () => {
    const chainB = new FakeChain();
    const b = await nodes.start(chainB);
    const raw = await rawPeer(chainB);
    await raw.handle(ids.sync, async (stream) => {
      stream.send(lengthPrefixed(Uint8Array.of(0x99, 0x01)));
      await stream.close().catch(() => {});
    });
    await b.dial(`${raw.getMultiaddrs()[0].toString()}`);
    await expect(b.syncWith(raw.peerId.toString())).resolves.toEqual({ blocks: 0 });
    expect(b.peers().find((p) => p.id === raw.peerId.toString())?.score).toBe(75);
  });

  it('a peer that sends headers not linked to our chain is penalized', async () => {
    const chainB = new FakeChain();
    const b = await nodes.start(chainB);
    const raw = await rawPeer(chainB);
    const stranger = new FakeChain('regtest');
    stranger.extend(3, 'elsewhere');
    const headers = (await stranger.headersAfter([], 3)).slice(1); // skips block 1: no link to genesis
    await raw.handle(ids.sync, async (stream) => {
      const frames = new FrameStream(stream, 8192);
      await frames.read(AbortSignal.timeout(5000));
      const body = new Uint8Array(1 + headers.length * 80);
      body[0] = 0x81;
      headers.forEach((h, i) => {
        body.set(h, 1 + i * 80);
      });
      await frames.write(body);
      await frames.closeWrite();
    });
    await b.dial(raw.getMultiaddrs()[0].toString());
    await expect(b.syncWith(raw.peerId.toString())).resolves.toEqual({ blocks: 0 });
    expect(b.peers().find((p) => p.id === raw.peerId.toString())?.score).toBe(80);
  });
});
