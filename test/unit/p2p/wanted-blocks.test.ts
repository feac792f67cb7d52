// The download's list of wanted blocks: what the chain has is not wanted, nothing is wanted twice, and
// compaction forgets only what was handed to the chain.
import { describe, expect, it } from 'vitest';
import { WantedBlocks } from '../../../src/p2p/wanted-blocks.js';

const lacks = (have: string[]) => (hash: string) => !have.includes(hash);

describe('WantedBlocks', () => {
  it('wants what the chain lacks, once, in order; a compaction keeps positions and what is asked to be kept', () => {
    const wanted = new WantedBlocks();
    wanted.reset(['a', 'b', 'c', 'd'], lacks(['a']));
    expect([wanted.at(0), wanted.end, wanted.remaining]).toEqual(['b', 3, 3]);
    wanted.front = 2; // b and c went to the chain
    wanted.append(['c', 'd', 'e', 'f'], lacks(['a', 'b', 'c']));
    expect([wanted.end, wanted.remaining, wanted.positionOf('e')]).toEqual([5, 3, 3]);
    // c's run is still with the chain: kept.
    wanted.compact(1);
    expect([wanted.positionOf('b'), wanted.positionOf('c'), wanted.at(1)]).toEqual([undefined, 1, 'c']);
    wanted.compact();
    expect([wanted.front, wanted.end, wanted.remaining]).toEqual([2, 5, 3]);
    expect(['c', 'd', 'e', 'f'].map((h) => wanted.positionOf(h))).toEqual([undefined, 2, 3, 4]);
    expect([wanted.at(1), wanted.at(wanted.front)]).toEqual([undefined, 'd']);
    // Never past the front.
    wanted.compact(10);
    expect([wanted.at(2), wanted.remaining]).toEqual(['d', 3]);
  });
});
