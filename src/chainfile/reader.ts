// Reads a chain file as a stream of chunks (a file's read stream, an HTTP body), one block at a time:
// memory holds one block, whatever the file's length. Every block is decoded and linked to the one
// before it; the checksum and the end of the file are checked after the last block, so a caller that
// must not act on a bad file reads it through once (verifyChainFile) before using its blocks.
import { createHash, type Hash } from 'node:crypto';
import { blockHash, decodeBlock } from '../core/block.js';
import { equalBytes, toHex } from '../core/bytes.js';
import {
  CHECKSUM_SIZE,
  ChainFileError,
  type ChainFileHeader,
  checkRecordLength,
  decodeHeaderPrefix,
  decodeHeaderRest,
  HEADER_PREFIX_SIZE,
  HEADER_SUFFIX_SIZE,
  lastHeightOf,
} from './format.js';

export interface ChainFileBlock {
  readonly height: number;
  readonly hash: Uint8Array;
  readonly prevHash: Uint8Array;
  /** The block's serialized bytes, exactly as the file holds them. */
  readonly bytes: Uint8Array;
}

/** Exact-length reads over a stream of chunks, hashing every byte it hands out. */
class ExactReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private buffer: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly hash: Hash = createHash('sha256');
  /** Bytes handed out so far: the offset of the next read in the file. */
  offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** Exactly `n` bytes, or a `truncated` error naming `what` was being read. */
  async read(n: number, what: string, hashed = true): Promise<Uint8Array> {
    let out: Uint8Array;
    if (this.buffer.length - this.at >= n) {
      out = this.buffer.subarray(this.at, this.at + n);
      this.at += n;
    } else {
      out = new Uint8Array(n);
      let filled = this.buffer.length - this.at;
      out.set(this.buffer.subarray(this.at), 0);
      this.buffer = new Uint8Array(0);
      this.at = 0;
      while (filled < n) {
        const next = await this.chunks.next();
        if (next.done)
          throw new ChainFileError(
            'truncated',
            `the file ends at byte ${this.offset + filled}, inside ${what} (${n - filled} of its ${n} bytes missing)`,
          );
        const chunk = next.value;
        const take = Math.min(chunk.length, n - filled);
        out.set(chunk.subarray(0, take), filled);
        filled += take;
        if (take < chunk.length) {
          this.buffer = chunk;
          this.at = take;
        }
      }
    }
    if (hashed) this.hash.update(out);
    this.offset += n;
    return out;
  }

  /** SHA-256 of every hashed byte so far (call once). */
  digest(): Uint8Array {
    return new Uint8Array(this.hash.digest());
  }

  /** True when no byte follows. */
  async atEnd(): Promise<boolean> {
    while (this.buffer.length - this.at === 0) {
      const next = await this.chunks.next();
      if (next.done) return true;
      this.buffer = next.value;
      this.at = 0;
    }
    return false;
  }
}

export class ChainFileReader {
  private consumed = false;

  private constructor(
    private readonly input: ExactReader,
    readonly header: ChainFileHeader,
  ) {}

  /** Bytes read so far (the whole file's size once `blocks()` has finished). */
  get bytesRead(): number {
    return this.input.offset;
  }

  /** Reads and checks the header (magic, version, network name, genesis hash, range). */
  static async open(source: AsyncIterable<Uint8Array>): Promise<ChainFileReader> {
    const input = new ExactReader(source);
    const prefix = await input.read(HEADER_PREFIX_SIZE, 'the header');
    const nameLength = decodeHeaderPrefix(prefix);
    const name = await input.read(nameLength, 'the header');
    const suffix = await input.read(HEADER_SUFFIX_SIZE, 'the header');
    return new ChainFileReader(input, decodeHeaderRest(name, suffix));
  }

  /**
   * The blocks in order. Each is decoded (`bad-block`) and must extend the one before (`broken-link`);
   * a block at height 0 must be the header's genesis. After the last block the checksum (`bad-checksum`)
   * and the end of the file (`trailing-data`) are checked: the generator throws there, after having
   * yielded every block, so act on blocks only from a file already read through once.
   */
  async *blocks(): AsyncGenerator<ChainFileBlock> {
    if (this.consumed) throw new Error('a chain file reader reads its blocks once');
    this.consumed = true;
    const { header, input } = this;
    let previous: Uint8Array | undefined;
    for (let height = header.fromHeight; height <= lastHeightOf(header); height++) {
      const lengthBytes = await input.read(4, `the length of the block at height ${height}`);
      const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0, true);
      checkRecordLength(length, height);
      const bytes = await input.read(length, `the block at height ${height}`);
      let hash: Uint8Array;
      let prevHash: Uint8Array;
      try {
        const block = decodeBlock(bytes);
        hash = blockHash(block);
        prevHash = block.header.prevHash;
      } catch (e) {
        throw new ChainFileError(
          'bad-block',
          `the block at height ${height} does not decode: ${(e as Error).message}`,
        );
      }
      if (height === 0 && !equalBytes(hash, header.genesisHash))
        throw new ChainFileError(
          'bad-block',
          `the block at height 0 is ${toHex(hash)}, not the genesis ${toHex(header.genesisHash)} the header names`,
        );
      if (previous && !equalBytes(prevHash, previous))
        throw new ChainFileError(
          'broken-link',
          `the block at height ${height} (${toHex(hash)}) does not extend the block before it in the file`,
        );
      previous = hash;
      yield { height, hash, prevHash, bytes };
    }
    const computed = input.digest();
    const stored = await input.read(CHECKSUM_SIZE, 'the checksum', false);
    if (!equalBytes(computed, stored))
      throw new ChainFileError(
        'bad-checksum',
        `the checksum is ${toHex(stored)} but the content hashes to ${toHex(computed)}: the file was altered or damaged`,
      );
    if (!(await input.atEnd()))
      throw new ChainFileError('trailing-data', `bytes follow the checksum at byte ${input.offset}`);
  }
}

export interface ChainFileSummary {
  readonly header: ChainFileHeader;
  /** Hash of the last block. */
  readonly lastHash: Uint8Array;
  /** Hash of the parent of the first block (all zero for a file starting at genesis). */
  readonly parentHash: Uint8Array;
  /** Total bytes of the file. */
  readonly bytes: number;
}

/**
 * Reads a whole chain file, checking everything the format promises, without keeping its blocks.
 * Throws ChainFileError naming the first fault; `onBlock` sees each block as it is read.
 */
export async function verifyChainFile(
  source: AsyncIterable<Uint8Array>,
  onBlock?: (block: ChainFileBlock, header: ChainFileHeader) => void,
): Promise<ChainFileSummary> {
  const reader = await ChainFileReader.open(source);
  let lastHash: Uint8Array = new Uint8Array(32);
  let parentHash: Uint8Array | undefined;
  for await (const block of reader.blocks()) {
    parentHash ??= block.prevHash;
    lastHash = block.hash;
    onBlock?.(block, reader.header);
  }
  // A header promises at least one block, so parentHash is set once the loop ends without throwing.
  return { header: reader.header, lastHash, parentHash: parentHash!, bytes: reader.bytesRead };
}
