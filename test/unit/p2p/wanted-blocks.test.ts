// The download's list of wanted blocks: what the chain has is not wanted, nothing is wanted twice, and
// compaction forgets only what was handed to the chain.
import { describe, expect, it } from 'vitest';
import { WantedBlocks } from '../../../src/p2p/wanted-blocks.js';

const lacks = (have: string[]) => (hash: string) => !have.includes(hash);

describe('WantedBlocks', () => {
  it('wants what the chain lacks, once, in order, and keeps positions through a compaction', () => {
    const wanted = new WantedBlocks();
    wanted.reset(['a', 'b', 'c', 'd'], lacks(['a']));
    expect([wanted.at(0), wanted.length, wanted.remaining]).toEqual(['b', 3, 3]);
    wanted.front = 2; // b and c went to the chain
    wanted.append(['c', 'd', 'e', 'f'], lacks(['a', 'b', 'c']));
    expect([wanted.length, wanted.remaining, wanted.positionOf('e')]).toEqual([5, 3, 3]);
    wanted.compact();
    expect([wanted.front, wanted.length, wanted.remaining]).toEqual([0, 3, 3]);
    expect(['d', 'e', 'f', 'b'].map((h) => wanted.positionOf(h))).toEqual([0, 1, 2, undefined]);
    expect(wanted.at(wanted.front)).toBe('d');
  });
});
