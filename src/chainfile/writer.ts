// Writes a chain file as a stream of chunks: the header, one length-prefixed record per block, and
// the SHA-256 checksum of everything before it. Blocks are pulled one at a time from `blocks`, so a
// consumer that reads slowly (a download) holds back the reading of the chain.
import { createHash } from 'node:crypto';
import {
  ChainFileError,
  type ChainFileHeader,
  checkRecordLength,
  encodeChainFileHeader,
  encodeRecordLength,
} from './format.js';

/**
 * The chunks of a chain file holding `header.count` blocks from `header.fromHeight`. Throws (ending the
 * stream before the checksum, so the output is a truncated file no reader accepts) when `blocks` yields
 * more or fewer blocks than the header promises, or a block of an impossible size.
 */
export async function* chainFileChunks(
  header: Omit<ChainFileHeader, 'version'>,
  blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  const emit = (bytes: Uint8Array): Uint8Array => {
    hash.update(bytes);
    return bytes;
  };
  yield emit(encodeChainFileHeader(header));
  let written = 0;
  for await (const bytes of blocks) {
    const height = header.fromHeight + written;
    if (written === header.count)
      throw new ChainFileError('trailing-data', `more blocks than the ${header.count} the header announces`);
    checkRecordLength(bytes.length, height);
    yield emit(encodeRecordLength(bytes.length));
    yield emit(bytes);
    written++;
  }
  if (written !== header.count)
    throw new ChainFileError(
      'truncated',
      `${written} blocks written of the ${header.count} the header announces`,
    );
  yield new Uint8Array(hash.digest());
}
