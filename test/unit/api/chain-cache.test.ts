import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChainReader,
  createChainCache,
  DEFAULT_READ_AHEAD,
  DEFAULT_YIELD_EVERY,
} from '../../../src/api/chain-cache.js';
import { classicBlock, spentCoinsOfBlock } from '../../../src/api/views.js';
import { type ChainEntry, makeEntry } from '../../../src/chain/entry.js';
import { type Block, blockHashHex } from '../../../src/core/block.js';
import { COIN } from '../../../src/core/params.js';
import { txid } from '../../../src/core/tx.js';
import { makeBlock, openTestChain, spend, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** The routes' former streamChain, block by block from the chain: the output the cache must match. */
async function reference(
  reader: ChainReader,
  key: string,
  from: number,
  to: number,
  extra: Record<string, unknown>,
): Promise<string> {
  const tipHeight = reader.height;
  const head = Object.entries(extra)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
    .join('');
  let out = `{${head}${JSON.stringify(key)}:[`;
  for (let h = from; h <= to; h++) {
    const entry = reader.entryAtHeight(h);
    const block = entry && (await reader.getBlock(entry.hashHex));
    if (!entry || !block) break;
    const spent = await spentCoinsOfBlock(reader.store.blocks, entry, block, block.txs.map(txid));
    const view = classicBlock(reader.params, entry, block, tipHeight - h + 1, spent);
    out += (h > from ? ',' : '') + JSON.stringify(view);
  }
  return `${out}],"length":${tipHeight + 1}}`;
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** A chain of `blocks` blocks after genesis; block 2 carries a payment with free text. */
async function chainWithPayments(blocks: number): Promise<Fixture> {
  const f = await openTestChain();
  const alice = testKey(1);
  const b1 = makeBlock(f.chain, { miner: alice.address });
  await f.chain.processBlock(b1);
  const pay = spend(
    alice,
    [{ txid: txid(b1.txs[0]!), index: 0, amount: 50n * COIN }],
    [
      { address: testKey(2).address, amount: 10n * COIN },
      { address: alice.address, amount: 40n * COIN - 1000n },
    ],
    new TextEncoder().encode('"confirmations":1 héllo'),
  );
  await f.chain.processBlock(makeBlock(f.chain, { txs: [{ tx: pay, fee: 1000n }] }));
  for (let i = 2; i < blocks; i++) await f.chain.processBlock(makeBlock(f.chain));
  return f;
}

/** A reader over `count` synthetic blocks sharing one body, answering without I/O; counts reads. */
function syntheticReader(params: ChainReader['params'], body: Block, template: ChainEntry, count: number) {
  const entries: ChainEntry[] = [];
  for (let h = 0; h < count; h++) {
    const hash = new Uint8Array(32);
    new DataView(hash.buffer).setUint32(0, h + 1);
    entries.push(makeEntry(hash, template.header, h, 0n, 'valid', entries[h - 1], h));
  }
  const known = new Set(entries.map((e) => e.hashHex));
  const reads = { count: 0 };
  const reader: ChainReader = {
    params,
    height: count - 1,
    tip: entries[count - 1]!,
    entryAtHeight: (h) => entries[h],
    getBlock: (hash) => {
      reads.count++;
      return Promise.resolve(known.has(hash) ? body : undefined);
    },
    store: { blocks: { getUndo: async () => undefined } },
  };
  return { reader, reads };
}

/** Event-loop turns (setImmediate) while `work` runs, with the reads seen at each turn. */
async function turnsDuring<T>(reads: { count: number }, work: Promise<T>) {
  const seen: number[] = [];
  let done = false;
  const spin = async () => {
    for (let i = 0; i < 1_000_000 && !done; i++) {
      seen.push(reads.count);
      await new Promise((r) => setImmediate(r));
    }
  };
  const spinning = spin();
  const result = await work;
  done = true;
  await spinning;
  const gaps = seen.slice(1).map((n, i) => n - seen[i]!);
  return { result, turns: seen.length, maxReadsPerTurn: Math.max(0, ...gaps) };
}

describe('createChainCache', () => {
  it('serves byte for byte what rendering each block at the tip gives, for both keys', async () => {
    fx = await chainWithPayments(8);
    const cache = createChainCache(fx.chain);
    const h = fx.chain.height;
    const plain = await text(cache.stream('chain', 0, h, {}));
    expect(plain).toBe(await reference(fx.chain, 'chain', 0, h, {}));
    const parsed = JSON.parse(plain);
    expect(Object.keys(parsed)).toEqual(['chain', 'length']);
    expect(parsed.length).toBe(h + 1);
    expect(parsed.chain.map((b: { index: number }) => b.index)).toEqual([...Array(h + 1).keys()]);
    expect(parsed.chain[2].transactions[1].confirmations).toBe(h - 1);

    const extra = { message: 'Our chain was replaced' };
    const replaced = await text(cache.stream('new_chain', 0, h, extra));
    expect(replaced).toBe(await reference(fx.chain, 'new_chain', 0, h, extra));
    expect(Object.keys(JSON.parse(replaced))).toEqual(['message', 'new_chain', 'length']);
    // The second stream reused every block rendered by the first.
    expect(cache.stats().rendered).toBe(h + 1);
  });

  it('serves pages with from and to, an empty list past the tip and the whole length', async () => {
    fx = await chainWithPayments(10);
    const cache = createChainCache(fx.chain);
    const h = fx.chain.height;
    for (const [from, to] of [
      [0, 0],
      [3, 7],
      [h, h],
      [h - 2, h + 50],
      [h + 1, h],
    ] as const) {
      const got = await text(cache.stream('chain', from, to, {}));
      expect(got).toBe(await reference(fx.chain, 'chain', from, Math.min(to, h), {}));
    }
    const page = JSON.parse(await text(cache.stream('chain', 3, 7, {})));
    expect(page.chain.map((b: { index: number }) => b.index)).toEqual([3, 4, 5, 6, 7]);
    expect(page.length).toBe(h + 1);
  });

  it('follows a new tip: confirmations grow without rendering old blocks again', async () => {
    fx = await chainWithPayments(5);
    const cache = createChainCache(fx.chain);
    await text(cache.stream('chain', 0, fx.chain.height, {}));
    const before = cache.stats().rendered;
    await fx.chain.processBlock(makeBlock(fx.chain));
    const h = fx.chain.height;
    const got = await text(cache.stream('chain', 0, h, {}));
    expect(got).toBe(await reference(fx.chain, 'chain', 0, h, {}));
    expect(JSON.parse(got).chain[0].transactions[0].confirmations).toBe(h + 1);
    expect(cache.stats().rendered).toBe(before + 1);
  });

  it('gives the new block at a height after a reorganisation', async () => {
    fx = await chainWithPayments(3);
    const { chain } = fx;
    const cache = createChainCache(chain);
    const fork = chain.entryAtHeight(1)!;
    const oldAt2 = chain.entryAtHeight(2)!.hashHex;
    await text(cache.stream('chain', 0, chain.height, {}));

    let parent = fork;
    for (let i = 0; i < 4; i++) {
      const b = makeBlock(chain, { parent, extraNonce: 99n });
      await chain.processBlock(b);
      parent = chain.getEntry(blockHashHex(b))!;
    }
    expect(chain.tip).toBe(parent);
    expect(chain.entryAtHeight(2)!.hashHex).not.toBe(oldAt2);

    const got = await text(cache.stream('chain', 0, chain.height, {}));
    expect(got).toBe(await reference(chain, 'chain', 0, chain.height, {}));
    const blocks = JSON.parse(got).chain as Array<{ hash: string; previous_hash: string }>;
    expect(blocks[2]!.hash).toBe(chain.entryAtHeight(2)!.hashHex);
    expect(blocks[2]!.previous_hash).toBe(fork.hashHex);
  });

  it('keeps a stream on the tip it started at when a block arrives mid-stream', async () => {
    fx = await chainWithPayments(6);
    const cache = createChainCache(fx.chain, { chunkBytes: 1 });
    const h = fx.chain.height;
    const expected = await reference(fx.chain, 'chain', 0, h, {});
    const stream = cache.stream('chain', 0, h, {});
    const reading = text(stream);
    await fx.chain.processBlock(makeBlock(fx.chain));
    expect(await reading).toBe(expected);
  });

  it('lets concurrent streams share one render of each block', async () => {
    fx = await chainWithPayments(12);
    const { chain } = fx;
    let reads = 0;
    const counting: ChainReader = {
      params: chain.params,
      get height() {
        return chain.height;
      },
      get tip() {
        return chain.tip;
      },
      entryAtHeight: (h) => chain.entryAtHeight(h),
      getBlock: (hash) => {
        reads++;
        return chain.getBlock(hash);
      },
      store: chain.store,
    };
    const cache = createChainCache(counting, { yieldEvery: 2 });
    const h = chain.height;
    const outputs = await Promise.all(Array.from({ length: 6 }, () => text(cache.stream('chain', 0, h, {}))));
    const expected = await reference(chain, 'chain', 0, h, {});
    for (const out of outputs) expect(out).toBe(expected);
    expect(reads).toBe(h + 1);
    expect(cache.stats().rendered).toBe(h + 1);
  });

  it('ends the stream with the error of a failed read, read ahead or not', async () => {
    fx = await chainWithPayments(12);
    const { chain } = fx;
    const failing: ChainReader = {
      params: chain.params,
      height: chain.height,
      tip: chain.tip,
      entryAtHeight: (h) => chain.entryAtHeight(h),
      getBlock: (hash) =>
        hash === chain.entryAtHeight(5)!.hashHex
          ? Promise.reject(new Error('disk gone'))
          : chain.getBlock(hash),
      store: chain.store,
    };
    const cache = createChainCache(failing);
    await expect(text(cache.stream('chain', 0, chain.height, {}))).rejects.toThrow('disk gone');
    // Blocks before the failure were cached and serve a page that stops short of it.
    const page = await text(cache.stream('chain', 0, 4, {}));
    expect(page).toBe(await reference(chain, 'chain', 0, 4, {}));
  });

  it('keeps cached JSON within its byte budget and still serves every block', async () => {
    fx = await chainWithPayments(12);
    const cache = createChainCache(fx.chain, { maxBytes: 4_000 });
    const h = fx.chain.height;
    const got = await text(cache.stream('chain', 0, h, {}));
    expect(got).toBe(await reference(fx.chain, 'chain', 0, h, {}));
    const { cachedBytes, cachedBlocks } = cache.stats();
    expect(cachedBytes).toBeLessThanOrEqual(4_000);
    expect(cachedBlocks).toBeGreaterThan(0);
    expect(cachedBlocks).toBeLessThan(h + 1);
  });

  it('yields to the event loop every few blocks, rendering or cached, even when reads never wait', async () => {
    fx = await chainWithPayments(1);
    const body = (await fx.chain.getBlock(fx.chain.tip.hashHex))!;
    const count = 3_000;
    const { reader, reads } = syntheticReader(fx.chain.params, body, fx.chain.tip, count);
    const cache = createChainCache(reader);

    const cold = await turnsDuring(reads, text(cache.stream('chain', 0, count - 1, {})));
    expect(JSON.parse(cold.result).chain).toHaveLength(count);
    expect(reads.count).toBe(count);
    // A turn handles one slice of blocks, plus the few read ahead of it.
    expect(cold.maxReadsPerTurn).toBeLessThanOrEqual(DEFAULT_YIELD_EVERY + 2 * DEFAULT_READ_AHEAD);
    expect(cold.turns).toBeGreaterThanOrEqual(count / DEFAULT_YIELD_EVERY);

    const warm = await turnsDuring(reads, text(cache.stream('chain', 0, count - 1, {})));
    expect(warm.result).toBe(cold.result);
    expect(reads.count).toBe(count);
    expect(warm.turns).toBeGreaterThanOrEqual(count / DEFAULT_YIELD_EVERY);
  });

  it('renders only about a chunk ahead of a client that does not read', async () => {
    fx = await chainWithPayments(1);
    const body = (await fx.chain.getBlock(fx.chain.tip.hashHex))!;
    const count = 3_000;
    const { reader, reads } = syntheticReader(fx.chain.params, body, fx.chain.tip, count);
    const chunkBytes = 16 * 1024;
    const cache = createChainCache(reader, { chunkBytes });
    const stream = cache.stream('chain', 0, count - 1, {});
    await new Promise<void>((resolve) => stream.once('readable', () => resolve()));
    for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r));
    const blockBytes = JSON.stringify(classicBlock(reader.params, reader.tip, body, 1)).length;
    // The buffer holds at most a high-water mark plus one chunk; the generator waits for reads.
    expect(stream.readableLength).toBeLessThanOrEqual(3 * chunkBytes);
    expect(reads.count).toBeLessThanOrEqual(
      Math.ceil((3 * chunkBytes) / blockBytes) + DEFAULT_YIELD_EVERY + 2 * DEFAULT_READ_AHEAD,
    );
    expect(reads.count).toBeLessThan(count / 4);

    const rest = JSON.parse(await text(stream));
    expect(rest.chain).toHaveLength(count);
    expect(reads.count).toBe(count);
  });
});
