// Types of bare-decompress.mjs for the TypeScript benchmarks.
/** The LZ4 and ZSTD codecs in use (exec/core/codecs.ts's choice). */
export const codecNames: { readonly lz4: string; readonly zstd: string };
export interface Block {
  readonly alg: string;
  readonly body: Uint8Array;
  readonly out: number;
}
export function splitBlocks(payload: Uint8Array, objLen: number): Block[];
export function bareDecompress(blocks: readonly Block[]): number;
export function keyHeader(
  bytes: Uint8Array,
  offset: number,
): { nbytes: number; objLen: number; keyLen: number };
export function readBaskets(
  path: string,
  branchModels: Iterable<{
    readonly writeBasket: number;
    readonly basketSeek: readonly number[];
    readonly basketBytes: readonly number[];
  }>,
): { baskets: Block[][]; bytes: number };
