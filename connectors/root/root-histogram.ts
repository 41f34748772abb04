/**
 * A ROOT histogram (TH1/TH2/TH3 of every storage type, TProfile/2D/3D) as one plain object: axes with edges and
 * titles, every bin with flows in ROOT's order, and the in-range part in exec/sinks' HistogramResult shape.
 */
import { HepqError } from '../../exec/batch/index.js';
import { axisEdges, histDimension, profileBinError, toF64 } from './histogram.js';
import type { RootHandle } from './open-root.js';
import { RootFile } from './root-file.js';

// biome-ignore lint/suspicious/noExplicitAny: deserialised ROOT objects are streamer-shaped plain objects
type Obj = any;

export interface RootHistogramAxis {
  /** xaxis, yaxis, zaxis */
  readonly name: string;
  readonly title: string;
  readonly nbins: number;
  /** nbins + 1 edges, from fXbins (variable) or fXmin/fXmax */
  readonly edges: number[];
}

export interface RootProfileData {
  /** per bin (flows included): Σw, Σw·y, Σw·y², Σw² */
  readonly binEntries: Float64Array;
  readonly sumwy: Float64Array;
  readonly sumwy2: Float64Array;
  readonly binSumw2: Float64Array;
  /** fErrorMode: 0 error of the mean, 1 spread, 2 "i", 3 "g" */
  readonly errorMode: number;
}

/**
 * A histogram read from a ROOT file. `values`/`variances` hold every bin with flows in ROOT's global order
 * (x fastest: g = ix + (nx+2)·(iy + (ny+2)·iz)); `counts`/`sumw2` the in-range bins with x outer (row-major, as
 * exec/sinks' HistogramResult); `underflow`/`overflow` the flow bins of a 1-D histogram, or for 2-D/3-D the
 * totals of all cells below / above the range on any axis. For profiles, values are the bin means and
 * variances their squared errors (ROOT's GetBinContent / GetBinError); the raw sums are in `profile`.
 */
export interface RootHistogram {
  readonly name: string;
  readonly title: string;
  readonly className: string;
  readonly dim: 1 | 2 | 3;
  readonly axes: readonly RootHistogramAxis[];
  readonly axisTitles: readonly string[];
  readonly edges: number[];
  readonly edges2?: number[];
  readonly edges3?: number[];
  readonly counts: number[];
  readonly sumw2: number[];
  readonly underflow: number;
  readonly overflow: number;
  readonly values: Float64Array;
  readonly variances: Float64Array;
  /** fEntries */
  readonly entries: number;
  readonly profile?: RootProfileData;
}

/** A histogram object already read from a file as a RootHistogram. */
export function toRootHistogram(h: Obj, where = 'histogram'): RootHistogram {
  const cls = String(h?._class ?? '');
  const kind = histDimension(cls);
  if (!kind)
    throw new HepqError(
      'root/not-a-histogram',
      `${where} is a ${cls || 'non-object'}, not a TH1/TH2/TH3/TProfile`,
      {
        hint: 'histograms are TH1x, TH2x, TH3x (x = F, D, I, S, C, L) or TProfile, TProfile2D, TProfile3D',
      },
    );
  const raw = [h.fXaxis, h.fYaxis, h.fZaxis].slice(0, kind.dim);
  const axes: RootHistogramAxis[] = raw.map((a: Obj, d: number) => {
    const { nbins, edges } = axisEdges(a);
    return {
      name: String(a.fName ?? ['xaxis', 'yaxis', 'zaxis'][d]),
      title: String(a.fTitle ?? ''),
      nbins,
      edges: [...edges],
    };
  });
  const n = axes.reduce((p, a) => p * (a.nbins + 2), 1);
  const contents = toF64(h.fArray);
  if (contents.length !== n)
    throw new HepqError(
      'root/bad-histogram',
      `${where}: ${contents.length} bin contents where the axes give ${n} bins (under/overflow included)`,
    );
  const rawSumw2 = toF64(h.fSumw2?.fArray);
  let values: Float64Array;
  let variances: Float64Array;
  let profile: RootProfileData | undefined;
  if (!kind.profile) {
    values = contents.slice();
    variances = rawSumw2.length === n ? rawSumw2.slice() : contents.slice();
  } else {
    const binEntries = toF64(h.fBinEntries?.fArray);
    if (binEntries.length !== n)
      throw new HepqError('root/bad-histogram', `${where}: ${binEntries.length} bin entries for ${n} bins`);
    const bs = toF64(h.fBinSumw2?.fArray);
    profile = {
      binEntries,
      sumwy: contents,
      sumwy2: rawSumw2.length === n ? rawSumw2 : new Float64Array(n),
      binSumw2: bs.length === n ? bs : binEntries,
      errorMode: Number(h.fErrorMode ?? 0),
    };
    values = new Float64Array(n);
    variances = new Float64Array(n);
    for (let g = 0; g < n; g++) {
      values[g] = binEntries[g] === 0 ? 0 : contents[g]! / binEntries[g]!;
      const e = profileBinError(
        contents[g]!,
        profile.sumwy2[g]!,
        binEntries[g]!,
        profile.binSumw2[g]!,
        profile.errorMode,
      );
      variances[g] = e * e;
    }
  }
  // in-range part, x outer; flows summed
  const [nx, ny, nz] = [axes[0]!.nbins, axes[1]?.nbins ?? 1, axes[2]?.nbins ?? 1];
  const counts: number[] = [];
  const sumw2: number[] = [];
  for (let ix = 1; ix <= nx; ix++)
    for (let iy = kind.dim > 1 ? 1 : 0; iy <= (kind.dim > 1 ? ny : 0); iy++)
      for (let iz = kind.dim > 2 ? 1 : 0; iz <= (kind.dim > 2 ? nz : 0); iz++) {
        const g = ix + (nx + 2) * (iy + (ny + 2) * iz);
        counts.push(values[g]!);
        sumw2.push(variances[g]!);
      }
  let underflow = 0;
  let overflow = 0;
  const ext = axes.map((a) => a.nbins + 2);
  for (let g = 0; g < n; g++) {
    let rest = g;
    let below = false;
    let above = false;
    for (let d = 0; d < kind.dim; d++) {
      const i = rest % ext[d]!;
      rest = Math.floor(rest / ext[d]!);
      if (i === 0) below = true;
      if (i === ext[d]! - 1) above = true;
    }
    if (below) underflow += values[g]!;
    else if (above) overflow += values[g]!;
  }
  return {
    name: String(h.fName ?? ''),
    title: String(h.fTitle ?? ''),
    className: cls,
    dim: kind.dim as 1 | 2 | 3,
    axes,
    axisTitles: axes.map((a) => a.title),
    edges: axes[0]!.edges,
    ...(axes[1] ? { edges2: axes[1].edges } : {}),
    ...(axes[2] ? { edges3: axes[2].edges } : {}),
    counts,
    sumw2,
    underflow,
    overflow,
    values,
    variances,
    entries: Number(h.fEntries ?? 0),
    ...(profile ? { profile } : {}),
  };
}

/** Read the histogram at `path` (a key name or directory path, optionally `;cycle`) as a RootHistogram. */
export async function readRootHistogram(file: RootHandle | RootFile, path: string): Promise<RootHistogram> {
  const f = file instanceof RootFile ? file : file.file;
  return toRootHistogram(await f.get(path), `${f.name}:${path}`);
}
