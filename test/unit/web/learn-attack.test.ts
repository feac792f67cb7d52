// Step 11's helpers: the in-browser chain validates with the node's code and follows most work; a
// miner with more hash power double-spends a confirmed payment, one with little gives up and loses
// her rewards; the catch-up probability matches the Bitcoin paper's table.
import { describe, expect, it } from 'vitest';
import { blockSubsidy, NETWORKS } from '../../../src/core/params.js';
import { catchUpProbability, runAttack } from '../../../web/src/learn/lib/attack.js';
import { SimChain } from '../../../web/src/learn/lib/sim-chain.js';

const params = NETWORKS.regtest;
const miner = new Uint8Array(20).fill(3);

describe('SimChain', () => {
  it('follows the published branch with most work, the first seen on a tie', () => {
    const chain = new SimChain(params);
    const a = chain.mine(chain.genesis.hash, [], miner, { published: true, label: 'a' });
    const b = chain.mine(chain.genesis.hash, [], miner, { published: false, label: 'b' });
    if (!a.ok || !b.ok) throw new Error('blocks refused');
    expect(chain.tip().hash).toBe(a.entry.hash);
    chain.publish(b.entry.hash);
    expect(chain.tip().hash).toBe(a.entry.hash);
    const b2 = chain.mine(b.entry.hash, [], miner, { published: true, label: 'b2' });
    if (!b2.ok) throw new Error('block refused');
    expect(chain.tip().hash).toBe(b2.entry.hash);
    expect(chain.branch(b2.entry.hash).map((e) => e.height)).toEqual([0, 1, 2]);
  });
});

describe('the double-spend attack', () => {
  it('succeeds for a majority miner: the confirmed payment is replaced and refused (missing-inputs)', () => {
    const run = runAttack(params, { share: 0.7, confirmations: 2, seed: 1 });
    expect(run.outcome).toBe('double-spent');
    const tip = run.chain.tip();
    expect(run.chain.confirmations(run.conflict, tip.hash)).toBeGreaterThan(0);
    expect(run.chain.confirmations(run.payment, tip.hash)).toBe(0);
    expect(run.paymentCode).toBe('missing-inputs');
    expect(run.reorg!.disconnected).toBeGreaterThanOrEqual(2);
    expect(run.reorg!.connected).toBeGreaterThan(run.reorg!.disconnected);
    // The merchant had shipped: the payment had its confirmations before the reorganisation.
    const shippedAt = run.events.findIndex((e) => e.shipped);
    expect(shippedAt).toBeGreaterThanOrEqual(0);
    expect(run.forfeited).toBe(0n);
  });

  it('fails for a small miner, who forfeits the rewards of her private blocks', () => {
    const run = runAttack(params, { share: 0.1, confirmations: 3, seed: 1 });
    expect(run.outcome).toBe('gave-up');
    expect(run.paymentCode).toBeUndefined();
    expect(run.chain.confirmations(run.payment)).toBeGreaterThanOrEqual(3);
    let expected = 0n;
    for (let h = run.fork.height + 1; h <= run.fork.height + run.privateBlocks; h++)
      expected += blockSubsidy(params, h);
    expect(run.forfeited).toBe(expected);
  });

  it('is reproducible from its seed, and bounded', () => {
    const a = runAttack(params, { share: 0.45, confirmations: 3, seed: 9, maxBlocks: 40 });
    const b = runAttack(params, { share: 0.45, confirmations: 3, seed: 9, maxBlocks: 40 });
    expect(b.events).toEqual(a.events);
    expect(a.events.length).toBeLessThanOrEqual(40);
  });
});

describe('catch-up probability', () => {
  it('matches the table of the Bitcoin paper', () => {
    expect(catchUpProbability(0.1, 0)).toBeCloseTo(1, 6);
    expect(catchUpProbability(0.1, 1)).toBeCloseTo(0.2045873, 6);
    expect(catchUpProbability(0.1, 5)).toBeCloseTo(0.0009137, 6);
    expect(catchUpProbability(0.3, 5)).toBeCloseTo(0.1773523, 6);
    expect(catchUpProbability(0.3, 10)).toBeCloseTo(0.0416605, 6);
    expect(catchUpProbability(0.5, 10)).toBe(1);
  });
});
