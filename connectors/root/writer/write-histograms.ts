/** Writes histograms as TH1D / TH2D into a new ROOT file that ROOT, combine, TRExFitter, jsroot and uproot read. */
import { HepqError } from '../../../exec/batch/index.js';
import { type Compression, initCompressors, parseCompression } from './compress.js';
import { type DirectoryHandle, RootFileWriter } from './file-writer.js';
import {
  type AxisData,
  HISTOGRAM_CLASSES,
  type HistogramObject,
  writeHistogramObject,
} from './histogram-object.js';

/**
 * A histogram to write, 1-D or 2-D (`edges2`): exec/sinks' HistogramResult shape (in-range `counts`/`sumw2`, x
 * outer for 2-D) or a RootHistogram read back (its `values`/`variances` with flows win when present).
 * 1-D flows come from `underflow`/`overflow` (their sumw2 defaults to the content); the 2-D flow totals of a
 * HistogramResult have no cell to go to and are left out. `entries` defaults to Σw over every bin.
 */
export interface HistogramToWrite {
  readonly edges: ArrayLike<number>;
  readonly edges2?: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  readonly sumw2?: ArrayLike<number>;
  readonly underflow?: number;
  readonly overflow?: number;
  readonly underflowSumw2?: number;
  readonly overflowSumw2?: number;
  /** every bin including flows, in ROOT's global order (x fastest) */
  readonly values?: ArrayLike<number>;
  readonly variances?: ArrayLike<number>;
  readonly title?: string;
  /** x (and y) axis titles */
  readonly axisTitles?: readonly string[];
  readonly entries?: number;
}

export interface HistogramWriteOptions {
  /** none, zlib[:1-9], lzma, lz4, zstd (default zlib:1, what ROOT writes by default) */
  readonly compression?: string | Compression;
}

function checkEdges(edges: ArrayLike<number>, where: string): number[] {
  const e = Array.from(edges, Number);
  if (e.length < 2)
    throw new HepqError(
      'root/bad-histogram',
      `${where}: ${e.length} edges; a histogram needs at least one bin`,
    );
  for (let i = 1; i < e.length; i++)
    if (!(e[i]! > e[i - 1]!) || !Number.isFinite(e[i]!) || !Number.isFinite(e[i - 1]!))
      throw new HepqError(
        'root/bad-histogram',
        `${where}: edges must be finite and increasing (edge ${i} is ${e[i]})`,
      );
  return e;
}

/** The object to stream: flows placed, lengths checked (errors name the histogram). */
export function histogramObject(name: string, h: HistogramToWrite): HistogramObject {
  const where = `histogram '${name}'`;
  const ex = checkEdges(h.edges, `${where} x axis`);
  const ey = h.edges2 ? checkEdges(h.edges2, `${where} y axis`) : undefined;
  const [nx, ny] = [ex.length - 1, ey ? ey.length - 1 : 0];
  const n = ey ? (nx + 2) * (ny + 2) : nx + 2;
  const titles = h.axisTitles ?? [];
  const axes: AxisData[] = [{ edges: ex, title: titles[0] ?? '', name: 'xaxis' }];
  if (ey) axes.push({ edges: ey, title: titles[1] ?? '', name: 'yaxis' });
  let values: Float64Array;
  let sumw2: Float64Array;
  if (h.values) {
    if (h.values.length !== n || (h.variances && h.variances.length !== n))
      throw new HepqError(
        'root/bad-histogram',
        `${where}: ${h.values.length} values (${h.variances?.length ?? 'no'} variances) for ${n} bins with flows`,
      );
    values = Float64Array.from(h.values);
    sumw2 = h.variances ? Float64Array.from(h.variances) : values.slice();
  } else {
    const inRange = ey ? nx * ny : nx;
    if (h.counts.length !== inRange || (h.sumw2 && h.sumw2.length !== inRange))
      throw new HepqError(
        'root/bad-histogram',
        `${where}: ${h.counts.length} counts (${h.sumw2?.length ?? 'no'} sumw2) for ${inRange} bins`,
        { hint: ey ? 'a 2-D histogram has nx·ny counts, x outer' : 'a 1-D histogram has one count per bin' },
      );
    values = new Float64Array(n);
    sumw2 = new Float64Array(n);
    for (let ix = 0; ix < nx; ix++)
      for (let iy = 0; iy < (ey ? ny : 1); iy++) {
        const k = ey ? ix * ny + iy : ix;
        const g = ey ? ix + 1 + (nx + 2) * (iy + 1) : ix + 1;
        values[g] = h.counts[k]!;
        sumw2[g] = h.sumw2 ? h.sumw2[k]! : h.counts[k]!;
      }
    if (!ey) {
      values[0] = h.underflow ?? 0;
      values[nx + 1] = h.overflow ?? 0;
      sumw2[0] = h.underflowSumw2 ?? values[0]!;
      sumw2[nx + 1] = h.overflowSumw2 ?? values[nx + 1]!;
    }
  }
  const entries = h.entries ?? values.reduce((s, v) => s + v, 0);
  return { name, title: h.title ?? '', axes, values, sumw2, entries };
}

/**
 * Write `histograms` (path → histogram) into a new ROOT file at `path`: TH1D for 1-D, TH2D for 2-D; a path
 * `a/b/name` puts the histogram in subdirectory a/b (combine's `$CHANNEL/$PROCESS` layout).
 */
export async function writeHistograms(
  path: string,
  histograms: Readonly<Record<string, HistogramToWrite>>,
  options: HistogramWriteOptions = {},
): Promise<{ readonly path: string; readonly keys: readonly string[] }> {
  const objects = Object.entries(histograms).map(([key, h]) => {
    const parts = key.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes(';')))
      throw new HepqError('root/bad-histogram', `cannot write a histogram at '${key}'`, {
        hint: 'paths are names joined by "/" (e.g. SR/ttbar_nominal), without empty parts, "..", or ";cycle"',
      });
    return { dirs: parts.slice(0, -1), object: histogramObject(parts.at(-1)!, h), key };
  });
  await initCompressors();
  const c = options.compression ?? 'zlib:1';
  const file = RootFileWriter.create(path, typeof c === 'string' ? parseCompression(c) : c);
  try {
    const dirs = new Map<string, DirectoryHandle>();
    const dirOf = (parts: readonly string[]): DirectoryHandle | undefined => {
      let parent: DirectoryHandle | undefined;
      for (let i = 0; i < parts.length; i++) {
        const p = parts.slice(0, i + 1).join('/');
        let d = dirs.get(p);
        if (!d) {
          d = file.mkdir(parts[i]!, parent);
          dirs.set(p, d);
        }
        parent = d;
      }
      return parent;
    };
    for (const { dirs: parts, object: h } of objects)
      file.writeObject(
        h.axes.length === 1 ? 'TH1D' : 'TH2D',
        h.name,
        h.title,
        (b) => writeHistogramObject(b, h),
        true,
        dirOf(parts),
      );
    file.close(HISTOGRAM_CLASSES);
  } catch (err) {
    file.abort();
    throw err;
  }
  return { path, keys: objects.map((o) => o.key) };
}
