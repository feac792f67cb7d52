import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockHash,
  blockHashHex,
  computeMerkleRoot,
  createCoinbase,
  decodeBlock,
  encodeBlock,
  encodeHeader,
  encodeTx,
  headerHash,
  merkleRoot,
  toHex,
  txid,
} from '../../../src/core/index.js';
import { arbBlock, codeOf } from './helpers.js';

const coinbase = createCoinbase({
  height: 1,
  outputs: [{ amount: 50n, address: new Uint8Array(20) }],
  txs: [],
});
const sample: Block = {
  header: {
    version: 1,
    prevHash: new Uint8Array(32),
    merkleRoot: computeMerkleRoot([coinbase]),
    time: 1,
    bits: 0x207fffff,
    nonce: 0,
  },
  txs: [coinbase],
};

describe('block encoding', () => {
  it('is header | tx count | transactions', () => {
    expect(toHex(encodeBlock(sample))).toBe(
      `${toHex(encodeHeader(sample.header))}01${toHex(encodeTx(coinbase))}`,
    );
  });

  it('round-trips any block', () => {
    fc.assert(
      fc.property(arbBlock, (block) => {
        const bytes = encodeBlock(block);
        const back = decodeBlock(bytes);
        expect(back).toEqual(block);
        expect(toHex(encodeBlock(back))).toBe(toHex(bytes));
      }),
      { numRuns: 50 },
    );
  });

  it('rejects every truncation and trailing bytes as bad-encoding', () => {
    const bytes = encodeBlock(sample);
    for (let len = 0; len < bytes.length; len++) {
      expect(codeOf(() => decodeBlock(bytes.subarray(0, len)))).toBe('bad-encoding');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => decodeBlock(longer))).toBe('bad-encoding');
  });

  it('hashes its header', () => {
    expect(toHex(blockHash(sample))).toBe(toHex(headerHash(sample.header)));
    expect(blockHashHex(sample)).toBe(toHex(headerHash(sample.header)));
  });

  it('commits to its transactions through the Merkle root of their txids', () => {
    const other = createCoinbase({
      height: 2,
      outputs: [{ amount: 1n, address: new Uint8Array(20) }],
      txs: [],
    });
    expect(toHex(computeMerkleRoot([coinbase, other]))).toBe(
      toHex(merkleRoot([txid(coinbase), txid(other)])),
    );
  });
});
