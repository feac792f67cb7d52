// The end of the block subsidy on a real node: from regtest height 4950 (33 halvings of 150 blocks) the
// subsidy is zero and a block without fees has a coinbase paying 0. Consensus allows a zero-value coinbase
// output for this; before it did, every such block broke the `bad-amount` rule and the miner stalled the
// chain for good (5 seconds of regtest mining away; on dev, about 8 days of 10 s blocks).
import { describe, expect, it } from 'vitest';
import { blockSubsidy, NETWORKS } from '../../src/core/params.js';
import {
  cleanupNodesAfterAll,
  getJson,
  type NodeProcess,
  startNode,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';

cleanupNodesAfterAll();

const LAST_PAID_HEIGHT = 4949;

describe('the end of the block subsidy (regtest)', () => {
  let node: NodeProcess;

  it('the subsidy is zero from height 4950', () => {
    expect(blockSubsidy(NETWORKS.regtest, LAST_PAID_HEIGHT)).toBe(1n);
    expect(blockSubsidy(NETWORKS.regtest, LAST_PAID_HEIGHT + 1)).toBe(0n);
  });

  it('a mining node reaches the last paid height', { timeout: 240_000 }, async () => {
    node = await startNode({ args: ['--mine', '--threads', '1'] });
    await waitForHeight(node.url, LAST_PAID_HEIGHT, 200_000);
  });

  it('keeps mining blocks after the subsidy ends', { timeout: 60_000 }, async () => {
    // Either the chain moves past the end of the subsidy, or the node logs that it rejected its own block
    // (then fail at once rather than wait).
    await waitFor(
      async () =>
        (await getJson(node.url, '/api/v1/status')).height >= LAST_PAID_HEIGHT + 2 ||
        /rejected block.*amount 0/.test(node.logs()),
      'the chain to move on or the miner to fail',
      { timeoutMs: 30_000 },
    );
    const status = await getJson(node.url, '/api/v1/status');
    expect(node.logs()).not.toMatch(/rejected block/);
    expect(status.height).toBeGreaterThanOrEqual(LAST_PAID_HEIGHT + 2);
    const unpaid = await getJson(node.url, `/api/v1/blocks/${LAST_PAID_HEIGHT + 1}`);
    expect(unpaid.reward).toBe('0');
    expect((await node.stop()).code).toBe(0);
  });
});
