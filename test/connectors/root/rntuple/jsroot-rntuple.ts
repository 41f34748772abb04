/**
 * Reads RNTuple fields with jsroot 7.11 (the ROOT team's JavaScript reader) as an independent reference.
 *
 * jsroot's reader picks its value reader by type name and finds fields by (first) name, so before reading,
 * the descriptor jsroot parsed is adjusted in ways the format specification declares equivalent:
 * `ROOT::VecOps::RVec<T>` and untyped collections are spelled `std::vector<…>` (identical on disk), an untyped
 * record is given a class name, and fields that share a name with the one asked for are renamed. Projected
 * fields (aliases) are not read by jsroot at all: the callers derive them from their source fields.
 * jsroot also reads only the first cluster group's page list; `entries` says how many entries it sees.
 */
import { openFile, TSelector } from 'jsroot';

interface JsField {
  fieldName: string;
  typeName: string;
  parentFieldId: number;
  structRole: number;
  flags: number;
  checksum: number | null;
  sourceFieldId: number | null;
}

interface JsColumn {
  fieldId: number;
  coltype: number;
  bitsOnStorage: number;
  minValue: number | null;
  maxValue: number | null;
}

interface Builder {
  fieldDescriptors: JsField[];
  columnDescriptors: JsColumn[];
  clusterSummaries: { numEntries: number }[];
}

type RntupleModule = {
  readHeaderFooter(t: unknown): Promise<Builder | null>;
  rntupleProcess(t: unknown, sel: unknown, args?: unknown): Promise<unknown>;
};

// A variable specifier: jsroot ships no type declarations for this entry point.
const RNTUPLE_MODULE = 'jsroot/rntuple';

export interface JsrootRNTuple {
  /** Entries jsroot can see (those of the first cluster group). */
  readonly entries: number;
  readonly fields: readonly JsField[];
  /** Column descriptors as jsroot parsed them (type, bits, value range). */
  readonly columns: readonly JsColumn[];
  /** Values of top-level field `name` for every entry jsroot sees, normalised to plain JS values. */
  read(name: string): Promise<unknown[]>;
}

/** Plain values: records lose `_typename`, pairs use `_0`/`_1`, booleans become 0/1, chars stay strings. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('first' in o && 'second' in o && Object.keys(o).length === 2)
      return { _0: normalise(o.first), _1: normalise(o.second) };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) if (k !== '_typename') out[k] = normalise(x);
    return out;
  }
  return v;
}

export async function openJsrootRNTuple(file: string, name: string): Promise<JsrootRNTuple> {
  const mod = (await import(RNTUPLE_MODULE)) as RntupleModule;
  const f = await openFile(file);
  const tuple = await f.readObject(name);
  const builder = await mod.readHeaderFooter(tuple);
  if (!builder) throw new Error(`jsroot could not read the header and footer of ${name} in ${file}`);
  const fields = builder.fieldDescriptors;
  const original = fields.map((x) => ({ ...x }));
  // Spell equivalent types the way jsroot's value readers recognise them.
  fields.forEach((fd, i) => {
    if (fd.structRole === 1 && (fd.typeName === '' || fd.typeName.startsWith('ROOT::VecOps::RVec<')))
      fd.typeName = `std::vector<${fd.typeName || 'untyped'}>`;
    if (fd.structRole === 2 && fd.typeName === '') {
      fd.typeName = `UntypedRecord${i}`;
      fd.checksum = 1;
    }
  });
  const entries = builder.clusterSummaries.reduce((a, c) => a + c.numEntries, 0);
  return {
    entries,
    fields: original,
    columns: builder.columnDescriptors,
    async read(fieldName: string) {
      const top = fields.findIndex((x, i) => x.parentFieldId === i && original[i]!.fieldName === fieldName);
      if (top < 0) throw new Error(`no top-level field ${fieldName}`);
      // Only the asked field keeps its name, so jsroot's search by name finds it.
      fields.forEach((x, i) => {
        const own = original[i]!.fieldName;
        x.fieldName = i !== top && own === fieldName ? `${own}\u0000other` : own;
      });
      const values: unknown[] = [];
      const sel = new TSelector();
      sel.addBranch(fieldName, 'v');
      sel.Process = function (this: { tgtobj: { v: unknown } }) {
        values.push(normalise(structuredClone(this.tgtobj.v)));
      };
      try {
        await mod.rntupleProcess(tuple, sel);
      } finally {
        fields.forEach((x, i) => {
          x.fieldName = original[i]!.fieldName;
        });
      }
      return values;
    },
  };
}
