/** Public surface of ROOT compressed-block decoding: `decompressRoot`, `initCompression`, block inspection. */
export {
  BLOCK_HEADER_SIZE,
  type BlockHeader,
  blockAlgorithms,
  MAX_BLOCK_SIZE,
  readBlockHeader,
} from './block-header.js';
export { compressionReady, initCompression } from './checksum.js';
export { type DecodeContext, decompressRoot } from './decompress-root.js';
