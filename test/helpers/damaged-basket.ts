/** Damaged-basket tests: a branch's first basket as the reader hands it to the decoder, and the error it raises. */
import { openRoot } from '../../connectors/root/index.js';
import { basketRefs } from '../../connectors/root/model/tree.js';
import { basketContent } from '../../connectors/root/tree-decode.js';
import { HepqError } from '../../exec/batch/index.js';

/** The decompressed first basket of `branch` of `treePath` in the file at `path` (the file is closed again). */
export async function firstBasket(path: string, treePath: string, branch: string) {
  const f = await openRoot(path);
  try {
    const tree = await f.tree(treePath);
    const info = tree.info(branch);
    const ref = basketRefs(info.branch)[0]!;
    const raw = await f.file.source.read(ref.seek, ref.bytes);
    const content = basketContent(tree, info, ref, raw);
    return { info, ref, content };
  } finally {
    await f.close();
  }
}

/** The HepqError `run` throws (anything else, or no error at all, fails the test). */
export function decodeError(run: () => unknown): HepqError {
  try {
    run();
  } catch (e) {
    if (e instanceof HepqError) return e;
    throw new Error(`not a HepqError: ${(e as Error).stack}`);
  }
  throw new Error('the damaged basket decoded without an error');
}
