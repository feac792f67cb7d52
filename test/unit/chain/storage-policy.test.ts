// What the chain keeps of blocks off the active chain (storage-policy.ts), and what checkHeaders
// makes it keep: a side block is stored only within a work window of the tip, or when a header chain
// through it reaching the tip's work was checked; everything else is 'low-work' and leaves no trace.
import { afterEach, describe, expect, it } from 'vitest';
import type { Chain } from '../../../src/chain/chain.js';
import { type Block, blockHashHex } from '../../../src/core/block.js';
import { encodeHeader } from '../../../src/core/header.js';
import { COIN } from '../../../src/core/params.js';
import { workForBits } from '../../../src/core/pow.js';
import { makeBlock, openTestChain, regtest, spend, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
const open: Fixture[] = [];
afterEach(async () => {
  for (const fx of open.splice(0)) await fx.close();
});

async function chainAt(height: number, opts: Parameters<typeof openTestChain>[1] = {}, miner = 1) {
  const fx = await openTestChain(regtest, opts);
  open.push(fx);
  const blocks: Block[] = [];
  for (let i = 0; i < height; i++) {
    const b = makeBlock(fx.chain, { miner: testKey(miner).address });
    expect((await fx.chain.processBlock(b)).status).toBe('connected');
    blocks.push(b);
  }
  return { ...fx, blocks };
}

/** A block on the active block at `height` (a side block when that is below the tip). */
function sideBlockOn(chain: Chain, height: number, extraNonce = 7n): Block {
  return makeBlock(chain, { parent: chain.entryAtHeight(height)!, extraNonce });
}

const workPerBlock = workForBits(regtest.powLimitBits);

describe('storage policy for side blocks', () => {
  it('refuses a side block below the work window as low-work: nothing written, nothing condemned', async () => {
    const { chain, store } = await chainAt(20);
    // Window: 6 blocks' work. The tip has 21 blocks' work; a block at height 13 has 14: below 15.
    const low = sideBlockOn(chain, 12);
    const r = await chain.processBlock(low);
    expect(r.status).toBe('low-work');
    expect(r.stale).toBe(false);
    expect(await store.blocks.getBlockBytes(low.header.prevHash)).toBeDefined();
    expect(await chain.getBlockBytes(blockHashHex(low))).toBeUndefined();
    expect(chain.getEntry(blockHashHex(low))).toBeUndefined();
    expect(chain.hasBlock(blockHashHex(low))).toBe(false);
    // Not remembered as invalid: the same block is judged again, the same way.
    expect((await chain.processBlock(low)).status).toBe('low-work');
    // Its header is not refused either.
    expect(chain.checkHeaders([encodeHeader(low.header)]).status).toBe('ok');
  });

  it("from a peer, unasked: only a block with at least the tip's work (a competing one), as Core", async () => {
    const { chain } = await chainAt(20);
    // A competing block at the tip's height: the same work as the tip.
    const race = sideBlockOn(chain, 19);
    expect((await chain.processBlock(race, { peer: 'peer-1' })).status).toBe('side');
    // One block below: within the operator's window, but a peer's stale block costs no disk.
    const stale = sideBlockOn(chain, 18);
    expect(await chain.processBlock(stale, { peer: 'peer-1' })).toMatchObject({
      status: 'low-work',
      stale: true,
    });
    expect(chain.hasBlock(blockHashHex(stale))).toBe(false);
    // The same block from the operator (the API) is kept.
    expect((await chain.processBlock(stale)).status).toBe('side');
  });

  it('stores a side block within the window (an honest race or a short fork)', async () => {
    const { chain } = await chainAt(20);
    const race = sideBlockOn(chain, 19);
    expect((await chain.processBlock(race)).status).toBe('side');
    // Exactly at the window's edge: 15 blocks' work against the tip's 21.
    const edge = sideBlockOn(chain, 13);
    expect((await chain.processBlock(edge)).status).toBe('side');
    expect(chain.tip.chainWork - chain.getEntry(blockHashHex(edge))!.chainWork).toBe(6n * workPerBlock);
    expect(await chain.getBlockBytes(blockHashHex(edge))).toBeDefined();
  });

  it('takes a window of any size as an option', async () => {
    const { chain } = await chainAt(20, { storage: { windowBlocks: 30 } });
    expect((await chain.processBlock(sideBlockOn(chain, 0))).status).toBe('side');
  });

  it('stores the low-work prefix of a branch whose headers were checked to reach the tip', async () => {
    const honest = await chainAt(20);
    const other = await chainAt(25, {}, 2);
    const headers = other.blocks.map((b) => encodeHeader(b.header));

    // Without checked headers, the branch's first block is low-work.
    expect((await honest.chain.processBlock(other.blocks[0]!)).status).toBe('low-work');

    // Checked headers that do not reach the tip's work make nothing acceptable.
    const short = honest.chain.checkHeaders(headers.slice(0, 10));
    expect(short.status).toBe('ok');
    expect((await honest.chain.processBlock(other.blocks[0]!)).status).toBe('low-work');

    // The whole branch reaches more work than the tip: its bodies are stored, then it wins.
    const all = honest.chain.checkHeaders(headers);
    expect(all.status === 'ok' && all.work > honest.chain.tip.chainWork).toBe(true);
    const results = await honest.chain.processBlocks(other.blocks);
    expect(results[0]!.status).toBe('side');
    expect(results.every((r) => r.status === 'side' || r.status === 'connected')).toBe(true);
    expect(honest.chain.tip.hashHex).toBe(other.chain.tip.hashHex);
  });

  it('remembers checked headers in a bounded memory (the oldest checked go first)', async () => {
    const honest = await chainAt(10, { storage: { checkedCapacity: 3 } });
    const other = await chainAt(13, {}, 2);
    expect(honest.chain.checkHeaders(other.blocks.map((b) => encodeHeader(b.header))).status).toBe('ok');
    // Only the last three hashes are remembered: the first block of the branch is low-work again.
    expect((await honest.chain.processBlock(other.blocks[0]!)).status).toBe('low-work');
  });

  it('stores no side branch below the network minimum chain work', async () => {
    const params = { ...regtest, minimumChainWork: 100n * workPerBlock };
    const fx = await openTestChain(params, { storage: { windowBlocks: 1000 } });
    open.push(fx);
    const { chain } = fx;
    for (let i = 0; i < 5; i++) expect((await chain.processBlock(makeBlock(chain))).status).toBe('connected');
    // Extending the tip is not held to it (a young chain must grow); a side branch is.
    expect((await chain.processBlock(sideBlockOn(chain, 4))).status).toBe('low-work');
  });
});

describe('checkHeaders and blocks known to be invalid', () => {
  it('refuses a header of a block found invalid, and a header following it', async () => {
    const { chain } = await chainAt(1);
    const alice = testKey(1);
    const coinbase = { txid: new Uint8Array(32).fill(9), index: 0, amount: 50n * COIN };
    // Spends a coin that does not exist: fails to connect, so its index entry is marked invalid.
    const bad = makeBlock(chain, {
      txs: [{ tx: spend(alice, [coinbase], [{ address: alice.address, amount: COIN }]), fee: 0n }],
    });
    expect((await chain.processBlock(bad)).status).toBe('invalid');
    const child = makeBlock(chain, { parent: chain.getEntry(blockHashHex(bad))! });
    const verdict = chain.checkHeaders([encodeHeader(bad.header)]);
    expect(verdict.status).toBe('invalid');
    const after = chain.checkHeaders([encodeHeader(child.header)]);
    expect(after.status === 'invalid' && after.error.code).toBe('bad-prev-block');
  });
});
