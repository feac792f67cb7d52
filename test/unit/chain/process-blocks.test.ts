// Chain.processBlocks: a run of blocks connects together (signatures checked while the next blocks
// connect, one batch), with exactly the results processBlock would give block by block.
import { afterEach, describe, expect, it } from 'vitest';
import { Chain, type SignatureVerifier, verifyOnMainThread } from '../../../src/chain/chain.js';
import type { ChainEntry } from '../../../src/chain/entry.js';
import { type Block, blockHashHex, encodeBlock } from '../../../src/core/block.js';
import { COIN } from '../../../src/core/params.js';
import { type Tx, txid } from '../../../src/core/tx.js';
import { openStore } from '../../../src/node/level-store.js';

import {
  acceptAnySignature,
  makeBlock,
  openTestChain,
  spend,
  testKey,
  withBrokenSignature,
} from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
const open: Fixture[] = [];
afterEach(async () => {
  for (const fx of open.splice(0)) await fx.close();
});

async function testChain(opts: { verifySignatures?: SignatureVerifier } = {}): Promise<Fixture> {
  const fx = await openTestChain(undefined, opts);
  open.push(fx);
  return fx;
}

/** Signature checks that answer late, and in a different order than asked: as worker threads may. */
const slowVerifier: SignatureVerifier = (checks) =>
  new Promise((resolve) => {
    setTimeout(() => resolve(verifyOnMainThread(checks)), 5 + (checks.length % 3) * 10);
  });

const alice = testKey(1);
const bob = testKey(2);

/**
 * Builds `count` blocks on a scratch chain (so they are valid in sequence); from the third on, each
 * pays bob from alice's coinbase two blocks back. With `badSignatureAt`, that block carries a broken
 * signature its coinbase commits to (withBrokenSignature) and the later blocks are built on it: the
 * blocks before it are the same as without.
 */
async function buildBlocks(
  count: number,
  opts: { badSignatureAt?: number } = {},
): Promise<{ blocks: Block[]; builder: Chain; pays: Tx[] }> {
  const bad = opts.badSignatureAt;
  const fx = await testChain(bad === undefined ? {} : { verifySignatures: acceptAnySignature });
  const blocks: Block[] = [];
  const pays: Tx[] = [];
  for (let i = 0; i < count; i++) {
    const txs: Array<{ tx: Tx; fee: bigint }> = [];
    if (i >= 2) {
      const coinbase = blocks[i - 2]!.txs[0]!;
      const pay = spend(
        alice,
        [{ txid: txid(coinbase), index: 0, amount: coinbase.outputs[0]!.amount }],
        [{ address: bob.address, amount: 49n * COIN }],
      );
      pays.push(pay);
      txs.push({ tx: pay, fee: COIN });
    }
    const made = makeBlock(fx.chain, { miner: alice.address, txs });
    const block = i === bad ? withBrokenSignature(made) : made;
    const r = await fx.chain.processBlock(block);
    expect([r.status, r.error?.code]).toEqual(['connected', undefined]);
    blocks.push(block);
  }
  return { blocks, builder: fx.chain, pays };
}

describe('Chain.processBlocks', () => {
  it('connects a run of blocks with the results, coins and events of one-by-one imports', async () => {
    const { blocks, builder, pays } = await buildBlocks(12);
    for (const verifySignatures of [verifyOnMainThread, slowVerifier]) {
      const { chain, store } = await testChain({ verifySignatures });
      const connects: string[] = [];
      const tips: string[] = [];
      chain.on('connect', (e) => connects.push(e.hashHex));
      chain.on('tip', (e) => tips.push(e.hashHex));
      const results = await chain.processBlocks(blocks.map((b, i) => (i % 2 ? encodeBlock(b) : b)));
      expect(results.map((r) => [r.status, r.hash])).toEqual(
        blocks.map((b) => ['connected', blockHashHex(b)]),
      );
      expect(chain.tip.hashHex).toBe(builder.tip.hashHex);
      expect(connects).toEqual(blocks.map(blockHashHex));
      expect(tips.at(-1)).toBe(builder.tip.hashHex);
      for (const pay of pays) {
        expect((await store.coins.getCoin(txid(pay), 0))?.amount).toBe(49n * COIN);
        expect(await store.coins.getCoin(pay.inputs[0]!.prevTxid, 0)).toBeUndefined();
      }
      // Duplicates, once connected, say so.
      expect((await chain.processBlocks(blocks.slice(0, 2))).map((r) => r.status)).toEqual([
        'duplicate',
        'duplicate',
      ]);
    }
  });

  it('keeps the blocks before a bad signature, refuses it without condemning its hash, and takes the honest branch', async () => {
    const { blocks, builder } = await buildBlocks(8);
    const run = (await buildBlocks(8, { badSignatureAt: 4 })).blocks;
    expect(run.slice(0, 4).map(blockHashHex)).toEqual(blocks.slice(0, 4).map(blockHashHex));
    const { chain, store, dir } = await testChain({ verifySignatures: slowVerifier });
    const results = await chain.processBlocks(run);
    expect(results.slice(0, 4).map((r) => r.status)).toEqual([
      'connected',
      'connected',
      'connected',
      'connected',
    ]);
    expect([results[4]!.status, results[4]!.error?.code, results[4]!.error?.malleated]).toEqual([
      'invalid',
      'bad-signature',
      true,
    ]);
    for (const r of results.slice(5))
      expect([r.status, r.error?.code]).toEqual(['invalid', 'bad-prev-block']);
    expect(chain.tip.hashHex).toBe(blockHashHex(blocks[3]!));
    expect(chain.hasBlock(blockHashHex(run[4]!))).toBe(false);
    // What was acknowledged is on disk.
    await store.close();
    const reopened = await openStore(dir);
    const again = await Chain.open({ store: reopened, params: chain.params, now: () => 2 ** 31 });
    expect(again.tip.hashHex).toBe(blockHashHex(blocks[3]!));
    const rest = await again.processBlocks(blocks.slice(4));
    expect(rest.map((r) => r.status)).toEqual(['connected', 'connected', 'connected', 'connected']);
    expect(again.tip.hashHex).toBe(builder.tip.hashHex);
    await reopened.close();
  });

  it('names the earliest broken block even when a later one fails first, and judges nothing built on it', async () => {
    const { blocks } = await buildBlocks(4, { badSignatureAt: 2 });
    const { chain } = await testChain({ verifySignatures: slowVerifier });
    // On top of blocks[3]: a block spending a coin that never existed (fails at once, no signature wait).
    const scratch = await testChain({ verifySignatures: acceptAnySignature });
    for (const b of blocks) await scratch.chain.processBlock(b);
    const ghost = spend(
      alice,
      [{ txid: new Uint8Array(32).fill(9), index: 0, amount: COIN }],
      [{ address: bob.address, amount: COIN }],
    );
    const last = makeBlock(scratch.chain, { txs: [{ tx: ghost, fee: 0n }] });
    const results = await chain.processBlocks([...blocks, last]);
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['connected', undefined],
      ['connected', undefined],
      ['invalid', 'bad-signature'],
      ['invalid', 'bad-prev-block'],
      ['invalid', 'bad-prev-block'],
    ]);
    expect(chain.height).toBe(2);
    // Built on a block that failed as malleated, `last` was refused, not judged.
    expect(chain.hasBlock(blockHashHex(last))).toBe(false);
  });

  it('hands what does not extend the tip to the one-block path: orphans, side blocks, garbage', async () => {
    const { blocks } = await buildBlocks(5);
    const { chain } = await testChain();
    const garbage = new Uint8Array([1, 2, 3]);
    const results = await chain.processBlocks([
      blocks[1]!,
      blocks[0]!,
      garbage,
      blocks[2]!,
      blocks[3]!,
      blocks[4]!,
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'orphan',
      'connected',
      'invalid',
      'connected',
      'connected',
      'connected',
    ]);
    expect(chain.height).toBe(5);
    // blocks[1] came before its parent: connected with it, as an orphan is.
    expect(chain.isActive(chain.getEntry(blockHashHex(blocks[1]!)) as ChainEntry)).toBe(true);
  });

  it('connects a long list in several runs, checking the next run while the last one verifies', async () => {
    const { blocks, builder } = await buildBlocks(150);
    const { chain } = await testChain({ verifySignatures: slowVerifier });
    const results = await chain.processBlocks(blocks);
    expect(results.filter((r) => r.status === 'connected')).toHaveLength(150);
    expect(chain.tip.hashHex).toBe(builder.tip.hashHex);

    // A list with a broken signature in the second run: the first 100 stay, the rest does not.
    const again = await testChain({ verifySignatures: slowVerifier });
    const list = (await buildBlocks(150, { badSignatureAt: 100 })).blocks;
    const r = await again.chain.processBlocks(list);
    expect(r.slice(0, 100).every((x) => x.status === 'connected')).toBe(true);
    expect([r[100]!.status, r[100]!.error?.code]).toEqual(['invalid', 'bad-signature']);
    // Built on the failed block: refused in its run, held as orphans after it (as one by one).
    expect(new Set(r.slice(101).map((x) => x.status))).toEqual(new Set(['invalid', 'orphan']));
    expect(again.chain.tip.hashHex).toBe(blockHashHex(blocks[99]!));
    // The honest branch connects afterwards.
    const rest = await again.chain.processBlocks(blocks.slice(100));
    expect(rest.every((x) => x.status === 'connected')).toBe(true);
    expect(again.chain.tip.hashHex).toBe(builder.tip.hashHex);
  }, 60_000);
});
