// The chain file: a network's blocks in a row, as `hashline chain export` writes them and `hashline
// chain import` reads them (docs/protocol.md, "Chain files"). This module holds the layout and its
// header; reader.ts and writer.ts stream the blocks, one at a time.
import { HEADER_SIZE } from '../core/header.js';
import { MAX_BLOCK_SIZE } from '../core/params.js';

/** "HLCHAIN\n": the first 8 bytes of every chain file. */
export const CHAIN_FILE_MAGIC = new Uint8Array([0x48, 0x4c, 0x43, 0x48, 0x41, 0x49, 0x4e, 0x0a]);
export const CHAIN_FILE_VERSION = 1;
/** A network name is 1 to 32 characters of [a-z0-9-]. */
export const MAX_NETWORK_NAME = 32;
const NETWORK_NAME = /^[a-z0-9-]{1,32}$/;
/** A block record's length is at least a header and at most the consensus block size limit. */
export const MIN_BLOCK_RECORD = HEADER_SIZE + 1;
export const MAX_BLOCK_RECORD = MAX_BLOCK_SIZE;
export const CHECKSUM_SIZE = 32;
/** Heights are u32; the last block of a file must fit. */
const MAX_HEIGHT = 0xffff_ffff;

export interface ChainFileHeader {
  readonly version: number;
  /** The network's name (e.g. `dev`), for messages; the genesis hash is what identifies it. */
  readonly network: string;
  readonly genesisHash: Uint8Array;
  /** Height of the first block in the file. */
  readonly fromHeight: number;
  /** Number of blocks (at least 1). */
  readonly count: number;
}

/** Why a chain file is refused. Each code is named in docs/protocol.md, "Chain files". */
export type ChainFileErrorCode =
  | 'not-a-chain-file'
  | 'unsupported-version'
  | 'bad-header'
  | 'bad-length'
  | 'bad-block'
  | 'broken-link'
  | 'truncated'
  | 'bad-checksum'
  | 'trailing-data'
  | 'wrong-network';

export class ChainFileError extends Error {
  constructor(
    readonly code: ChainFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChainFileError';
  }
}

/** Bytes of the fixed part before the network name: magic, version, name length. */
export const HEADER_PREFIX_SIZE = 8 + 4 + 1;
/** Bytes after the name: genesis hash, first height, count. */
export const HEADER_SUFFIX_SIZE = 32 + 4 + 4;

export const lastHeightOf = (h: ChainFileHeader): number => h.fromHeight + h.count - 1;

function checkHeaderFields(h: Omit<ChainFileHeader, 'version'>): void {
  if (!NETWORK_NAME.test(h.network))
    throw new ChainFileError(
      'bad-header',
      `network name ${JSON.stringify(h.network)} is not 1-32 of [a-z0-9-]`,
    );
  if (h.genesisHash.length !== 32)
    throw new ChainFileError('bad-header', 'the genesis hash must be 32 bytes');
  if (!Number.isInteger(h.count) || h.count < 1)
    throw new ChainFileError('bad-header', `block count ${h.count}: a chain file holds at least one block`);
  if (!Number.isInteger(h.fromHeight) || h.fromHeight < 0 || h.fromHeight + h.count - 1 > MAX_HEIGHT)
    throw new ChainFileError('bad-header', `heights ${h.fromHeight} + ${h.count} blocks do not fit in u32`);
}

/** The header's bytes: magic, version, name, genesis hash, first height, count. */
export function encodeChainFileHeader(h: Omit<ChainFileHeader, 'version'>): Uint8Array {
  checkHeaderFields(h);
  const name = new TextEncoder().encode(h.network);
  const out = new Uint8Array(HEADER_PREFIX_SIZE + name.length + HEADER_SUFFIX_SIZE);
  const view = new DataView(out.buffer);
  out.set(CHAIN_FILE_MAGIC, 0);
  view.setUint32(8, CHAIN_FILE_VERSION, true);
  out[12] = name.length;
  out.set(name, HEADER_PREFIX_SIZE);
  const at = HEADER_PREFIX_SIZE + name.length;
  out.set(h.genesisHash, at);
  view.setUint32(at + 32, h.fromHeight, true);
  view.setUint32(at + 36, h.count, true);
  return out;
}

/** Checks the magic and version of the first 13 bytes; returns the name's length. */
export function decodeHeaderPrefix(prefix: Uint8Array): number {
  for (let i = 0; i < CHAIN_FILE_MAGIC.length; i++) {
    if (prefix[i] !== CHAIN_FILE_MAGIC[i])
      throw new ChainFileError(
        'not-a-chain-file',
        'the file does not start with "HLCHAIN\\n": not a Hashline chain file',
      );
  }
  const version = new DataView(prefix.buffer, prefix.byteOffset).getUint32(8, true);
  if (version !== CHAIN_FILE_VERSION)
    throw new ChainFileError(
      'unsupported-version',
      `chain file version ${version}; this Hashline reads version ${CHAIN_FILE_VERSION}`,
    );
  const nameLength = prefix[12]!;
  if (nameLength < 1 || nameLength > MAX_NETWORK_NAME)
    throw new ChainFileError('bad-header', `network name length ${nameLength} is not 1-${MAX_NETWORK_NAME}`);
  return nameLength;
}

/** The rest of the header: name bytes, then genesis hash, first height and count. */
export function decodeHeaderRest(name: Uint8Array, suffix: Uint8Array): ChainFileHeader {
  const network = new TextDecoder('utf-8', { fatal: false }).decode(name);
  const view = new DataView(suffix.buffer, suffix.byteOffset, HEADER_SUFFIX_SIZE);
  const header: ChainFileHeader = {
    version: CHAIN_FILE_VERSION,
    network,
    genesisHash: suffix.slice(0, 32),
    fromHeight: view.getUint32(32, true),
    count: view.getUint32(36, true),
  };
  checkHeaderFields(header);
  return header;
}

/** A block record's 4-byte length prefix. */
export function encodeRecordLength(length: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, length, true);
  return out;
}

export function checkRecordLength(length: number, height: number): void {
  if (length < MIN_BLOCK_RECORD || length > MAX_BLOCK_RECORD)
    throw new ChainFileError(
      'bad-length',
      `the block at height ${height} claims ${length} bytes; a block is ${MIN_BLOCK_RECORD} to ${MAX_BLOCK_RECORD} bytes`,
    );
}
