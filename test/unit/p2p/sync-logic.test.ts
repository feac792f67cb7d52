// The headers-first downloader against an in-memory source: ordering, pipelining,
// partial answers and every way a peer can misbehave.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/p2p/codec.js';
import { blockHashOf } from '../../../src/p2p/header.js';
import { type SyncSource, syncFromPeer } from '../../../src/p2p/sync.js';
import { FakeChain, makeBlock } from './fake-chain.js';

interface SourceOptions {
  /** Most blocks answered per getBlocks. */
  cap?: number;
  /** Rewrites an answer (to misbehave). */
  tamper?: (blocks: Uint8Array[], call: number) => Uint8Array[];
  log?: string[];
}

function sourceOf(server: FakeChain, opts: SourceOptions = {}): SyncSource {
  let calls = 0;
  return {
    peer: 'peer-1',
    getHeaders: (locator) => server.headersAfter(locator, 2000),
    async getBlocks(hashes) {
      const call = calls++;
      opts.log?.push(`fetch ${call}`);
      const blocks: Uint8Array[] = [];
      for (const hash of hashes.slice(0, opts.cap ?? hashes.length)) {
        const block = await server.getBlock(hash);
        if (!block) break;
        blocks.push(block);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
      return opts.tamper ? opts.tamper(blocks, call) : blocks;
    },
  };
}

function chainOf(count: number): FakeChain {
  const chain = new FakeChain();
  chain.extend(count);
  return chain;
}

describe('syncFromPeer', () => {
  it('fetches everything missing in chain order across several header rounds', async () => {
    const server = chainOf(4500);
    const client = new FakeChain();
    const progress: number[] = [];
    const result = await syncFromPeer({
      chain: client,
      source: sourceOf(server, { cap: 37 }),
      onProgress: (n) => progress.push(n),
    });
    expect(result).toEqual({ blocks: 4500 });
    expect(client.activeHashes()).toEqual(server.activeHashes());
    expect(client.submissions.every((s) => s.status === 'accepted')).toBe(true);
    expect(progress.at(-1)).toBe(4500);
  });

  it('requests the next batches before submitting the current one', async () => {
    const server = chainOf(40);
    const client = new FakeChain();
    const log: string[] = [];
    const submit = client.submitBlock.bind(client);
    client.submitBlock = async (bytes, from) => {
      log.push('submit');
      return submit(bytes, from);
    };
    await syncFromPeer({ chain: client, source: sourceOf(server, { log }), batchSize: 10, pipelineDepth: 2 });
    // Batches 0 and 1 are asked for up front, batch 2 as soon as batch 0 arrives, before it is submitted.
    expect(log.slice(0, 3)).toEqual(['fetch 0', 'fetch 1', 'fetch 2']);
    expect(log.indexOf('submit')).toBeGreaterThan(log.indexOf('fetch 2'));
    expect(client.tip().height).toBe(40);
  });

  it('sizes batches by bytes once block sizes are known', async () => {
    const server = new FakeChain();
    const filler = 'x'.repeat(200_000);
    for (let h = 1; h <= 40; h++) server.connectUnchecked(makeBlock(server.tip().hash, `${h}:${filler}`, h));
    const client = new FakeChain();
    const source = sourceOf(server);
    const asked: number[] = [];
    const getBlocks = source.getBlocks.bind(source);
    source.getBlocks = (hashes) => {
      asked.push(hashes.length);
      return getBlocks(hashes);
    };
    expect(await syncFromPeer({ chain: client, source, pipelineDepth: 1 })).toEqual({ blocks: 40 });
    expect(asked[0]).toBe(16);
    expect(Math.max(...asked.slice(1))).toBe(4); // ~1 MB of 200 kB blocks
  });

  it('stops at nothing new when the peer is on a lighter fork we already have', async () => {
    const server = chainOf(10);
    const client = chainOf(10);
    client.extend(5, 'ours');
    expect(await syncFromPeer({ chain: client, source: sourceOf(server) })).toEqual({ blocks: 0 });
  });

  it('downloads no body of a lighter fork (its headers show less work than our tip)', async () => {
    const server = chainOf(10);
    server.extend(3, 'theirs');
    const client = chainOf(10);
    client.extend(5, 'ours');
    const ourTip = client.tip().hash;
    const source = sourceOf(server);
    let bodies = 0;
    const getBlocks = source.getBlocks.bind(source);
    source.getBlocks = (hashes) => {
      bodies += hashes.length;
      return getBlocks(hashes);
    };
    // It claimed no more than it has: no offence.
    const result = await syncFromPeer({ chain: client, source, claimedWork: server.tip().chainWork });
    expect(result).toEqual({ blocks: 0 });
    expect(bodies).toBe(0);
    expect(client.tip().hash).toBe(ourTip);
  });

  it('holds an invalid block against the peer and keeps what came before it', async () => {
    const server = chainOf(20);
    server.connectUnchecked(server.nextBlock('evil', true));
    server.extend(5);
    const client = new FakeChain();
    const result = await syncFromPeer({ chain: client, source: sourceOf(server) });
    expect(result).toMatchObject({ blocks: 20, offence: 'invalidBlock' });
    expect(client.tip().height).toBe(20);
  });

  it('treats a malleated block as no offence but reports it', async () => {
    const server = chainOf(5);
    const client = new FakeChain();
    const result = await syncFromPeer({
      chain: client,
      source: sourceOf(server, {
        tamper: (blocks) =>
          blocks.map((b, i) => {
            if (i !== 2) return b;
            const copy = b.slice();
            copy[copy.length - 1] ^= 1;
            return copy;
          }),
      }),
    });
    expect(result).toMatchObject({ blocks: 2, malleated: true });
    expect(result.offence).toBeUndefined();
  });

  it('flags blocks that are not the ones asked for', async () => {
    const server = chainOf(5);
    const client = new FakeChain();
    const result = await syncFromPeer({
      chain: client,
      source: sourceOf(server, { tamper: (blocks) => [...blocks].reverse() }),
    });
    expect(result).toMatchObject({ blocks: 0, offence: 'protocolViolation' });
  });

  it('holds headers that do not form a chain against the peer as invalid, and asks for no body', async () => {
    const server = chainOf(5);
    const client = new FakeChain();
    const source = sourceOf(server);
    source.getHeaders = async (locator) => {
      const headers = await server.headersAfter(locator, 2000);
      return [headers[0], headers[2]];
    };
    source.getBlocks = async () => {
      throw new Error('no body may be asked for');
    };
    expect(await syncFromPeer({ chain: client, source })).toMatchObject({
      blocks: 0,
      offence: 'invalidBlock',
    });
  });

  it('maps transport failures to offences: timeout is minor, a dropped connection is none', async () => {
    const client = new FakeChain();
    const failing = (err: Error): SyncSource => ({
      peer: 'p',
      getHeaders: async () => {
        throw err;
      },
      getBlocks: async () => [],
    });
    expect(
      await syncFromPeer({ chain: client, source: failing(new ProtocolError('timeout', 'slow')) }),
    ).toMatchObject({
      offence: 'timeout',
    });
    expect(
      await syncFromPeer({ chain: client, source: failing(new ProtocolError('malformed', 'junk')) }),
    ).toMatchObject({ offence: 'malformedFrame' });
    const dropped = await syncFromPeer({ chain: client, source: failing(new Error('connection reset')) });
    expect(dropped).toEqual({
      blocks: 0,
      reason: 'connection reset',
      offence: undefined,
      malleated: undefined,
    });
  });

  it('stops without an offence when the peer no longer has announced blocks', async () => {
    const server = chainOf(5);
    const client = new FakeChain();
    const result = await syncFromPeer({ chain: client, source: sourceOf(server, { tamper: () => [] }) });
    expect(result).toMatchObject({ blocks: 0, offence: undefined });
    expect(result.reason).toMatch(/no longer has/);
  });

  it('hashes match the blocks submitted', async () => {
    const server = chainOf(3);
    const client = new FakeChain();
    await syncFromPeer({ chain: client, source: sourceOf(server) });
    expect(client.submissions.map((s) => s.hash)).toEqual(server.activeHashes().slice(1));
    expect(client.submissions.map((s) => s.hash)).toEqual(
      [1, 2, 3].map((h) => blockHashOf(server.blockAt(h))),
    );
  });
});
