// Mempool exchange: pending transactions cross a new connection in both directions, announced
// ones travel on, invalid ones cost the sender points, and a peer breaking the limits is cut off.
import type { Stream } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/p2p/clock.js';
import { encodeVarint, FrameStream } from '../../../src/p2p/framing.js';
import type { Host } from '../../../src/p2p/host.js';
import { createNodeHost } from '../../../src/p2p/host-node.js';
import { generatePeerKey } from '../../../src/p2p/keys.js';
import {
  decodeMempoolRequest,
  decodeMempoolResponse,
  encodeMempoolRequest,
} from '../../../src/p2p/mempool-codec.js';
import { HASH_BYTES, LIMITS, MAX_MEMPOOL_FRAME, protocolIds } from '../../../src/p2p/protocol.js';
import { answerStatus } from '../../../src/p2p/status-protocol.js';
import type { ChainAccess } from '../../../src/p2p/types.js';
import { FakeChain, makeTx, txidOf } from './fake-chain.js';
import { connect, isPeerOf, Nodes, waitFor } from './helpers.js';

const nodes = new Nodes();
const raws: Host[] = [];
afterEach(async () => {
  await Promise.allSettled(raws.splice(0).map((h) => h.stop()));
  await nodes.stopAll();
});

const ids = protocolIds('regtest');

/** A bare host that passes the status handshake and answers mempool requests with `onRequest`. */
async function rawPeer(chain: ChainAccess, onRequest?: (stream: Stream, frame: Uint8Array) => void) {
  const host = await createNodeHost({
    privateKey: await generatePeerKey(),
    listenHost: '127.0.0.1',
    port: 0,
    ids,
  });
  raws.push(host);
  await host.handle(ids.status, async (stream) => {
    const status = { network: chain.network, genesisHash: chain.genesisHash, height: 0 };
    await answerStatus(stream, () => ({ ...status, tipHash: chain.genesisHash, chainWork: 1n })).catch(
      () => {},
    );
  });
  await host.handle(
    ids.mempool,
    async (stream) => {
      const frames = new FrameStream(stream, 1 << 20);
      const frame = await frames.read(AbortSignal.timeout(5000)).catch(() => null);
      if (frame) onRequest?.(stream, frame);
    },
    { maxInboundStreams: 64 },
  );
  return host;
}

describe('mempool exchange', () => {
  it('on connect, each side fetches the pending transactions it lacks', async () => {
    const chainA = new FakeChain();
    const chainB = new FakeChain();
    const onlyA = chainA.addTxUnchecked(makeTx('a1'));
    chainA.addTxUnchecked(makeTx('both'));
    chainB.addTxUnchecked(makeTx('both'));
    const onlyB = [chainB.addTxUnchecked(makeTx('b1')), chainB.addTxUnchecked(makeTx('b2'))];
    const a = await nodes.start(chainA);
    const b = await nodes.start(chainB);
    await connect(b, a);
    await waitFor(() => chainA.txs.size === 4 && chainB.txs.size === 4, 'both mempools complete');
    expect(chainB.txs.get(onlyA)?.from).toBe(a.peerId);
    for (const txid of onlyB) expect(chainA.txs.get(txid)?.from).toBe(b.peerId);
    // What both had was not sent again.
    expect(chainA.txSubmissions.map((s) => s.tx).sort()).toEqual(['tx:b1', 'tx:b2']);
    expect(chainB.txSubmissions.map((s) => s.tx)).toEqual(['tx:a1']);
  });

  it('announced transactions are fetched, and relayed on to peers further away', async () => {
    const chains = [new FakeChain(), new FakeChain(), new FakeChain()];
    const [a, b, c] = [
      await nodes.start(chains[0]),
      await nodes.start(chains[1]),
      await nodes.start(chains[2]),
    ];
    await connect(b, a);
    await connect(c, b);
    const tx = makeTx('late');
    const txid = chains[0].addTxUnchecked(tx); // e.g. restored by a reorganisation
    a.announceTxs([txid]);
    await waitFor(() => chains[2].txs.has(txid), 'the transaction at C');
    expect(chains[1].txs.get(txid)?.from).toBe(a.peerId);
    expect(chains[2].txs.get(txid)?.from).toBe(b.peerId);
    // Announcing it again sends nothing: everyone has it.
    a.announceTxs([txid]);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(chains[1].txSubmissions).toHaveLength(1);
    expect(chains[2].txSubmissions).toHaveLength(1);
  });

  it('an invalid transaction costs its sender points', async () => {
    const chainA = new FakeChain();
    chainA.addTxUnchecked(makeTx('BAD-1'));
    const a = await nodes.start(chainA);
    const b = await nodes.start(new FakeChain());
    await connect(b, a);
    await waitFor(() => b.peers().find((p) => p.id === a.peerId)?.score === 90, 'A to lose 10 points at B');
    expect(b.peers().find((p) => p.id === a.peerId)?.invalid).toBe(1);
  });

  it('a peer whose inventory exceeds the limit is penalized and cut off', async () => {
    const chain = new FakeChain();
    const raw = await rawPeer(chain, (stream) => {
      // INV claiming one txid more than allowed: the frame itself is over the limit.
      const count = LIMITS.maxInvTxids + 1;
      const frame = new Uint8Array(3 + count * HASH_BYTES);
      frame[0] = 0x91;
      new DataView(frame.buffer).setUint16(1, count);
      expect(frame.length).toBeGreaterThan(MAX_MEMPOOL_FRAME);
      stream.send(encodeVarint(frame.length));
      stream.send(frame);
      void stream.close().catch(() => {});
    });
    const b = await nodes.start(chain);
    const rawAddr = `${raw.getMultiaddrs()[0]}`;
    await b.dial(rawAddr.includes('/p2p/') ? rawAddr : `${rawAddr}/p2p/${raw.peerId}`).catch(() => {});
    await waitFor(() => !b.peers().some((p) => p.id === raw.peerId.toString()), 'B to hang up on the peer');
    expect(chain.txSubmissions).toEqual([]);
  });

  it('a peer that floods requests beyond the rate limit is refused and in the end banned', async () => {
    const chain = new FakeChain();
    const raw = await rawPeer(chain);
    // Time stands still for B, so its buckets do not refill while the test runs.
    const b = await nodes.start(chain, { clock: new ManualClock(Date.now()) });
    const target = multiaddr(b.addrs()[0]);
    const answers: string[] = [];
    for (let i = 0; i < LIMITS.mempoolRequestBurst + 20; i++) {
      try {
        const stream = await raw.dialProtocol(target, ids.mempool);
        const frames = new FrameStream(stream, MAX_MEMPOOL_FRAME);
        stream.send(encodeVarint(1));
        stream.send(encodeMempoolRequest({ type: 'getInv' }));
        await stream.close();
        const frame = await frames.read(AbortSignal.timeout(5000));
        const res = frame && decodeMempoolResponse(frame);
        answers.push(res ? (res.type === 'error' ? res.message : res.type) : 'closed');
      } catch {
        answers.push('refused');
      }
      if (answers.at(-1) === 'refused') break;
    }
    expect(answers.slice(0, LIMITS.mempoolRequestBurst).every((a) => a === 'inv')).toBe(true);
    expect(answers).toContain('rate limited');
    expect(answers.at(-1)).toBe('refused');
    expect(b.bans().map((x) => x.id)).toContain(raw.peerId.toString());
    expect(isPeerOf(b, { peerId: raw.peerId.toString() } as never)).toBe(false);
  });
});

describe('mempool codec', () => {
  it('round-trips requests and refuses lists over the limits', () => {
    const txids = [txidOf(makeTx('x')), txidOf(makeTx('y'))];
    expect(decodeMempoolRequest(encodeMempoolRequest({ type: 'getTxs', txids }))).toEqual({
      type: 'getTxs',
      txids,
    });
    expect(decodeMempoolRequest(encodeMempoolRequest({ type: 'announce', txids }))).toEqual({
      type: 'announce',
      txids,
    });
    const tooMany = Array.from({ length: LIMITS.maxTxsPerRequest + 1 }, (_, i) => txidOf(makeTx(`t${i}`)));
    expect(() => encodeMempoolRequest({ type: 'getTxs', txids: tooMany })).toThrow(RangeError);
    const frame = new Uint8Array(3 + tooMany.length * HASH_BYTES);
    frame[0] = 0x12;
    new DataView(frame.buffer).setUint16(1, tooMany.length);
    expect(() => decodeMempoolRequest(frame)).toThrow(/exceeds/);
    expect(() => decodeMempoolRequest(Uint8Array.of(0x11, 0))).toThrow(/payload/);
  });
});
