// Chain files: a versioned, checksummed file of one network's blocks (docs/protocol.md, "Chain files").
export {
  CHAIN_FILE_MAGIC,
  CHAIN_FILE_VERSION,
  ChainFileError,
  type ChainFileErrorCode,
  type ChainFileHeader,
  encodeChainFileHeader,
  lastHeightOf,
  MAX_BLOCK_RECORD,
} from './format.js';
export { type ChainFileBlock, ChainFileReader, type ChainFileSummary, verifyChainFile } from './reader.js';
export { chainFileChunks } from './writer.js';
