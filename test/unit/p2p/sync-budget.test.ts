// The sync server's upload budget per peer key: a burst of bytes, refilled steadily; a request on an
// empty budget is answered ERROR `rate limited` and costs nothing, unless the peer keeps asking.
import type { Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSyncResponse, encodeSyncRequest } from '../../../src/p2p/codec.js';
import { encodeVarint, FrameStream } from '../../../src/p2p/framing.js';
import { blockHashOf } from '../../../src/p2p/header.js';
import type { Host } from '../../../src/p2p/host.js';
import { LIMITS, MAX_RESPONSE_BYTES, MAX_RESPONSE_FRAME, protocolIds } from '../../../src/p2p/protocol.js';
import { MAX_SCORE, PENALTY } from '../../../src/p2p/scoring.js';
import { FakeChain, makeBlock } from './fake-chain.js';
import { Nodes, statusOnlyHost, waitFor } from './helpers.js';

const nodes = new Nodes();
const raws: Host[] = [];
afterEach(async () => {
  await Promise.allSettled(raws.splice(0).map((h) => h.stop()));
  await nodes.stopAll();
});

const ids = protocolIds('regtest');

/** One request on a fresh sync stream; the answer's frame types (`error:<reason>` for an ERROR). */
async function request(host: Host, target: string, hashes: string[]): Promise<string[]> {
  const stream: Stream = await host.dialProtocol(multiaddr(target), ids.sync);
  const frames = new FrameStream(stream, MAX_RESPONSE_FRAME, MAX_RESPONSE_BYTES);
  const body = encodeSyncRequest({ type: 'getBlocks', hashes });
  stream.send(Uint8Array.from([...encodeVarint(body.length), ...body]));
  await stream.close();
  const seen: string[] = [];
  const signal = AbortSignal.timeout(10_000);
  for (;;) {
    const frame = await frames.read(signal);
    if (frame === null) break;
    const decoded = decodeSyncResponse(frame);
    seen.push(decoded.type === 'error' ? `error:${decoded.message}` : decoded.type);
  }
  return seen;
}

describe('sync upload budget', () => {
  it('serves a peer until its bytes are spent, then answers rate limited; only insisting costs points', async () => {
    const chain = new FakeChain();
    const blocks: Uint8Array[] = [];
    for (let i = 0; i < 20; i++) {
      const block = makeBlock(chain.tip().hash, new Uint8Array(50_000).fill(i), i + 1);
      chain.connectUnchecked(block);
      blocks.push(block);
    }
    const hashes = blocks.map(blockHashOf);
    // 200 kB at once, refilled at 1 byte a second: the first answer (1 MB, capped at 8 MB) spends it all.
    const a = await nodes.start(chain, { uploadBudget: { burstBytes: 200_000, bytesPerSecond: 1 } });
    const raw = await statusOnlyHost(chain);
    raws.push(raw);
    const target = a.addrs()[0]!;
    await raw.dial(multiaddr(target));
    await waitFor(() => a.peers().some((p) => p.id === raw.peerId.toString() && p.height === 0), 'handshake');
    const score = () => a.peers().find((p) => p.id === raw.peerId.toString())?.score;

    const first = await request(raw, target, hashes);
    expect(first.filter((f) => f === 'block')).toHaveLength(20);
    expect(first.at(-1)).toBe('end');
    expect(hashes.length).toBeLessThanOrEqual(LIMITS.maxBlocksPerRequest);

    // Spent: refused, and free for the first few refusals (a client that backs off is not charged).
    for (let i = 0; i < LIMITS.uploadRefusalsPerMinute; i++) {
      expect(await request(raw, target, hashes.slice(0, 1))).toEqual(['error:rate limited']);
    }
    expect(score()).toBe(MAX_SCORE);
    // One more at once: a flood.
    expect(await request(raw, target, hashes.slice(0, 1))).toEqual(['error:rate limited']);
    await waitFor(() => score() === MAX_SCORE - PENALTY.flood, 'the flood penalty');

    // Another peer id has its own budget on loopback.
    const other = await statusOnlyHost(chain);
    raws.push(other);
    await other.dial(multiaddr(target));
    await waitFor(() => a.peers().some((p) => p.id === other.peerId.toString()), 'second handshake');
    expect((await request(other, target, hashes.slice(0, 2))).filter((f) => f === 'block')).toHaveLength(2);
  });
});
