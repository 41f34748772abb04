/** The file-level face of RNTuples for `hepq inspect` and `hepq dump`: TTrees and RNTuples side by side. */
import type { Batch } from '../../../exec/batch/index.js';
import type { Inspection, ReadOptions, RootHandle } from '../open-root.js';
import { RNTUPLE_CLASS, RNTuple } from './rntuple.js';
import { rntuplePaths } from './table.js';

/** `handle.inspect()` with each RNTuple's entries and fields (name, type, column type, bytes, encodings). */
export async function inspectWithRNTuples(handle: RootHandle): Promise<Inspection> {
  const info = await handle.inspect();
  const objects: Inspection['objects'] = [];
  for (const o of info.objects) {
    if (o.class !== RNTUPLE_CLASS) {
      objects.push(o);
      continue;
    }
    const nt = await RNTuple.open(handle.file, o.path);
    objects.push({ ...o, entries: nt.entries, branches: nt.inspect() });
  }
  return { ...info, objects };
}

/** Paths of the objects `dump` can read: TTrees, then RNTuples. */
export async function readableObjects(handle: RootHandle): Promise<string[]> {
  return [...(await handle.trees()), ...(await rntuplePaths(handle))];
}

/** Read a TTree's branches or an RNTuple's fields (top-level ones when none are named) as one batch. */
export async function readObject(
  handle: RootHandle,
  path: string,
  options: ReadOptions = {},
): Promise<Batch> {
  const { key } = await handle.file.key(path);
  if (key.className !== RNTUPLE_CLASS) return handle.read(path, options);
  const nt = await RNTuple.open(handle.file, path);
  return nt.read(options.branches ?? [], {
    ...(options.start !== undefined ? { start: options.start } : {}),
    ...(options.stop !== undefined ? { stop: options.stop } : {}),
  });
}
