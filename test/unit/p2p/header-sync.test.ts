// Headers first: the chain checks a peer's headers before any body is fetched; a chain that does not
// show more work than ours is not downloaded, a peer that claimed more than it shows loses points, and
// the headers held for one peer are bounded.
import { describe, expect, it } from 'vitest';
import { blockHashOf } from '../../../src/p2p/header.js';
import { fetchHeaderChain, fetchMoreHeaders, HEADER_LIMITS } from '../../../src/p2p/header-sync.js';
import { type SyncSource, syncFromPeer } from '../../../src/p2p/sync.js';
import type { HeadersVerdict } from '../../../src/p2p/types.js';
import { FakeChain, makeBlock } from './fake-chain.js';

/** A source over `server` that counts the bodies asked for. */
function counted(server: FakeChain) {
  const asked = { headers: 0, bodies: 0 };
  const source: SyncSource = {
    peer: 'peer-1',
    async getHeaders(locator) {
      asked.headers++;
      return server.headersAfter(locator, 2000);
    },
    async getBlocks(hashes) {
      asked.bodies += hashes.length;
      return Promise.all(hashes.map(async (h) => (await server.getBlock(h))!));
    },
  };
  return { source, asked };
}

function chainOf(count: number, tag = 'main'): FakeChain {
  const chain = new FakeChain();
  chain.extend(count, tag);
  return chain;
}

describe('headers first', () => {
  it('fetches no body when the chain finds a header invalid, and holds it against the peer', async () => {
    const server = chainOf(50);
    const client = new FakeChain();
    const checked: number[] = [];
    client.checkHeaders = (headers): HeadersVerdict => {
      checked.push(headers.length);
      return { status: 'invalid', index: 30, code: 'high-hash' };
    };
    const { source, asked } = counted(server);
    const result = await syncFromPeer({ chain: client, source });
    expect(checked).toEqual([50]);
    expect(asked.bodies).toBe(0);
    expect(result).toMatchObject({ blocks: 0, offence: 'invalidBlock' });
    expect(result.reason).toMatch(/high-hash/);
    expect(client.tip().height).toBe(0);
  });

  it('holds headers that do not connect to our chain against the peer', async () => {
    const server = chainOf(10);
    const client = new FakeChain();
    const { source, asked } = counted(server);
    source.getHeaders = async () => (await server.headersAfter([], 2000)).slice(3);
    expect(await syncFromPeer({ chain: client, source })).toMatchObject({
      blocks: 0,
      offence: 'protocolViolation',
    });
    expect(asked.bodies).toBe(0);
  });

  it('does not download a chain with less work than ours, and a peer that claimed more loses points', async () => {
    const server = chainOf(10);
    server.extend(3, 'theirs'); // 13 blocks
    const client = chainOf(10);
    client.extend(8, 'ours'); // 18 blocks
    const { source, asked } = counted(server);
    const honest = await fetchHeaderChain({ chain: client, source, claimedWork: server.tip().chainWork });
    expect(honest.complete).toBe(true);
    expect(honest.target).toBeUndefined();
    expect(honest.stop?.offence).toBeUndefined();
    const lying = await syncFromPeer({ chain: client, source, claimedWork: 1_000_000n });
    expect(lying).toMatchObject({ blocks: 0, offence: 'protocolViolation' });
    expect(lying.reason).toMatch(/claims chain work 1000000 but its headers show 14/);
    expect(asked.bodies).toBe(0);
  });

  it('downloads a chain with more work than ours but holds a larger claim against the peer', async () => {
    const server = chainOf(20);
    const client = chainOf(10);
    const { source } = counted(server);
    const result = await syncFromPeer({ chain: client, source, claimedWork: 5_000n });
    expect(result).toMatchObject({ blocks: 10, offence: 'protocolViolation' });
    expect(client.tip().hash).toBe(server.tip().hash);
  });

  it('a peer on our chain that claims more work than ours loses points', async () => {
    const server = chainOf(10);
    const client = chainOf(10);
    const { source } = counted(server);
    const result = await fetchHeaderChain({ chain: client, source, claimedWork: 99n });
    expect(result).toMatchObject({ complete: true, stop: { offence: 'protocolViolation' } });
  });

  it('downloads nothing below the minimum chain work', async () => {
    const server = chainOf(30);
    const client = new FakeChain();
    Object.defineProperty(client, 'minimumChainWork', { value: 100n });
    const { source, asked } = counted(server);
    const result = await fetchHeaderChain({ chain: client, source, claimedWork: server.tip().chainWork });
    expect(result.target).toBeUndefined();
    expect(result.stop?.reason).toMatch(/minimum chain work/);
    expect(asked.bodies).toBe(0);
  });

  it('holds at most HEADER_LIMITS.maxHeld headers of a peer that never shows more work', async () => {
    const client = chainOf(5);
    let longest = 0;
    let checkedInAll = 0;
    // The chain finds every run fine but never better than our tip.
    client.checkHeaders = (headers): HeadersVerdict => {
      longest = Math.max(longest, headers.length);
      checkedInAll += headers.length;
      return { status: 'ok', work: 1n };
    };
    let requests = 0;
    let prev = client.genesisHash;
    const source: SyncSource = {
      peer: 'endless',
      async getHeaders() {
        requests++;
        const headers: Uint8Array[] = [];
        for (let i = 0; i < 2000; i++) {
          const header = makeBlock(prev, `h${requests}:${i}`).subarray(0, 80);
          headers.push(header);
          prev = blockHashOf(header);
        }
        return headers;
      },
      getBlocks: async () => {
        throw new Error('no body may be asked for');
      },
    };
    const result = await fetchHeaderChain({ chain: client, source, claimedWork: 1_000_000n });
    expect(HEADER_LIMITS.maxHeld).toBe(50_000);
    expect(longest).toBeLessThanOrEqual(HEADER_LIMITS.maxHeld);
    expect(requests).toBe(HEADER_LIMITS.maxHeld / 2000);
    // Runs are checked again only when they have doubled: linear, not quadratic, in what is held.
    expect(checkedInAll).toBeLessThanOrEqual(3 * HEADER_LIMITS.maxHeld);
    // Not complete: it may have more, so its claim is not held against it; nothing to download.
    expect(result.complete).toBe(false);
    expect(result.target).toBeUndefined();
    expect(result.stop?.offence).toBeUndefined();
  }, 30_000);

  it('continues from the last header of a running download, checking what the chain lacks with the new ones', async () => {
    const server = chainOf(5000);
    const client = new FakeChain();
    const { source, asked } = counted(server);
    const first = await fetchHeaderChain({ chain: client, source });
    expect(first.target?.hashes).toHaveLength(2000);
    // The download has connected 1,500 of them meanwhile.
    for (const hash of first.target!.hashes.slice(0, 1500))
      client.connectUnchecked((await server.getBlock(hash))!);
    const checked: number[] = [];
    const check = client.checkHeaders.bind(client);
    client.checkHeaders = (headers) => {
      checked.push(headers.length);
      return check(headers);
    };
    const next = await fetchMoreHeaders({ chain: client, source }, first.run!);
    // One more answer, checked with the 500 headers whose blocks the chain lacks.
    expect(asked.headers).toBe(2);
    expect(checked).toEqual([2500]);
    expect(next.complete).toBe(false);
    expect(next.target?.hashes).toEqual(server.activeHashes().slice(1501, 4001));
    expect(next.target?.work).toBe(4001n); // one unit of work per block, genesis included
    const last = await fetchMoreHeaders({ chain: client, source }, next.run!);
    expect(last).toMatchObject({ complete: true });
    expect(last.target?.hashes.at(-1)).toBe(server.tip().hash);
    expect(last.stop).toBeUndefined();
    // After the peer's tip: nothing more, and no offence; unless its status claimed more than that.
    expect(await fetchMoreHeaders({ chain: client, source }, last.run!)).toEqual({ complete: true });
    const claimed = await fetchMoreHeaders({ chain: client, source, claimedWork: 6000n }, last.run!);
    expect(claimed.stop).toMatchObject({
      offence: 'protocolViolation',
      reason: /claims chain work 6000 but its headers show 5001/,
    });
  });

  it('ends a continuation without an offence when the peer moved to another chain, and charges invalid headers', async () => {
    const server = chainOf(2500);
    const client = new FakeChain();
    const { source } = counted(server);
    const first = await fetchHeaderChain({ chain: client, source });
    const other = chainOf(1900); // forks below the run's last header
    other.extend(800, 'other');
    const moved = await fetchMoreHeaders({ chain: client, source: counted(other).source }, first.run!);
    expect(moved.target).toBeUndefined();
    expect(moved.stop).toEqual({ reason: 'the peer moved to another chain' });
    client.checkHeaders = (): HeadersVerdict => ({ status: 'invalid', index: 2100, code: 'high-hash' });
    const invalid = await fetchMoreHeaders({ chain: client, source }, first.run!);
    expect(invalid.target).toBeUndefined();
    expect(invalid.stop).toMatchObject({ offence: 'invalidBlock', reason: 'invalid header 2100: high-hash' });
  });
});
