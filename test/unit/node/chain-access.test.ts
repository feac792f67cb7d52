// How the chain's verdicts reach the network layer: low-work as its own status, `tip` for a block on
// the active chain, the sending peer passed down, and a downloaded run checked as a header chain.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyOnMainThread } from '../../../src/chain/chain.js';
import { type Block, encodeBlock } from '../../../src/core/block.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import { chainAccess } from '../../../src/node/chain-access.js';
import { makeBlock, openTestChain, regtest, testKey } from '../../support/chain-fixture.js';

type Fixture = Awaited<ReturnType<typeof openTestChain>>;
const open: Fixture[] = [];
afterEach(async () => {
  for (const fx of open.splice(0)) await fx.close();
});

async function chainAt(height: number, miner: number) {
  const fx = await openTestChain(regtest);
  open.push(fx);
  const blocks: Block[] = [];
  for (let i = 0; i < height; i++) {
    const b = makeBlock(fx.chain, { miner: testKey(miner).address });
    await fx.chain.processBlock(b);
    blocks.push(b);
  }
  const mempool = new Mempool({ chain: fx.chain, store: fx.store, verifySignatures: verifyOnMainThread });
  return { ...fx, blocks, access: chainAccess(fx.chain, mempool) };
}

describe('chainAccess', () => {
  it('says low-work for a side block below the window, accepted with tip for one that extends it', async () => {
    const node = await chainAt(20, 1);
    const side = makeBlock(node.chain, { parent: node.chain.entryAtHeight(2)!, extraNonce: 5n });
    expect(await node.access.submitBlock(encodeBlock(side), 'peer-a')).toEqual({ status: 'low-work' });
    const race = makeBlock(node.chain, { parent: node.chain.entryAtHeight(19)!, extraNonce: 5n });
    expect(await node.access.submitBlock(encodeBlock(race), 'peer-a')).toEqual({
      status: 'accepted',
      tip: false,
    });
    const next = makeBlock(node.chain);
    expect(await node.access.submitBlock(encodeBlock(next), 'peer-a')).toEqual({
      status: 'accepted',
      tip: true,
    });
  });

  it('passes the sending peer down to the orphan pool', async () => {
    const node = await chainAt(2, 1);
    const other = await chainAt(4, 2);
    const r = await node.access.submitBlock(encodeBlock(other.blocks[3]!), 'peer-b');
    expect(r.status).toBe('orphan');
    expect(node.chain.orphanBlocks().map((o) => o.peer)).toEqual(['peer-b']);
  });

  it('keeps a downloaded run that forks below the window when it reaches more work than the tip', async () => {
    const node = await chainAt(20, 1);
    const heavier = await chainAt(25, 2);
    const results = await node.access.submitBlocks(heavier.blocks.map(encodeBlock), 'peer-c');
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(node.chain.tip.hashHex).toBe(heavier.chain.tip.hashHex);
    // A run that does not reach the tip's work is not kept.
    const lighter = await chainAt(10, 3);
    const refused = await node.access.submitBlocks(lighter.blocks.map(encodeBlock), 'peer-d');
    expect(refused[0]).toEqual({ status: 'low-work' });
  });
});
