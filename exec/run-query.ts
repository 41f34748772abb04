/** The executor's entry points: run a logical plan over a connector table, as a stream of batches or one result. */
import type { ConnectorTable, ScanFilter, ScanOptions } from '../connectors/api.js';
import { type LogicalPlan, planChain } from '../planner/ir/index.js';
import {
  assertNever,
  type Batch,
  type BatchStream,
  type Column,
  columnLength,
  concatColumns,
  HepqError,
  type JsValue,
  type Schema,
  takeRows,
  valueAt,
} from './batch/index.js';
import {
  type CompiledPlan,
  type CompileOptions,
  compilePlan,
  type RowShape,
} from './compile/compile-plan.js';
import { runtime } from './compile/runtime.js';
import { pushableFilters } from './pushdown.js';
import type { HistogramResult } from './sinks/histogram.js';
import type { HistogramSet } from './sinks/histogram-set.js';
import { type SinkKind, sinkFor } from './sinks/sink.js';

/** What `explain analyze` learns from a run: rows per event-level stage, and where the time went. */
export interface QueryProfile {
  /** The event-level stages in order (source first), and the rows that reached each; the last is the terminal. */
  stages: Array<{ readonly label: string; rows: number }>;
  batches: number;
  entries: number;
  /** Milliseconds waiting for the scan (reading and decompressing) and running the compiled loop. */
  scanMs: number;
  runMs: number;
}

export interface RunOptions extends CompileOptions {
  /** Filled in during the run when given (compiles the plan with per-stage counters). */
  readonly analyze?: QueryProfile;
  readonly signal?: AbortSignal;
  /** The query text, so runtime errors (First() of an empty collection) draw a caret under the operator. */
  readonly source?: string;
  readonly batchSize?: number;
  readonly range?: ScanOptions['range'];
  /** The scan filters the physical plan chose (default: every filter the plan allows the table to take). */
  readonly filters?: readonly ScanFilter[];
  /** The sink the physical plan named (checked against the compiled query's terminal). */
  readonly sink?: SinkKind;
  /**
   * Return the sink's partial result (a morsel's: histogram sums with their rounding errors apart) for a caller
   * that combines several with the sink's `combine` and then finalizes; default: the finalized result.
   */
  readonly partial?: boolean;
}

/** The result of a whole query: rows (as batches), a bare value (Count, Sum, First, …) or a histogram. */
export type QueryResult =
  | {
      readonly kind: 'rows';
      readonly schema: Schema;
      readonly batches: readonly Batch[];
      readonly shape: RowShape;
    }
  | { readonly kind: 'value'; readonly value: JsValue }
  | { readonly kind: 'histogram'; readonly histogram: HistogramResult }
  /** A categorised `Hist`: one histogram per combination of category labels, filled in one pass. */
  | { readonly kind: 'histograms'; readonly histograms: HistogramSet };

/** The output schema of a compiled rows query (known after compilation, before any data). */
function rowsSchema(cp: CompiledPlan, input: Schema): Schema {
  const t = cp.terminal;
  if (t.kind === 'selection') return input;
  if (t.kind !== 'rows') throw new HepqError('exec/result-shape', 'this query returns one value, not rows');
  return { fields: t.names.map((name, i) => ({ name, type: t.nodes[i]!.type })) };
}

/** Output of one input batch (rows or a selection over the input). */
function outputBatch(cp: CompiledPlan, input: Batch, schema: Schema): Batch {
  const t = cp.terminal;
  if (t.kind === 'selection') {
    const sel = cp.state.selection.finish();
    return { ...input, selection: (sel as { values: Uint32Array }).values };
  }
  if (t.kind !== 'rows') throw new HepqError('exec/internal', 'internal: not a rows query');
  const columns = t.nodes.map((n) => n.writer.finish());
  const length = cp.state.rows;
  cp.state.rows = 0;
  return { schema, columns, length };
}

function scanFor(cp: CompiledPlan, table: ConnectorTable, options: RunOptions, reuse = false): BatchStream {
  const filters = options.filters ?? pushableFilters(cp.plan, table);
  return table.scan({
    columns: cp.columns,
    ...(reuse ? { reuseBuffers: true } : {}),
    ...(filters.length ? { filters: [...filters] } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.range ? { range: options.range } : {}),
  });
}

/**
 * Stream the rows of a query batch by batch (one output batch per input batch; no work before the first
 * pull). Queries ending in an aggregate or histogram, or with an event-level OrderBy, need `executePlan`.
 */
export function streamPlan(plan: LogicalPlan, table: ConnectorTable, options: RunOptions = {}): BatchStream {
  const input = table.schema();
  const cp = compilePlan(plan, input, { ...options, feedbackKey: table.constructor?.name });
  if (cp.ordered)
    throw new HepqError('exec/unsupported', 'an event-level OrderBy needs all rows: use executePlan');
  const schema = rowsSchema(cp, input);
  return {
    schema,
    async *[Symbol.asyncIterator]() {
      for await (const batch of scanFor(cp, table, options)) {
        options.signal?.throwIfAborted();
        let more: boolean;
        try {
          more = cp.run(batch);
        } catch (err) {
          throw located(err, options.source);
        }
        const out = outputBatch(cp, batch, schema);
        if (out.length > 0 || out.selection) yield out;
        if (!more) return;
      }
    },
  };
}

/** Run a query to completion. */
export async function executePlan(
  plan: LogicalPlan,
  table: ConnectorTable,
  options: RunOptions = {},
): Promise<QueryResult> {
  try {
    return await execute(plan, table, options);
  } catch (err) {
    throw located(err, options.source);
  }
}

/** A runtime error with the query text attached (so `render()` shows the caret). */
function located(err: unknown, source: string | undefined): unknown {
  if (!(err instanceof HepqError) || source === undefined || err.source !== undefined || !err.span)
    return err;
  return new HepqError(err.code, err.message, {
    span: err.span,
    source,
    ...(err.hint ? { hint: err.hint } : {}),
    cause: err,
  });
}

/** The scan, timed into the profile when one is asked for. */
async function* timedScan(
  cp: CompiledPlan,
  table: ConnectorTable,
  options: RunOptions,
): AsyncGenerator<Batch> {
  const prof = options.analyze;
  // A histogram or a plain aggregate keeps nothing of a batch once it is filled: the connector may reuse the
  // batch's buffers for later ones (ScanOptions.reuseBuffers). Row results keep their batches' columns.
  const t = cp.terminal;
  const keepsNothing = t.kind === 'hist' || t.kind === 'hist-set' || (t.kind === 'reduce' && !t.node);
  const it = scanFor(cp, table, options, keepsNothing)[Symbol.asyncIterator]();
  for (;;) {
    const t0 = performance.now();
    const next = await it.next();
    if (prof) prof.scanMs += performance.now() - t0;
    if (next.done) return;
    if (prof) {
      prof.batches++;
      prof.entries += next.value.length;
    }
    yield next.value;
  }
}

function stageLabel(p: LogicalPlan): string {
  switch (p.kind) {
    case 'where':
      return 'Where';
    case 'select':
      return 'Select';
    case 'select-many':
      return 'SelectMany';
    case 'order-by':
      return p.descending ? 'OrderByDescending' : 'OrderBy';
    case 'limit':
      return `Skip(${p.skip})${p.take !== undefined ? `.Take(${p.take})` : ''}`;
    case 'reduce':
      return p.op;
    case 'hist':
      return p.axes.length === 2 ? 'Hist2D' : 'Hist';
    default:
      return p.kind;
  }
}

async function execute(plan: LogicalPlan, table: ConnectorTable, options: RunOptions): Promise<QueryResult> {
  const input = table.schema();
  const prof = options.analyze;
  const feedbackKey = table.constructor?.name;
  const cp = compilePlan(plan, input, { ...options, feedbackKey, ...(prof ? { profile: true } : {}) });
  const result = await executeCompiled(cp, table, options);
  if (prof && cp.state.stageRows) {
    const stages = planChain(plan).reverse().slice(1);
    const terminal = stages.at(-1)?.kind === 'hist' || stages.at(-1)?.kind === 'reduce';
    const rowStages = terminal ? stages.slice(0, -1) : stages;
    prof.stages = rowStages.map((p, i) => ({ label: stageLabel(p), rows: cp.state.stageRows![i]! }));
    prof.stages.push({
      label: terminal ? stageLabel(stages.at(-1)!) : 'result rows',
      rows: cp.state.stageRows[rowStages.length]!,
    });
  }
  return result;
}

/** The sink kind a compiled query ends in (what the physical plan names). */
export function sinkKindOf(terminal: CompiledPlan['terminal']): SinkKind {
  switch (terminal.kind) {
    case 'hist':
      return 'histogram';
    case 'hist-set':
      return 'histograms';
    case 'reduce':
      return 'value';
    default:
      return terminal.kind;
  }
}

async function executeCompiled(
  cp: CompiledPlan,
  table: ConnectorTable,
  options: RunOptions,
): Promise<QueryResult> {
  const input = table.schema();
  const t = cp.terminal;
  const kind = sinkKindOf(t);
  if (options.sink && options.sink !== kind)
    throw new HepqError(
      'exec/internal',
      `internal: the physical plan names a ${options.sink} sink, the query ends in ${kind}`,
    );
  const sink = sinkFor(kind, t.kind === 'reduce' ? t.op : undefined);
  const batches: Batch[] = [];
  const reduceCols: Column[] = [];
  const prof = options.analyze;
  for await (const batch of timedScan(cp, table, options)) {
    options.signal?.throwIfAborted();
    const t0 = prof ? performance.now() : 0;
    const more = cp.run(batch);
    if (prof) prof.runMs += performance.now() - t0;
    if (t.kind === 'rows' || t.kind === 'selection')
      batches.push(outputBatch(cp, batch, rowsSchema(cp, input)));
    else if (t.kind === 'reduce' && t.node) {
      reduceCols.push(t.node.writer.finish());
      cp.state.rows = 0;
    }
    if (!more) break;
  }
  const partial = partialResult(cp, input, batches, reduceCols);
  return options.partial ? partial : sink.finalize(partial);
}

/** What the run left in the compiled query's terminal, as the sink's partial result. */
function partialResult(
  cp: CompiledPlan,
  input: Schema,
  batches: readonly Batch[],
  reduceCols: readonly Column[],
): QueryResult {
  const t = cp.terminal;
  if (t.kind === 'hist') return { kind: 'histogram', histogram: t.hist.partial() };
  if (t.kind === 'hist-set')
    return {
      kind: 'histograms',
      histograms: {
        categories: t.sink.categories,
        histograms: t.sink.hists.map((h, k) => ({ ...h.partial(), labels: t.sink.labels[k]! })),
      },
    };
  if (t.kind === 'reduce') return { kind: 'value', value: reduceValue(cp, reduceCols) };
  const schema = rowsSchema(cp, input);
  const shape = t.kind === 'rows' ? t.shape : 'dict';
  if (!cp.ordered) return { kind: 'rows', schema, batches, shape };
  return { kind: 'rows', schema, batches: [orderedBatch(cp, schema, batches)], shape };
}

function sortedIndices(cp: CompiledPlan): Int32Array {
  const keys = (cp.state.keys.finish() as { values: Float64Array }).values;
  const perm = new Int32Array(keys.length);
  runtime.argsort(keys, perm, keys.length, cp.ordered?.descending ?? false);
  return perm;
}

function orderedBatch(cp: CompiledPlan, schema: Schema, batches: readonly Batch[]): Batch {
  const perm = sortedIndices(cp);
  const { skip, take } = cp.ordered!;
  const idx = perm.subarray(Math.min(skip, perm.length), Math.min(perm.length, skip + take));
  const columns = schema.fields.map((_f, k) =>
    takeRows(concatColumns(batches.map((b) => b.columns[k]!)), idx),
  );
  return { schema, columns, length: idx.length };
}

function reduceValue(cp: CompiledPlan, cols: readonly Column[]): JsValue {
  const t = cp.terminal as Extract<CompiledPlan['terminal'], { kind: 'reduce' }>;
  const s = cp.state;
  switch (t.op) {
    case 'Count':
      return s.count;
    case 'Sum':
      return s.acc;
    case 'Min':
    case 'Max':
      return s.flag ? s.acc : null;
    case 'Any':
      return s.flag;
    case 'All':
      return !s.flag;
    case 'First':
    case 'Last':
    case 'ElementAt': {
      const all = concatColumns(cols);
      const n = columnLength(all);
      let order: ArrayLike<number> | undefined;
      if (cp.ordered) order = sortedIndices(cp);
      const at = (k: number) => valueAt(all, order ? order[k]! : k);
      if (n === 0) throw new HepqError('exec/empty', `${t.op}() of an empty result`);
      if (t.op === 'ElementAt') {
        const a = cp.plan.kind === 'reduce' ? cp.plan.args[0] : undefined;
        const k = a?.kind === 'literal' && typeof a.value === 'number' ? a.value : 0;
        if (k < 0 || k >= n)
          throw new HepqError('exec/index-range', `ElementAt(${k}) of a result with ${n} rows`);
        return at(k);
      }
      return t.op === 'Last' ? at(n - 1) : at(0);
    }
    default:
      return assertNever(t.op, 'reduce operator');
  }
}
