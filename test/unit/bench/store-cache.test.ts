// The browser bench's mined blocks are cached as one file: read back, they must be the same blocks.
import { describe, expect, it } from 'vitest';
import { joinBlocks, splitBlocks } from '../../../bench/lib/store-cache.js';

describe('cached block files', () => {
  it('give back each block whole and in order, an empty one included', () => {
    const blocks = [Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(300).fill(7)];
    const back = splitBlocks(joinBlocks(blocks));
    expect(back).toEqual(blocks);
    // Copies, not views into the file's buffer (IndexedDB would store a view's whole buffer).
    expect(back.every((b) => b.byteOffset === 0 && b.buffer.byteLength === b.length)).toBe(true);
  });
});
