// The parallel block download: several peers at once, in-order submission in runs that span senders,
// the stall timeout that drops a peer holding up the window, and parts handed to others when a peer
// lacks them.
import { describe, expect, it } from 'vitest';
import { BlockDownload } from '../../../src/p2p/block-download.js';
import { systemClock } from '../../../src/p2p/clock.js';
import type { DownloadOptions, DownloadTarget, PeerFault } from '../../../src/p2p/download-types.js';
import { blockHashOf } from '../../../src/p2p/header.js';
import { StallTimeout } from '../../../src/p2p/stall-timeout.js';
import type { SyncSource } from '../../../src/p2p/sync.js';
import { FakeChain, makeBlock } from './fake-chain.js';
import { waitFor } from './helpers.js';

interface PeerBehaviour {
  /** ms before each answer */
  delayMs?: number;
  /** never answers (until the test ends) */
  silent?: boolean;
  /** answers with nothing: no longer has the blocks */
  empty?: boolean;
  /** sends its answers at this many bytes a second (instead of delayMs) */
  bytesPerSecond?: number;
}

function peerOf(
  id: string,
  server: FakeChain,
  behaviour: PeerBehaviour,
  asked: Map<string, string[]>,
): SyncSource {
  return {
    peer: id,
    getHeaders: (locator) => server.headersAfter(locator, 2000),
    async getBlocks(hashes) {
      asked.set(id, [...(asked.get(id) ?? []), ...hashes]);
      if (behaviour.silent) return new Promise<Uint8Array[]>(() => {});
      const blocks: Uint8Array[] = [];
      for (const hash of hashes) blocks.push((await server.getBlock(hash))!);
      const bytes = blocks.reduce((n, b) => n + b.length, 0);
      const ms = behaviour.bytesPerSecond
        ? (bytes * 1000) / behaviour.bytesPerSecond
        : (behaviour.delayMs ?? 1);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return behaviour.empty ? [] : blocks;
    },
  };
}

/** Counts the blocks `sources` delivered (answers returned to the download). */
function counting(sources: Iterable<SyncSource>): { blocks: number } {
  const delivered = { blocks: 0 };
  for (const source of sources) {
    const getBlocks = source.getBlocks.bind(source);
    source.getBlocks = async (hashes) => {
      const blocks = await getBlocks(hashes);
      delivered.blocks += blocks.length;
      return blocks;
    };
  }
  return delivered;
}

/** Keeps the chain busy with the first run until `ready`: what arrives meanwhile waits for the next run. */
function holdFirstRun(client: FakeChain, ready: () => boolean): void {
  const submit = client.submitBlocks.bind(client);
  let first = true;
  client.submitBlocks = async (blocks, from) => {
    if (first) {
      first = false;
      await waitFor(ready, 'every block delivered');
    }
    return submit(blocks, from);
  };
}

function setUp(blocks: number, peers: Record<string, PeerBehaviour>, opts: Partial<DownloadOptions> = {}) {
  const server = new FakeChain();
  server.extend(blocks);
  const client = new FakeChain();
  const asked = new Map<string, string[]>();
  const sources = new Map(Object.entries(peers).map(([id, b]) => [id, peerOf(id, server, b, asked)]));
  const delivered = counting(sources.values());
  const faults: [string, PeerFault][] = [];
  const download = new BlockDownload(
    {
      chain: client,
      clock: systemClock,
      stall: new StallTimeout(100, 1600),
      peers: () => [...sources.keys()],
      sourceOf: (id) => sources.get(id),
      onFault: (id, fault) => faults.push([id, fault]),
      batchSize: 16,
      ...opts,
    },
    { hashes: server.activeHashes().slice(1), work: server.tip().chainWork },
  );
  return { server, client, asked, delivered, faults, download };
}

/** A download of `target` by `client` from `sources` (asked in that order), its stall timeout out of reach. */
function downloadFrom(
  client: FakeChain,
  sources: Map<string, SyncSource>,
  target: DownloadTarget,
  opts: Partial<DownloadOptions> = {},
) {
  const faults: [string, PeerFault][] = [];
  const download = new BlockDownload(
    {
      chain: client,
      clock: systemClock,
      stall: new StallTimeout(60_000, 60_000),
      peers: () => [...sources.keys()],
      sourceOf: (id) => sources.get(id),
      onFault: (id, fault) => faults.push([id, fault]),
      ...opts,
    },
    target,
  );
  return { download, faults };
}

describe('BlockDownload', () => {
  it('downloads from three peers in parallel and submits every block once, in order', async () => {
    const { server, client, asked, faults, download } = setUp(600, {
      a: { delayMs: 5 },
      b: { delayMs: 5 },
      c: { delayMs: 5 },
    });
    expect(await download.start()).toEqual({ blocks: 600 });
    expect(client.activeHashes()).toEqual(server.activeHashes());
    expect(client.submissions.map((s) => s.hash)).toEqual(server.activeHashes().slice(1));
    expect(client.submissions.every((s) => s.status === 'accepted')).toBe(true);
    // Each peer served a fair part of it.
    for (const id of ['a', 'b', 'c']) expect(asked.get(id)?.length ?? 0).toBeGreaterThan(100);
    expect(faults).toEqual([]);
  });

  it('hands what several peers sent to the chain in one run, each block with its sender', async () => {
    const { client, asked, delivered, faults, download } = setUp(600, { a: {}, b: {}, c: {} });
    // The chain is busy with the first run until every block has come: the rest waits, all of it.
    holdFirstRun(client, () => delivered.blocks >= 600);
    expect(await download.start()).toEqual({ blocks: 600 });
    expect(faults).toEqual([]);
    const runs = client.runs.map((r) => ({ blocks: r.blocks, senders: new Set(r.from).size }));
    expect(runs[1]).toEqual({ blocks: 256, senders: 3 });
    expect(Math.max(...runs.map((r) => r.blocks))).toBe(256);
    // Every block went to the chain as from the peer that was asked for it.
    const askedOf = new Map([...asked].flatMap(([id, hashes]) => hashes.map((h) => [h, id] as const)));
    for (const s of client.submissions) expect(s.from).toBe(askedOf.get(s.hash));
  });

  it('adds a continuation of its target to the end: nothing asked for twice, every block once, in order', async () => {
    const server = new FakeChain();
    server.extend(900);
    const hashes = server.activeHashes().slice(1);
    const client = new FakeChain();
    const asked = new Map<string, string[]>();
    const sources = new Map(['a', 'b'].map((id) => [id, peerOf(id, server, { delayMs: 2 }, asked)]));
    // One unit of work per block, genesis included.
    const { download } = downloadFrom(
      client,
      sources,
      { hashes: hashes.slice(0, 300), work: 301n },
      { batchSize: 16 },
    );
    expect(download.remaining).toBe(300);
    // The headers after the target come while the chain connects the first run (its blocks are not in
    // the chain yet), and again later; each continuation starts inside what the download has.
    const submit = client.submitBlocks.bind(client);
    const offers: (string | false)[] = [];
    client.submitBlocks = async (blocks, from) => {
      if (offers.length === 0) offers.push(download.offer({ hashes: hashes.slice(100, 600), work: 601n }));
      else if (offers.length === 1 && client.tip().height >= 400)
        offers.push(download.offer({ hashes: hashes.slice(350, 900), work: 901n }));
      return submit(blocks, from);
    };
    expect(await download.start()).toEqual({ blocks: 900 });
    expect(offers).toEqual(['extended', 'extended']);
    expect(client.submissions.map((s) => s.hash)).toEqual(hashes);
    expect([...asked.values()].flat().sort()).toEqual([...hashes].sort());
    expect(download.remaining).toBe(0);
  });

  it('asks again for a malleated block of a run that was with the chain while the target grew', async () => {
    const server = new FakeChain();
    server.extend(600);
    const hashes = server.activeHashes().slice(1);
    const bad = hashes[49]!;
    const client = new FakeChain();
    const asked = new Map<string, string[]>();
    const sources = new Map(['a', 'b'].map((id) => [id, peerOf(id, server, { delayMs: 1 }, asked)]));
    // The first copy of block 50 anyone sends is corrupted in transit.
    let corrupted = false;
    for (const source of sources.values()) {
      const getBlocks = source.getBlocks.bind(source);
      source.getBlocks = async (wanted) =>
        (await getBlocks(wanted)).map((bytes, i) => {
          if (wanted[i] !== bad || corrupted) return bytes;
          corrupted = true;
          const copy = bytes.slice();
          copy[copy.length - 1]! ^= 1;
          return copy;
        });
    }
    const { download, faults } = downloadFrom(
      client,
      sources,
      { hashes: hashes.slice(0, 300), work: 301n },
      { batchSize: 16 },
    );
    // The headers after the target come while the run holding block 50 is with the chain: what is
    // before that run is dropped from the download's list, the run itself is kept.
    const submit = client.submitBlocks.bind(client);
    let offered: string | false | undefined;
    client.submitBlocks = async (blocks, from) => {
      if (offered === undefined && blocks.some((b) => blockHashOf(b) === bad))
        offered = download.offer({ hashes: hashes.slice(40, 600), work: 601n });
      return submit(blocks, from);
    };
    // The blocks after it in its run waited as orphans and joined the chain with it.
    expect((await download.start()).reason).toBeUndefined();
    expect(offered).toBe('extended');
    expect(client.tip().hash).toBe(server.tip().hash);
    expect(faults).toEqual([[expect.any(String), expect.objectContaining({ malleated: true })]]);
    expect(client.submissions.filter((s) => s.hash === bad).map((s) => s.status)).toEqual([
      'invalid',
      'accepted',
    ]);
  });

  it('asks a slow peer for what it delivers in about a second, and a fast one for full batches', async () => {
    const server = new FakeChain();
    for (let i = 1; i <= 300; i++)
      server.connectUnchecked(makeBlock(server.tip().hash, new Uint8Array(2000).fill(i), i));
    const client = new FakeChain();
    const asked = new Map<string, string[]>();
    // The fast peer needs about 2 s for all of it: the slow one answers its first request before that.
    const behaviours: Record<string, PeerBehaviour> = {
      slow: { bytesPerSecond: 20_000 },
      fast: { bytesPerSecond: 300_000 },
    };
    const sources = new Map(Object.entries(behaviours).map(([id, b]) => [id, peerOf(id, server, b, asked)]));
    // The size of each request, and whether the slow peer had answered once when it was sent.
    const requests: { peer: string; blocks: number; slowMeasured: boolean }[] = [];
    let slowAnswered = false;
    for (const source of sources.values()) {
      const getBlocks = source.getBlocks.bind(source);
      source.getBlocks = async (hashes) => {
        requests.push({ peer: source.peer, blocks: hashes.length, slowMeasured: slowAnswered });
        const blocks = await getBlocks(hashes);
        if (source.peer === 'slow') slowAnswered = true;
        return blocks;
      };
    }
    const { download } = downloadFrom(
      client,
      sources,
      { hashes: server.activeHashes().slice(1), work: server.tip().chainWork },
      { batchSize: 64, requestsPerPeer: 1 },
    );
    expect(await download.start()).toEqual({ blocks: 300 });
    expect(client.tip().hash).toBe(server.tip().hash);
    // 20,000 bytes a second, blocks of 2,080 bytes: at most 9 blocks a request once measured.
    const slowLater = requests.filter((r) => r.peer === 'slow' && r.slowMeasured);
    expect(slowLater.length).toBeGreaterThan(0);
    expect(Math.max(...slowLater.map((r) => r.blocks))).toBeLessThanOrEqual(10);
    expect(Math.max(...requests.filter((r) => r.peer === 'fast').map((r) => r.blocks))).toBe(64);
  });

  it('charges an invalid block of a run to its own sender, not to the sender of the run’s first block', async () => {
    const server = new FakeChain();
    server.extend(32);
    server.connectUnchecked(server.nextBlock('main', true));
    server.extend(28);
    const bad = server.activeHashes()[33]!;
    const client = new FakeChain();
    const asked = new Map<string, string[]>();
    const sources = new Map(['a', 'b'].map((id) => [id, peerOf(id, server, {}, asked)]));
    const delivered = counting(sources.values());
    holdFirstRun(client, () => delivered.blocks >= 61);
    const { download, faults } = downloadFrom(
      client,
      sources,
      { hashes: server.activeHashes().slice(1), work: server.tip().chainWork },
      { batchSize: 8 },
    );
    const result = await download.start();
    const sender = asked.get('a')!.includes(bad) ? 'a' : 'b';
    const run = client.runs[1]!;
    expect(new Set(run.from)).toEqual(new Set(['a', 'b']));
    expect((run.from as string[])[0]).not.toBe(sender);
    expect(result).toEqual({ blocks: 32, reason: `invalid block from ${sender}` });
    expect(faults).toEqual([[sender, expect.objectContaining({ offence: 'invalidBlock' })]]);
  });

  it('drops a peer that holds up the window past the stall timeout and gives its blocks to others', async () => {
    const { server, client, asked, faults, download } = setUp(200, {
      staller: { silent: true },
      honest: { delayMs: 2 },
    });
    const started = Date.now();
    expect(await download.start()).toEqual({ blocks: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(client.tip().hash).toBe(server.tip().hash);
    // The staller was asked for the first batch, never answered, and the honest peer got it.
    const first = server.activeHashes()[1]!;
    expect(asked.get('staller')).toContain(first);
    expect(client.submissions.find((s) => s.hash === first)?.from).toBe('honest');
    expect(faults).toEqual([['staller', expect.objectContaining({ stalled: true, offence: 'timeout' })]]);
  });

  it('never takes the only peer for a staller, however slow', async () => {
    const { server, client, faults, download } = setUp(64, { only: { delayMs: 300 } });
    expect(await download.start()).toEqual({ blocks: 64 });
    expect(client.tip().hash).toBe(server.tip().hash);
    expect(faults).toEqual([]);
  });

  it('keeps at most 12 requests in flight in all, and stops asking once 32 MB wait for an earlier block', async () => {
    // Blocks of 1 MB; the window's first batch is with a peer that does not answer.
    const server = new FakeChain();
    const filler = 'x'.repeat(1_000_000);
    for (let h = 1; h <= 120; h++) server.connectUnchecked(makeBlock(server.tip().hash, `${h}:${filler}`, h));
    const client = new FakeChain();
    const asked = new Map<string, string[]>();
    const ids = ['staller', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const sources = new Map(
      ids.map((id) => [id, peerOf(id, server, id === 'staller' ? { silent: true } : { delayMs: 5 }, asked)]),
    );
    let inflight = 0;
    let most = 0;
    let othersInflight = 0;
    for (const source of sources.values()) {
      const getBlocks = source.getBlocks.bind(source);
      const other = source.peer !== 'staller';
      source.getBlocks = async (hashes) => {
        most = Math.max(most, ++inflight);
        if (other) othersInflight++;
        try {
          return await getBlocks(hashes);
        } finally {
          inflight--;
          if (other) othersInflight--;
        }
      };
    }
    const abort = new AbortController();
    const download = new BlockDownload(
      {
        chain: client,
        clock: systemClock,
        stall: new StallTimeout(60_000, 60_000),
        peers: () => ids,
        sourceOf: (id) => sources.get(id),
        onFault: () => {},
        batchSize: 2,
        signal: abort.signal,
      },
      { hashes: server.activeHashes().slice(1), work: server.tip().chainWork },
    );
    const done = download.start();
    const fetchedByOthers = () =>
      [...asked.entries()].filter(([id]) => id !== 'staller').flatMap(([, h]) => h).length;
    // The others deliver what they may while the first batch stays with the staller, then nothing is asked.
    await waitFor(
      () => othersInflight === 0 && fetchedByOthers() >= 32,
      'the download to stop asking',
      20_000,
    );
    const fetched = fetchedByOthers();
    abort.abort();
    expect(await done).toMatchObject({ blocks: 0, reason: 'sync stopped' });
    expect(most).toBeLessThanOrEqual(12);
    // 32 blocks of 1 MB waiting, and the requests that were in flight when the bound was reached.
    expect(fetched).toBeGreaterThanOrEqual(32);
    expect(fetched).toBeLessThanOrEqual(32 + 12 * 2);
  }, 30_000);

  it('doubles the stall timeout after each staller, up to its cap, and halves it back on progress', () => {
    const stall = new StallTimeout(2_000, 64_000);
    const seen: number[] = [];
    for (let i = 0; i < 7; i++) {
      seen.push(stall.current);
      stall.stalled();
    }
    expect(seen).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 64_000]);
    for (let i = 0; i < 10; i++) stall.progressed();
    expect(stall.current).toBe(2_000);
  });

  it('hands the part of a peer that no longer has the blocks to others, without an offence', async () => {
    const { server, client, faults, download } = setUp(100, { lacking: { empty: true }, honest: {} });
    expect(await download.start()).toEqual({ blocks: 100 });
    expect(client.tip().hash).toBe(server.tip().hash);
    expect(faults).toHaveLength(1);
    expect(faults[0]![0]).toBe('lacking');
    expect(faults[0]![1].offence).toBeUndefined();
  });

  it('does not count side blocks as progress of the stall logic', async () => {
    const run = async (ourBlocks: number) => {
      const server = new FakeChain();
      server.extend(30, 'theirs');
      const client = new FakeChain();
      client.extend(ourBlocks, 'ours');
      const stall = new StallTimeout(100, 1600);
      stall.stalled(); // 200 ms, as after a staller
      const download = new BlockDownload(
        {
          chain: client,
          clock: systemClock,
          stall,
          peers: () => ['a'],
          sourceOf: () => peerOf('a', server, {}, new Map()),
          onFault: () => {},
        },
        { hashes: server.activeHashes().slice(1), work: server.tip().chainWork },
      );
      expect(await download.start()).toEqual({ blocks: 30 });
      return { stall: stall.current, tipMoved: client.tip().hash === server.tip().hash };
    };
    // Our chain has more work: the 30 blocks are side blocks, the tip stays, the timeout stays.
    expect(await run(50)).toEqual({ stall: 200, tipMoved: false });
    // The same blocks moving our tip halve it back.
    expect(await run(0)).toEqual({ stall: 100, tipMoved: true });
  });

  it('asks a peer to avoid (a recent staller) only once no other can serve', async () => {
    const avoid = (id: string) => id === 'staller';
    const preferred = setUp(64, { staller: {}, honest: {} }, { avoid });
    expect(await preferred.download.start()).toEqual({ blocks: 64 });
    expect(preferred.asked.get('staller')).toBeUndefined();

    const alone = setUp(64, { staller: {}, lacking: { empty: true } }, { avoid });
    expect(await alone.download.start()).toEqual({ blocks: 64 });
    expect(alone.client.tip().hash).toBe(alone.server.tip().hash);
    expect(alone.asked.get('staller')?.length).toBeGreaterThan(0);
  });

  it('ends, with a reason, when no peer can serve the blocks', async () => {
    const { download } = setUp(10, { lacking: { empty: true } });
    expect(await download.start()).toMatchObject({ blocks: 0, reason: 'no peer can serve the blocks' });
  });
});
