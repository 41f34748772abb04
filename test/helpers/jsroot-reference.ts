/** Reads branch values with jsroot (the ROOT team's own JavaScript reader), as an independent reference. */
import { openFile, TSelector, treeProcess } from 'jsroot';

type JsrootObject = { fName: string; fBranches?: { arr: JsrootObject[] } };

/**
 * Find a branch by our '/'-joined path in a jsroot tree: the `nth` (from 0) of the branches of that path, in the
 * tree's order (a tree may hold two: uproot-issue513.root's two `Particle` collections).
 */
function findBranch(tree: JsrootObject, path: string, nth = 0): JsrootObject | undefined {
  const found: JsrootObject[] = [];
  const walk = (level: JsrootObject, parts: string[]) => {
    for (const b of level.fBranches?.arr ?? [])
      if (b.fName === parts[0]) {
        if (parts.length === 1) found.push(b);
        else walk(b, parts.slice(1));
      }
  };
  walk(tree, path.split('/'));
  return found[nth];
}

/** A deep copy of a value jsroot hands out (objects carry methods; buffers are reused between entries). */
function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [plain(k), plain(x)]));
  if (v instanceof Set) return new Set([...v].map(plain));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = plain(x);
    return out;
  }
  return v;
}

export interface JsrootTree {
  entries: number;
  /** the names of the tree's top-level branches, in order */
  branches: string[];
  /** The values of the `nth` (from 0) branch of that path; undefined when jsroot cannot read it. */
  read(path: string, stop?: number, nth?: number): Promise<unknown[] | undefined>;
}

export async function openJsrootTree(file: string, treePath: string): Promise<JsrootTree> {
  const f = await openFile(file);
  const tree = await f.readObject(treePath);
  return {
    entries: Number(tree.fEntries),
    branches: ((tree.fBranches?.arr ?? []) as { fName: string }[]).map((b) => b.fName),
    async read(path: string, stop?: number, nth = 0) {
      const branch = findBranch(tree, path, nth);
      if (!branch) return undefined;
      const values: unknown[] = [];
      const sel = new TSelector();
      sel.addBranch(branch, 'v');
      sel.Process = function (this: { tgtobj: { v: unknown } }) {
        const v = this.tgtobj.v;
        values.push(plain(v));
      };
      try {
        await treeProcess(tree, sel, stop === undefined ? {} : { numentries: stop });
      } catch {
        return undefined; // a branch jsroot itself cannot read: no reference
      }
      return values;
    },
  };
}
