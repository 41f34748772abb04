/**
 * The opt-in scikit-hep-testdata corpus (its src/skhep_testdata/data folder, named by HEPQ_ROOT_CORPUS; never
 * committed): where it is, whether it is there, and a branch's values.
 */
import { existsSync } from 'node:fs';
import { openRoot } from '../../connectors/root/index.js';
import { valueAt } from '../../exec/batch/index.js';

export const CORPUS_DIR = process.env.HEPQ_ROOT_CORPUS
  ? `${process.env.HEPQ_ROOT_CORPUS.replace(/\/$/, '')}/`
  : '';
export const HAVE_CORPUS = CORPUS_DIR !== '' && existsSync(CORPUS_DIR);

/** Entries [start, stop) of a branch of a corpus file, as JS values. */
export async function corpusRows(file: string, tree: string, branch: string, start?: number, stop?: number) {
  const f = await openRoot(CORPUS_DIR + file);
  try {
    const t = await f.tree(tree);
    const col = await t.readBranch(branch, { start, stop });
    const n = (stop ?? t.entries) - (start ?? 0);
    return Array.from({ length: n }, (_, i) => valueAt(col, i));
  } finally {
    await f.close();
  }
}
