/**
 * The statistics stage of a func_adl/qastle query (`….Hist(…, category=…).Fit(config)`, `.HypoTest(mu, config)`,
 * `.UpperLimit(config)`), run after the query's sink: its labelled histograms become the builder's inputs
 * (`fit-histograms.ts`), the builder (`stats/builder`) makes the workspace, and the same table function the SQL
 * `histfactory_fit_from` / `hypotest_from` / `upper_limit_from` call fits it — off this thread where the stats
 * worker exists — so the result is their rows, number for number.
 */
import { readFileSync } from 'node:fs';
import { type Batch, type BatchStream, concatColumns, HepqError, type JsValue } from '../exec/batch/index.js';
import { type HistogramSet, type QueryResult, takeRows } from '../exec/index.js';
import type { StatsStage } from '../query/index.js';
import { type BuilderConfig, buildWorkspace, type StatsFunctionArgs } from '../stats/index.js';
import type { FunctionRegistry } from '../udfs/api.js';
import { histogramEntries } from './fit-histograms.js';
import { STATS_WORKER_AVAILABLE, statsOffThread } from './sql/stats-job.js';

/** The stats table function each stage runs (the ones SQL's `*_from` functions run). */
const TABLE_FUNCTIONS = { fit: 'histfactory_fit', hypotest: 'hypotest', upper_limit: 'upper_limit' } as const;

export interface StatsStageContext {
  readonly functions: FunctionRegistry;
  /** The query text, for carets under the stage. */
  readonly source: string;
  readonly signal?: AbortSignal;
  /** Where a config given as a path is read (default: as given, relative to the working directory). */
  readonly resolvePath?: (path: string) => string;
}

/** The histograms a stage fits: a categorised result, or (from a fileset) the datasets' merged set. */
export function stageHistograms(
  stage: StatsStage,
  result: QueryResult | HistogramSet | undefined,
  source: string,
): HistogramSet {
  if (result && 'categories' in result) return result;
  if (result?.kind === 'histograms') return result.histograms;
  const what =
    result === undefined ? 'no histograms' : result.kind === 'rows' ? 'rows' : `one ${result.kind}`;
  throw new HepqError(
    'query/stats-stage',
    `.${stage.method}() fits histograms labelled by region and sample; the query before it gives ${what}`,
    {
      ...(stage.span ? { span: stage.span } : {}),
      source,
      hint: "end the query in a categorised Hist(…, category={'region': {…}}) and run it over a fileset (the dataset label names the sample), or give labels={'sample': '…'}",
    },
  );
}

function fail(stage: StatsStage, ctx: StatsStageContext, message: string, hint?: string): never {
  throw new HepqError('query/stats-config', message, {
    ...(stage.span ? { span: stage.span } : {}),
    source: ctx.source,
    ...(hint ? { hint } : {}),
  });
}

/** The builder config of the stage: inline, or read from a JSON/YAML file; its shape checked. */
async function stageConfig(stage: StatsStage, ctx: StatsStageContext): Promise<BuilderConfig> {
  let config: unknown = stage.config;
  if (typeof config === 'string') {
    const path = ctx.resolvePath ? ctx.resolvePath(config) : config;
    let body: string;
    try {
      body = readFileSync(path, 'utf8');
    } catch (e) {
      return fail(
        stage,
        ctx,
        `.${stage.method}(): cannot read the config '${config}': ${(e as Error).message}`,
      );
    }
    try {
      // yaml (72 modules) loads only for a YAML config: the server and the CLI import this module at start
      config = /\.ya?ml$/i.test(path) ? (await import('yaml')).parse(body) : JSON.parse(body);
    } catch (e) {
      return fail(
        stage,
        ctx,
        `.${stage.method}(): the config '${config}' is not valid: ${(e as Error).message}`,
      );
    }
  }
  const c = config as Record<string, unknown> | null;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (
    c === null ||
    typeof c !== 'object' ||
    !strings(c.regions) ||
    !Array.isArray(c.samples) ||
    !c.samples.every(
      (s) => s !== null && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string',
    )
  )
    fail(
      stage,
      ctx,
      `.${stage.method}(): the config needs 'regions' (a list of names) and 'samples' (a list of {'name': …})`,
      "e.g. {'regions': ['4j1b'], 'samples': [{'name': 'ttbar', 'signal': True}, {'name': 'wjets'}], 'asimov': True}",
    );
  if (!stage.asimov) return c as unknown as BuilderConfig;
  const { data: _data, ...rest } = c as unknown as BuilderConfig;
  return { ...rest, asimov: true };
}

async function collect(stream: BatchStream): Promise<Batch> {
  const batches: Batch[] = [];
  for await (const b of stream) batches.push(b);
  const cols = batches.map((b) =>
    b.selection ? b.columns.map((c) => takeRows(c, b.selection!)) : b.columns,
  );
  return {
    schema: stream.schema,
    columns: stream.schema.fields.map((_f, k) => concatColumns(cols.map((c) => c[k]!))),
    length: batches.reduce((n, b) => n + (b.selection ? b.selection.length : b.length), 0),
  };
}

/** Run the stage on the query's histograms: the fit's (CLs', limit's) rows as a rows result. */
export async function runStatsStage(
  stage: StatsStage,
  set: HistogramSet,
  ctx: StatsStageContext,
): Promise<QueryResult> {
  const config = await stageConfig(stage, ctx);
  let spec: JsValue;
  try {
    const entries = histogramEntries(set, stage.labels ? { labels: stage.labels } : {});
    spec = buildWorkspace(config, entries).spec as unknown as JsValue;
  } catch (e) {
    if (e instanceof HepqError && !e.span)
      throw new HepqError(e.code, `.${stage.method}(): ${e.message}`, {
        ...(stage.span ? { span: stage.span } : {}),
        source: ctx.source,
        ...(e.hint ? { hint: e.hint } : {}),
      });
    throw e;
  }
  const args: StatsFunctionArgs = {
    workspace: JSON.stringify(spec),
    ...(stage.mu !== undefined ? { mu: stage.mu } : {}),
    ...(stage.level !== undefined ? { level: stage.level } : {}),
    ...(stage.testStat !== undefined ? { testStat: stage.testStat } : {}),
  };
  const empty: BatchStream = { schema: { fields: [] }, async *[Symbol.asyncIterator]() {} };
  const name = TABLE_FUNCTIONS[stage.kind];
  const tf = ctx.functions.table(name);
  tf.bind(args, empty.schema);
  const batch = STATS_WORKER_AVAILABLE
    ? await statsOffThread(name, args, ctx.signal)
    : await collect(tf.execute(args, empty, ctx.signal));
  return { kind: 'rows', schema: batch.schema, batches: [batch], shape: 'dict' };
}
