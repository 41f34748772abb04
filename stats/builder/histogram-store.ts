/** The builder's input histograms by region × sample × variation, from bin rows, a histogram table or histograms. */
import { type Batch, didYouMean, HepqError, valueAt } from '../../exec/batch/index.js';
import type { HistogramEntry, HistogramRow } from './config.js';

/** Contents and sumw2 of one histogram (in-range bins). */
export interface StoredHistogram {
  readonly content: number[];
  readonly sumw2: number[];
}

/** Rows from a batch with columns region, sample, [variation], bin, content, [sumw2]. */
export function histogramRowsFromBatch(batch: Batch): HistogramRow[] {
  const idx = (name: string, required: boolean) => {
    const i = batch.schema.fields.findIndex((f) => f.name === name);
    if (i < 0 && required)
      throw new HepqError('stats/builder', `the histogram table has no '${name}' column`, {
        hint: `columns needed: region, sample, bin, content (optional: variation, sumw2); found ${batch.schema.fields.map((f) => f.name).join(', ')}`,
      });
    return i;
  };
  const [r, s, v, b, c, w] = [
    idx('region', true),
    idx('sample', true),
    idx('variation', false),
    idx('bin', true),
    idx('content', true),
    idx('sumw2', false),
  ];
  const rows: HistogramRow[] = [];
  const n = batch.selection ? batch.selection.length : batch.length;
  for (let k = 0; k < n; k++) {
    const i = batch.selection ? batch.selection[k]! : k;
    const get = (col: number) => (col < 0 ? undefined : valueAt(batch.columns[col]!, i));
    rows.push({
      region: String(get(r)),
      sample: String(get(s)),
      variation: v < 0 ? '' : String(get(v) ?? ''),
      bin: Number(get(b)),
      content: Number(get(c)),
      sumw2: w < 0 ? undefined : Number(get(w)),
    });
  }
  return rows;
}

const SEP = '\u0000';
const key = (region: string, sample: string, variation = '') => `${region}${SEP}${sample}${SEP}${variation}`;
const label = (region: string, sample: string, variation = '') =>
  `${region}/${sample}${variation ? `/${variation}` : ''}`;

export type BuilderInput = Iterable<HistogramRow> | Iterable<HistogramEntry> | Batch;

export class HistogramStore {
  private readonly hists = new Map<string, { content: number[]; sumw2: number[] }>();
  private readonly edges = new Map<string, { edges: ArrayLike<number>; from: string }>();
  private readonly nbins = new Map<string, number>();

  constructor(input: BuilderInput) {
    const items: (HistogramRow | HistogramEntry)[] =
      Symbol.iterator in Object(input)
        ? [...(input as Iterable<HistogramRow | HistogramEntry>)]
        : histogramRowsFromBatch(input as Batch);
    for (const item of items) {
      if ('histogram' in item) this.addHistogram(item);
      else this.addRow(item);
    }
  }

  private slot(region: string, sample: string, variation: string) {
    const k = key(region, sample, variation);
    let h = this.hists.get(k);
    if (!h) {
      h = { content: [], sumw2: [] };
      this.hists.set(k, h);
    }
    return h;
  }

  private addRow(row: HistogramRow): void {
    if (!Number.isInteger(row.bin) || row.bin < 0)
      throw new HepqError(
        'stats/builder',
        `${label(row.region, row.sample, row.variation)}: bin ${row.bin} is not a 0-based bin index`,
      );
    const h = this.slot(row.region, row.sample, row.variation ?? '');
    h.content[row.bin] = (h.content[row.bin] ?? 0) + row.content;
    h.sumw2[row.bin] = (h.sumw2[row.bin] ?? 0) + (row.sumw2 ?? row.content);
  }

  private addHistogram(e: HistogramEntry): void {
    const what = label(e.region, e.sample, e.variation);
    const { counts, sumw2, edges } = e.histogram;
    if (sumw2 && sumw2.length !== counts.length)
      throw new HepqError('stats/builder', `${what}: ${sumw2.length} sumw2 values for ${counts.length} bins`);
    if (edges) {
      if (edges.length !== counts.length + 1)
        throw new HepqError(
          'stats/builder',
          `${what}: ${edges.length} edges for ${counts.length} bins (want bins + 1)`,
        );
      const seen = this.edges.get(e.region);
      if (!seen) this.edges.set(e.region, { edges, from: what });
      else if (
        seen.edges.length !== edges.length ||
        Array.from(edges).some((x, i) => Math.abs(x - seen.edges[i]!) > 1e-9 * Math.max(1, Math.abs(x)))
      )
        throw new HepqError('stats/builder', `${what} has other bin edges than ${seen.from}`, {
          hint: 'every histogram of a region must share its binning',
        });
    }
    const h = this.slot(e.region, e.sample, e.variation ?? '');
    for (let i = 0; i < counts.length; i++) {
      h.content[i] = (h.content[i] ?? 0) + counts[i]!;
      h.sumw2[i] = (h.sumw2[i] ?? 0) + (sumw2 ? sumw2[i]! : counts[i]!);
    }
  }

  /** The bin edges of a region, when the input carried them. */
  regionEdges(region: string): number[] | undefined {
    const e = this.edges.get(region);
    return e ? Array.from(e.edges) : undefined;
  }

  has(region: string, sample: string, variation = ''): boolean {
    return this.hists.has(key(region, sample, variation));
  }

  private available(region: string): string[] {
    return [...this.hists.keys()]
      .filter((k) => k.startsWith(`${region}${SEP}`))
      .map((k) => k.split(SEP).slice(1).filter(Boolean).join('/'));
  }

  /** The histogram, zero-padded to the region's bin count; a located error with a did-you-mean when absent. */
  get(region: string, sample: string, variation = ''): StoredHistogram {
    const h = this.hists.get(key(region, sample, variation));
    if (!h) {
      const want = `${sample}${variation ? `/${variation}` : ''}`;
      const guess = didYouMean(want, this.available(region));
      throw new HepqError('stats/builder', `no histogram for ${label(region, sample, variation)}`, {
        hint: guess
          ? `did you mean '${region}/${guess}'?`
          : `region '${region}' has: ${this.available(region).join(', ') || 'nothing'}`,
      });
    }
    const n = this.nbins.get(region) ?? h.content.length;
    this.nbins.set(region, n);
    if (h.content.length > n)
      throw new HepqError(
        'stats/builder',
        `${label(region, sample, variation)} has ${h.content.length} bins, the region has ${n}`,
      );
    const fill = (a: number[]) => Array.from({ length: n }, (_, i) => a[i] ?? 0);
    return { content: fill(h.content), sumw2: fill(h.sumw2) };
  }
}
