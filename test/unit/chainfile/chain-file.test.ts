// The chain file format (docs/protocol.md, "Chain files"): what the writer writes the reader gives
// back, in any chunking, and each kind of damage is refused with its own code.
import { describe, expect, it } from 'vitest';
import {
  CHAIN_FILE_MAGIC,
  ChainFileError,
  type ChainFileErrorCode,
  ChainFileReader,
  chainFileChunks,
  verifyChainFile,
} from '../../../src/chainfile/index.js';
import { blockHash, decodeBlock, encodeBlock } from '../../../src/core/block.js';
import { concatBytes, toHex } from '../../../src/core/bytes.js';
import { genesisBlock } from '../../../src/core/genesis.js';
import { NETWORKS } from '../../../src/core/params.js';
import { BURN_ADDRESS, buildBlock } from '../../support/p2p-blocks.js';

const regtest = NETWORKS.regtest;
const genesis = genesisBlock(regtest);
const GENESIS_HASH = blockHash(genesis);

/** Genesis and `n` blocks on it, as bytes. */
function chainBytes(n: number): Uint8Array[] {
  const out = [encodeBlock(genesis)];
  let parent = toHex(GENESIS_HASH);
  for (let h = 1; h <= n; h++) {
    const b = buildBlock({
      parentHash: parent,
      height: h,
      time: regtest.genesis.time + 10 * h,
      minerAddress: BURN_ADDRESS,
    });
    out.push(b.bytes);
    parent = b.hash;
  }
  return out;
}

const BLOCKS = chainBytes(6);
const header = (over: Partial<{ network: string; fromHeight: number; count: number }> = {}) => ({
  network: 'regtest',
  genesisHash: GENESIS_HASH,
  fromHeight: 0,
  count: BLOCKS.length,
  ...over,
});

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return concatBytes(...parts);
}

const FILE = await collect(chainFileChunks(header(), BLOCKS));

/** The file's bytes as a stream of chunks of `size` bytes. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function refusal(bytes: Uint8Array): Promise<ChainFileError> {
  try {
    await verifyChainFile(chunked(bytes, 4096));
  } catch (e) {
    if (e instanceof ChainFileError) return e;
    throw e;
  }
  throw new Error('the file was accepted');
}

const expectRefused = async (bytes: Uint8Array, code: ChainFileErrorCode) =>
  expect((await refusal(bytes)).code).toBe(code);

/** Offset of the first block record (after the header) and of each record after it. */
function recordOffsets(): number[] {
  const offsets: number[] = [];
  let at = 13 + 'regtest'.length + 40;
  for (const b of BLOCKS) {
    offsets.push(at);
    at += 4 + b.length;
  }
  return offsets;
}

describe('chain file format', () => {
  it('gives back the blocks it was written with, whatever the chunking', async () => {
    expect(FILE.subarray(0, 8)).toEqual(CHAIN_FILE_MAGIC);
    for (const size of [1, 7, 80, 1 << 16]) {
      const reader = await ChainFileReader.open(chunked(FILE, size));
      expect(reader.header).toMatchObject({
        version: 1,
        network: 'regtest',
        fromHeight: 0,
        count: BLOCKS.length,
      });
      const read: Uint8Array[] = [];
      const heights: number[] = [];
      for await (const b of reader.blocks()) {
        read.push(b.bytes.slice());
        heights.push(b.height);
      }
      expect(read).toEqual(BLOCKS);
      expect(heights).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(reader.bytesRead).toBe(FILE.length);
    }
    const summary = await verifyChainFile(chunked(FILE, 100));
    expect(toHex(summary.parentHash)).toBe('00'.repeat(32));
    expect(summary.bytes).toBe(FILE.length);
  });

  it('writes a range that starts above genesis, and the reader reports its parent', async () => {
    const file = await collect(chainFileChunks(header({ fromHeight: 3, count: 4 }), BLOCKS.slice(3)));
    const summary = await verifyChainFile(chunked(file, 50));
    expect(summary.header).toMatchObject({ fromHeight: 3, count: 4 });
    expect(summary.parentHash).toEqual(blockHash(decodeBlock(BLOCKS[2]!)));
    // A bare block is no chain file.
    await expect(ChainFileReader.open(chunked(BLOCKS[3]!, 1000))).rejects.toMatchObject({
      code: 'not-a-chain-file',
    });
  });

  it('streams: the reader hands out a block having pulled little more than it, the writer pulls blocks as it is read', async () => {
    let pulled = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunked(FILE, 64)) {
        pulled += chunk.length;
        yield chunk;
      }
    }
    const reader = await ChainFileReader.open(counted());
    const blocks = reader.blocks();
    const first = await blocks.next();
    expect(first.done).toBe(false);
    expect(pulled).toBeLessThan(recordOffsets()[1]! + 64);
    await blocks.return(undefined);

    let given = 0;
    function* source(): Generator<Uint8Array> {
      for (const b of BLOCKS) {
        given++;
        yield b;
      }
    }
    const chunks = chainFileChunks(header(), source());
    for (let i = 0; i < 3; i++) await chunks.next(); // the header, then block 0's length and bytes
    expect(given).toBe(1);
    await chunks.return(undefined);
  });

  it('refuses a file that is not a chain file, or of another version', async () => {
    await expectRefused(new TextEncoder().encode('{"chain": []}'.padEnd(200, ' ')), 'not-a-chain-file');
    const v2 = FILE.slice();
    v2[8] = 2;
    await expectRefused(v2, 'unsupported-version');
  });

  it('refuses a header with an impossible name or count', async () => {
    const noName = FILE.slice();
    noName[12] = 0;
    await expectRefused(noName, 'bad-header');
    const badName = FILE.slice();
    badName[13] = 'R'.charCodeAt(0);
    await expectRefused(badName, 'bad-header');
    const zero = await collect(chainFileChunks(header(), BLOCKS)).then((f) => {
      const copy = f.slice();
      new DataView(copy.buffer).setUint32(13 + 7 + 36, 0, true);
      return copy;
    });
    await expectRefused(zero, 'bad-header');
  });

  it('refuses a record length outside the bounds of a block', async () => {
    for (const length of [0, 80, 1_000_001, 0xffffffff]) {
      const copy = FILE.slice();
      new DataView(copy.buffer).setUint32(recordOffsets()[2]!, length, true);
      const e = await refusal(copy);
      expect(e.code).toBe('bad-length');
      expect(e.message).toContain('height 2');
    }
  });

  it('refuses a file cut short at any byte, naming where', async () => {
    for (let cut = 0; cut < FILE.length; cut += cut < 200 ? 1 : 13) {
      const e = await refusal(FILE.subarray(0, cut));
      expect(e.code, `cut at ${cut}`).toBe('truncated');
    }
    expect((await refusal(FILE.subarray(0, FILE.length - 1))).message).toContain('the checksum');
  });

  it('refuses a changed byte in a block body or in the checksum with bad-checksum', async () => {
    // The last byte of block 4 is in its coinbase's output address: the block still decodes and links.
    const body = FILE.slice();
    body[recordOffsets()[5]! - 1]! ^= 1;
    await expectRefused(body, 'bad-checksum');
    const sum = FILE.slice();
    sum[sum.length - 1]! ^= 0x80;
    await expectRefused(sum, 'bad-checksum');
  });

  it('refuses blocks out of order, a body that does not decode, and bytes after the checksum', async () => {
    const offsets = recordOffsets();
    const swapped = concatBytes(
      FILE.subarray(0, offsets[2]!),
      FILE.subarray(offsets[3]!, offsets[4]!),
      FILE.subarray(offsets[2]!, offsets[3]!),
      FILE.subarray(offsets[4]!),
    );
    await expectRefused(swapped, 'broken-link');
    const garbled = FILE.slice();
    garbled.fill(0xff, offsets[2]! + 4 + 80, offsets[2]! + 4 + 90);
    await expectRefused(garbled, 'bad-block');
    await expectRefused(concatBytes(FILE, new Uint8Array([0])), 'trailing-data');
  });

  it('refuses a file from genesis whose first block is not the genesis it names', async () => {
    const other = await collect(
      chainFileChunks({ ...header(), genesisHash: blockHash(genesisBlock(NETWORKS.dev)) }, BLOCKS),
    );
    await expectRefused(other, 'bad-block');
  });

  it('the writer ends the stream without a checksum when the blocks do not match the count', async () => {
    await expect(collect(chainFileChunks(header({ count: 8 }), BLOCKS))).rejects.toMatchObject({
      code: 'truncated',
    });
    await expect(collect(chainFileChunks(header({ count: 3 }), BLOCKS))).rejects.toMatchObject({
      code: 'trailing-data',
    });
  });
});
