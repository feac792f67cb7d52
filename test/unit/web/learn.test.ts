import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/bytes.js';
import { sha256 } from '../../../src/core/hash.js';
import {
  GENESIS_PREVIOUS,
  hashText,
  linkChain,
  majorityTip,
  meetsDifficulty,
  searchNonce,
  toyBlockHash,
} from '../../../web/src/lib/learn.js';
import { LEARN_DIFFICULTY, PRESET_BLOCK, PRESET_CHAIN } from '../../../web/src/lib/learn-presets.js';

describe('learn page toy chain', () => {
  it('hashes text with the node SHA-256', () => {
    expect(hashText('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashText('Hashline')).toBe(toHex(sha256(new TextEncoder().encode('Hashline'))));
  });

  it('starts from presets that are really mined', () => {
    const block = { ...PRESET_BLOCK, previous: GENESIS_PREVIOUS };
    expect(meetsDifficulty(toyBlockHash(block), LEARN_DIFFICULTY)).toBe(true);
    const chain = linkChain(PRESET_CHAIN, LEARN_DIFFICULTY);
    expect(chain.map((b) => b.valid)).toEqual([true, true, true, true, true]);
    expect(chain[0]!.previous).toBe(GENESIS_PREVIOUS);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.previous).toBe(chain[i - 1]!.hash);
  });

  it('turns the edited block and every later one invalid, until re-mined', () => {
    const edited = PRESET_CHAIN.map((b, i) => (i === 2 ? { ...b, data: 'Bob pays Carol 400' } : b));
    const chain = linkChain(edited, LEARN_DIFFICULTY);
    expect(chain.map((b) => b.valid)).toEqual([true, true, false, false, false]);

    // Re-mine from the edited block on, as a person would, block by block.
    let blocks = edited;
    for (let i = 2; i < blocks.length; i++) {
      const view = linkChain(blocks, 2)[i]!;
      const nonce = searchNonce(view, 2, 0, 100_000);
      expect(nonce).not.toBeNull();
      blocks = blocks.map((b, j) => (j === i ? { ...b, nonce: nonce! } : b));
    }
    expect(linkChain(blocks, 2).every((b) => b.valid)).toBe(true);
  });

  it('finds a nonce only when one exists in the range', () => {
    const block = { number: 1, nonce: 0, data: 'x', previous: GENESIS_PREVIOUS };
    const nonce = searchNonce(block, 1, 0, 1000)!;
    expect(toyBlockHash({ ...block, nonce }).startsWith('0')).toBe(true);
    for (let n = 0; n < nonce; n++) expect(toyBlockHash({ ...block, nonce: n }).startsWith('0')).toBe(false);
    expect(searchNonce(block, 1, 0, nonce)).toBeNull();
  });

  it('picks the tip held by a strict majority', () => {
    expect(majorityTip(['a', 'a', 'b'])).toBe('a');
    expect(majorityTip(['a', 'b', 'c'])).toBeNull();
    expect(majorityTip(['a', 'b'])).toBeNull();
    expect(majorityTip(['z'])).toBe('z');
  });
});
