/**
 * One query over every dataset of a fileset: one pass per file, the dataset's metadata bound as query
 * parameters, histogram results labelled by dataset and merged across files into one set.
 */
import type { Fileset, MetadataValue } from '../connectors/index.js';
import {
  type HistogramSet,
  type LabelledHistogram,
  mergeHistogramSets,
  type QueryResult,
} from '../exec/index.js';
import type { QueryOptions, Session } from './session.js';

export interface DatasetResult {
  readonly dataset: string;
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  /** One result per file, in the fileset's order. */
  readonly results: readonly QueryResult[];
}

export interface FilesetResult {
  readonly datasets: readonly DatasetResult[];
  /**
   * Every histogram of every dataset, labelled `dataset` first (then the query's own categories), summed over
   * the dataset's files; absent when the query does not end in a histogram.
   */
  readonly histograms?: HistogramSet;
  /** Events read over all files. */
  readonly files: number;
  /** The statistics stage's result (`.Fit(config)`, …) on the merged histograms, when the query has one. */
  readonly stats?: QueryResult;
}

/** The histograms of one result, each labelled with its dataset. */
function labelled(dataset: string, r: QueryResult): HistogramSet | undefined {
  if (r.kind === 'histogram')
    return { categories: ['dataset'], histograms: [{ ...r.histogram, labels: { dataset } }] };
  if (r.kind === 'histograms')
    return {
      categories: ['dataset', ...r.histograms.categories],
      histograms: r.histograms.histograms.map(
        (h): LabelledHistogram => ({ ...h, labels: { dataset, ...h.labels } }),
      ),
    };
  return undefined;
}

/**
 * Run `text` over each file of each dataset (its metadata, then `options.params`, bound as parameters: a
 * run-time parameter overrides a metadata value of the same name).
 */
export async function queryFileset(
  session: Session,
  text: string,
  fileset: Fileset,
  options: QueryOptions = {},
): Promise<FilesetResult> {
  const datasets: DatasetResult[] = [];
  const sets: HistogramSet[] = [];
  let files = 0;
  let allHist = true;
  for (const d of fileset.datasets) {
    const results: QueryResult[] = [];
    for (const file of d.files) {
      options.signal?.throwIfAborted();
      const r = await session.query(text, {
        ...options,
        files: [file],
        ...(d.tree ? { tree: d.tree } : {}),
        params: { dataset: d.name, ...d.metadata, ...options.params },
      });
      results.push(r);
      files++;
      const s = labelled(d.name, r);
      if (s) sets.push(s);
      else allHist = false;
    }
    datasets.push({ dataset: d.name, metadata: d.metadata, results });
  }
  return {
    datasets,
    files,
    ...(allHist && sets.length ? { histograms: mergeHistogramSets(sets) } : {}),
  };
}
