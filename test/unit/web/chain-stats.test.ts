import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/bytes.js';
import { merkleProof, merkleRoot } from '../../../src/core/merkle.js';
import { workForBits } from '../../../src/core/pow.js';
import { average, chainSeries } from '../../../web/src/lib/chain-stats.js';
import { replayMerkleProof } from '../../../web/src/lib/merkle-path.js';

describe('chainSeries', () => {
  const bits = 0x207fffff;
  const blocks = [0, 10, 30, 30, 70].map((t, i) => ({ height: i + 1, time: 1000 + t, bits, difficulty: 1 }));

  it('gives block times between consecutive blocks', () => {
    expect(chainSeries(blocks).blockTime).toEqual([
      { height: 2, value: 10 },
      { height: 3, value: 20 },
      { height: 4, value: 0 },
      { height: 5, value: 40 },
    ]);
  });

  it('leaves out the interval after genesis, whose time is fixed in the code', () => {
    const withGenesis = [{ height: 0, time: 0, bits, difficulty: 1 }, ...blocks];
    expect(chainSeries(withGenesis).blockTime).toEqual(chainSeries(blocks).blockTime);
    expect(chainSeries(withGenesis).hashRate).toEqual(chainSeries(blocks).hashRate);
  });

  it('estimates hash rate as window work over window time', () => {
    const work = Number(workForBits(bits));
    const rate = chainSeries(blocks, 2).hashRate;
    // height 2: 1 block of work in 10 s; height 4: 2 blocks over 20 s (heights 3..4); height 5: 2 over 40 s.
    expect(rate[0]).toEqual({ height: 2, value: work / 10 });
    expect(rate.find((p) => p.height === 4)).toEqual({ height: 4, value: (2 * work) / 20 });
    expect(rate.find((p) => p.height === 5)).toEqual({ height: 5, value: (2 * work) / 40 });
  });

  it('copes with no blocks and string difficulty', () => {
    expect(chainSeries([])).toEqual({ difficulty: [], blockTime: [], hashRate: [] });
    expect(chainSeries([{ height: 0, time: 1, bits: '207fffff', difficulty: '4.5' }]).difficulty).toEqual([
      { height: 0, value: 4.5 },
    ]);
    expect(average([])).toBeNaN();
    expect(average([1, 2, 3])).toBe(2);
  });
});

describe('replayMerkleProof', () => {
  it('ends at the root core computes, for every leaf', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => fromHex(String(i).repeat(64)));
    const root = toHex(merkleRoot(leaves));
    for (let i = 0; i < leaves.length; i++) {
      const steps = merkleProof(leaves, i).map((s) => ({ hash: toHex(s.hash), side: s.side }));
      const replay = replayMerkleProof(toHex(leaves[i]!), steps);
      expect(replay.root).toBe(root);
      expect(replay.steps.at(-1)!.result).toBe(root);
    }
  });

  it('does not reach the root with a wrong side', () => {
    const leaves = [fromHex('aa'.repeat(32)), fromHex('bb'.repeat(32))];
    const steps = merkleProof(leaves, 0).map((s) => ({ hash: toHex(s.hash), side: 'left' as const }));
    expect(replayMerkleProof(toHex(leaves[0]!), steps).root).not.toBe(toHex(merkleRoot(leaves)));
  });

  it('returns the txid itself for a single-transaction block', () => {
    const txid = 'cd'.repeat(32);
    expect(replayMerkleProof(txid, [])).toEqual({ steps: [], root: txid });
  });
});
