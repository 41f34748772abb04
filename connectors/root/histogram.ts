/** ROOT histograms (TH1/TH2/TH3 of every storage type, TProfile/2D/3D) as a batch with one row per bin. */
import {
  type Batch,
  type Column,
  type Field,
  HepqError,
  type PrimitiveType,
} from '../../exec/batch/index.js';
import { type RootHandle, RootHandle as RootHandleClass } from './open-root.js';
import { RootFile } from './root-file.js';

// biome-ignore lint/suspicious/noExplicitAny: deserialised ROOT objects are streamer-shaped plain objects
type Obj = any;

const AXES = ['x', 'y', 'z'] as const;

/** One axis: its bin count and the nbins+1 edges (uniform from fXmin/fXmax or variable from fXbins). */
export interface HistAxis {
  readonly nbins: number;
  readonly edges: Float64Array;
}

export function histDimension(cls: string): { dim: number; profile: boolean } | undefined {
  const p = /^TProfile(2D|3D)?$/.exec(cls);
  if (p) return { dim: p[1] ? Number(p[1][0]) : 1, profile: true };
  const h = /^TH([123])[FDISCL]$/.exec(cls);
  if (h) return { dim: Number(h[1]), profile: false };
  return undefined;
}

export function toF64(a: unknown): Float64Array {
  if (a instanceof Float64Array) return a;
  if (ArrayBuffer.isView(a)) return Float64Array.from(a as unknown as ArrayLike<number>, Number);
  if (Array.isArray(a)) return Float64Array.from(a, Number);
  return new Float64Array(0);
}

/** The edges of a TAxis: variable ones from fXbins, otherwise equal-width from fXmin, fXmax and fNbins. */
export function axisEdges(axis: Obj): HistAxis {
  const nbins = Number(axis.fNbins);
  const variable = toF64(axis.fXbins?.fArray);
  if (variable.length === nbins + 1) return { nbins, edges: variable };
  const lo = Number(axis.fXmin);
  const hi = Number(axis.fXmax);
  const edges = new Float64Array(nbins + 1);
  for (let i = 0; i <= nbins; i++) edges[i] = lo + ((hi - lo) * i) / nbins;
  edges[nbins] = hi;
  return { nbins, edges };
}

/** ROOT's TProfile bin error (TProfileHelper::GetBinError without the approximate mode). */
export function profileBinError(
  sumwy: number,
  sumwy2: number,
  sumw: number,
  sumw2: number,
  errorMode: number,
): number {
  if (sumw === 0) return 0;
  const mean = sumwy / sumw;
  const neff = sumw2 === 0 ? 0 : (sumw * sumw) / sumw2;
  const eprim2 = Math.abs(sumwy2 / sumw - mean * mean);
  const eprim = Math.sqrt(eprim2);
  if (errorMode === 2) return eprim !== 0 ? eprim / Math.sqrt(neff) : 1 / Math.sqrt(12 * neff); // "i"
  if (errorMode === 1) return eprim; // "s"
  if (errorMode === 3) return 1 / Math.sqrt(sumw); // "g"
  return eprim / Math.sqrt(neff); // "" (error of the mean)
}

function prim(type: PrimitiveType, values: Int32Array | Float64Array): Column {
  return { kind: 'primitive', type, values };
}

/** A histogram object already read from a file, as a batch of bins. */
export function histogramBatch(h: Obj, where = 'histogram'): Batch {
  const cls = String(h?._class ?? '');
  const kind = histDimension(cls);
  if (!kind) {
    throw new HepqError(
      'root/not-a-histogram',
      `${where} is a ${cls || 'non-object'}, not a TH1/TH2/TH3/TProfile`,
      {
        hint: 'histograms are TH1x, TH2x, TH3x (x = F, D, I, S, C, L) or TProfile, TProfile2D, TProfile3D',
      },
    );
  }
  const axes = [h.fXaxis, h.fYaxis, h.fZaxis].slice(0, kind.dim).map(axisEdges);
  const strides: number[] = [];
  let n = 1;
  for (const a of axes) {
    strides.push(n);
    n *= a.nbins + 2;
  }
  const contents = toF64(h.fArray);
  if (contents.length !== n) {
    throw new HepqError(
      'root/bad-histogram',
      `${where}: ${contents.length} bin contents where the axes give ${n} bins (under/overflow included)`,
    );
  }
  const fields: Field[] = [];
  const columns: Column[] = [];
  axes.forEach((a, d) => {
    const idx = new Int32Array(n);
    const low = new Float64Array(n);
    const high = new Float64Array(n);
    const m = a.nbins + 2;
    for (let g = 0; g < n; g++) {
      const i = Math.floor(g / strides[d]) % m;
      idx[g] = i;
      low[g] = i === 0 ? -Infinity : a.edges[i - 1];
      high[g] = i === m - 1 ? Infinity : a.edges[i];
    }
    const ax = AXES[d];
    fields.push(
      { name: `${ax}_bin`, type: { kind: 'primitive', type: 'int32' } },
      { name: `${ax}_low`, type: { kind: 'primitive', type: 'float64' } },
      { name: `${ax}_high`, type: { kind: 'primitive', type: 'float64' } },
    );
    columns.push(prim('int32', idx), prim('float64', low), prim('float64', high));
  });
  const f64 = (name: string, values: Float64Array) => {
    fields.push({ name, type: { kind: 'primitive', type: 'float64' } });
    columns.push(prim('float64', values));
  };
  const sumw2Raw = toF64(h.fSumw2?.fArray);
  if (!kind.profile) {
    f64('content', contents);
    f64('sumw2', sumw2Raw.length === n ? sumw2Raw : contents);
  } else {
    const entries = toF64(h.fBinEntries?.fArray);
    const binSumw2Raw = toF64(h.fBinSumw2?.fArray);
    const binSumw2 = binSumw2Raw.length === n ? binSumw2Raw : entries;
    const sumwy2 = sumw2Raw.length === n ? sumw2Raw : new Float64Array(n);
    if (entries.length !== n) {
      throw new HepqError('root/bad-histogram', `${where}: ${entries.length} bin entries for ${n} bins`);
    }
    const mean = new Float64Array(n);
    const error = new Float64Array(n);
    const mode = Number(h.fErrorMode ?? 0);
    for (let g = 0; g < n; g++) {
      mean[g] = entries[g] === 0 ? 0 : contents[g] / entries[g];
      error[g] = profileBinError(contents[g], sumwy2[g], entries[g], binSumw2[g], mode);
    }
    f64('content', mean);
    f64('sumw2', binSumw2);
    f64('entries', entries);
    f64('sumwy', contents);
    f64('sumwy2', sumwy2);
    f64('error', error);
  }
  return { schema: { fields }, columns, length: n };
}

/** Read the histogram at `path` as one row per bin (under/overflow included, global bin order). */
export async function readHistogram(file: RootHandle | RootFile, path: string): Promise<Batch> {
  const f = file instanceof RootFile ? file : file.file;
  return histogramBatch(await f.get(path), `${f.name}:${path}`);
}

/** `handle.histogram(path)` without touching the class: the same as readHistogram(handle, path). */
export function histogram(handle: RootHandle, path: string): Promise<Batch> {
  return readHistogram(handle, path);
}

declare module './open-root.js' {
  interface RootHandle {
    /** The histogram at `path`, one row per bin (see readHistogram). */
    histogram(path: string): Promise<Batch>;
  }
}
RootHandleClass.prototype.histogram = function (this: RootHandle, path: string) {
  return readHistogram(this, path);
};
