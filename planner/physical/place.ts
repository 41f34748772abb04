/**
 * `place()`: the one decision of where and how a prepared query runs. Thresholds are cost terms of the model
 * (starting worker threads, opening a GPU), compared as estimated seconds; an explicit byte threshold from the
 * caller (`workers.minBytes`) still wins, as a user's setting should.
 */
import type { ConnectorTable } from '../../connectors/api.js';
import { mb } from '../../exec/core/index.js';
import type { Placement as GpuPlacement } from '../../exec/gpu/index.js';
import { type FunctionLookup, pushableFilters } from '../../exec/index.js';
import { morsels as cutMorsels, whyNotPartitionable } from '../../exec/parallel/index.js';
import {
  CostModel,
  type DecompressionRates,
  decompressionRates,
  MORSEL_OVERHEAD_S,
  ratesSoFar,
} from '../cost/index.js';
import type { LogicalPlan } from '../ir/index.js';
import type { ColumnRead, PhysicalPlan, SinkKind, TargetEstimate } from './physical-plan.js';

/** Starting a pool of worker threads from cold (threads, modules, opening the files): ~0.3–0.4 s measured here. */
export const WORKER_COLD_START_S = 0.35;
/** Handing work to warm workers (already started, files open). */
export const WORKER_WARM_START_S = 0.05;
/** Opening a GPU device and measuring its rates: a query that ends sooner on the CPU never consults one. */
export const GPU_OPEN_S = 0.25;
/** A cluster query's fixed cost: enqueueing its morsels and following them (Redis round trips). */
export const CLUSTER_SETUP_S = 0.1;
/** Each morsel's queue round trip and the worker's pick-up, paid once per morsel on some worker. */
export const CLUSTER_MORSEL_S = 0.01;
/** Morsels per cluster worker. */
export const MORSELS_PER_WORKER = 4;
/**
 * Work (at default decompression rates) under which the default rates decide: calibrating them costs 0.1–0.3 s,
 * more than any choice could save on a query this small, so a one-shot query never pays it.
 */
export const CALIBRATE_ABOVE_S = 0.5;
/** Morsels per thread: the pool hands them out as threads free up, so uneven clusters even out. */
export const MORSELS_PER_THREAD = 16;
/**
 * A DuckDB statement's fixed cost in a session: the engine's start the first time (native library, instance,
 * hepq's macros: ~50 ms, BENCHMARKS.md "startup"), preparing the statement and binding its table function.
 */
export const DUCKDB_START_S = 0.05;
/**
 * DuckDB's own work per event (its vectors, the list lambdas, the binning macro, the result), on top of reading
 * the branches — which `root()` does with hepq's reader, so that part is this thread's estimate. Measured with
 * the branches already in DuckDB's memory (bench/duckdb-placement.ts, ADL q1–q4, 500 k events): 0.2–3.8 µs per
 * event against the compiled loop's 0.04–0.35 µs; 1 µs here, so DuckDB is chosen by cost only where it must be.
 */
export const DUCKDB_EVENT_S = 1e-6;
/**
 * Each V8 function the statement calls (`hepq_js_cos`, … : a JS callback per value), per event and per place it
 * is written: ADL q5's statement (9 of them) took 6.3 µs per event where the others took 0.2–1.5 µs.
 */
export const DUCKDB_JS_CALL_S = 5e-7;

export interface PlaceInput {
  /** The optimized plan (the pipeline). */
  readonly plan: LogicalPlan;
  readonly table: ConnectorTable;
  readonly files: readonly string[];
  /** The columns the compiled pipeline reads. */
  readonly columns: readonly string[];
  /** What the compiled pipeline ends in (its terminal). */
  readonly sink: SinkKind;
  readonly functions?: FunctionLookup;
  readonly range?: { readonly start?: number; readonly stop?: number };
  /** Threads this query may use (1: this thread only). */
  readonly threads: number;
  readonly workers?: {
    /** Workers are started and idle (their start-up is already paid). */
    readonly warm?: boolean;
    /** The worker module exists in this build. */
    readonly available?: boolean;
    /** A caller's explicit threshold: below these decompressed bytes, stay on this thread. */
    readonly minBytes?: number;
  };
  readonly device?: 'cpu' | 'gpu' | 'auto' | 'duckdb';
  /**
   * The plan as one DuckDB statement (exec/duckdb-plan's translation), or why it cannot be one (the
   * operator and the reason); absent: DuckDB is not a candidate (no SQL engine for this input).
   */
  readonly duckdb?: { readonly sql: string } | { readonly refused: string };
  /** A cluster of worker processes on a queue (`hepq worker --queue URL`), and how many listen now. */
  readonly cluster?: {
    readonly url: string;
    readonly workers: number;
    /** A caller's explicit threshold: from these decompressed bytes on, use the cluster. */
    readonly minBytes?: number;
  };
  /** The GPU's placement of the fused pipeline, once consulted (see PhysicalPlan.consultGpu). */
  readonly gpu?: GpuPlacement & { readonly name?: string };
  /** Force this thread (explain analyze counts rows per stage on one thread), with the reason. */
  readonly forceThread?: string;
  readonly rates?: DecompressionRates;
}

export function place(input: PlaceInput): PhysicalPlan {
  const { plan, table } = input;
  const stats = table.statistics();
  const start = Math.max(0, input.range?.start ?? 0);
  const stop = Math.max(start, Math.min(stats.entries, input.range?.stop ?? stats.entries));
  const share = stats.entries ? (stop - start) / stats.entries : 0;
  const read = new Set(input.columns);
  const modelWith = (rates: DecompressionRates) =>
    new CostModel({
      schema: table.schema(),
      statistics: stats,
      compression: (c) => stats.columns.find((x) => x.name === c)?.codec,
      ...(input.functions ? { functions: input.functions } : {}),
      rates,
    });
  let model = modelWith(input.rates ?? ratesSoFar());
  if (
    !input.rates &&
    model.estimateSeconds(model.work(plan, input.columns, stop - start), 1) > CALIBRATE_ABOVE_S
  )
    model = modelWith(decompressionRates());
  const columns: ColumnRead[] = stats.columns
    .filter((c) => read.has(c.name))
    .map((c) => ({
      name: c.name,
      codec: model.algorithm(c.name, c.compressedBytes, c.uncompressedBytes),
      compressedBytes: c.compressedBytes * share,
      uncompressedBytes: c.uncompressedBytes * share,
    }));
  const scan = {
    table: table.name,
    files: input.files,
    columns,
    filters: pushableFilters(plan, table),
    range: { start, stop },
    entries: stats.entries,
    clusters: Math.max(1, stats.clusters.length - 1),
    tableColumns: table.schema().fields.length,
    tableBytes: stats.columns.reduce((a, c) => a + c.compressedBytes, 0) * share,
  };
  const base = { scan, pipeline: plan, sink: input.sink };
  const work = model.work(plan, input.columns, stop - start);
  const bytes = work.uncompressedBytes;
  const one = model.estimateSeconds(work, 1);
  const estimates: TargetEstimate[] = [{ target: 'this thread', seconds: one }];
  const onThread = (reason: string, consultGpu = false): PhysicalPlan => ({
    ...base,
    target: { kind: 'thread' },
    reason,
    estimates,
    consultGpu,
  });
  if (input.forceThread) return onThread(input.forceThread);

  // DuckDB: asked for, or chosen under auto when its estimate beats every other (rarely: it reads through
  // hepq's reader and then does more per event than the compiled loop).
  const device = input.device ?? 'auto';
  const duck = input.duckdb;
  const jsCalls = duck && 'sql' in duck ? (duck.sql.match(/hepq_js_/g)?.length ?? 0) : 0;
  const duckSeconds = DUCKDB_START_S + one + (stop - start) * (DUCKDB_EVENT_S + jsCalls * DUCKDB_JS_CALL_S);
  const duckEstimate: TargetEstimate | undefined = !duck
    ? device === 'duckdb'
      ? { target: 'DuckDB', note: 'not possible: no SQL engine for this input' }
      : undefined
    : 'sql' in duck
      ? { target: 'DuckDB', seconds: duckSeconds, note: 'one SQL statement' }
      : { target: 'DuckDB', note: `not possible: ${duck.refused}` };
  if (duckEstimate) estimates.push(duckEstimate);
  if (device === 'duckdb' && duck && 'sql' in duck)
    return {
      ...base,
      target: { kind: 'duckdb', sql: duck.sql },
      reason: 'device duckdb asked for',
      estimates: [...estimates, { target: 'GPU', note: 'not considered: device duckdb' }],
      consultGpu: false,
    };

  // The GPU: forced, or under auto only once the CPU side would take longer than opening a device.
  if (input.gpu?.device === 'gpu')
    return {
      ...base,
      target: { kind: 'gpu', device: input.gpu.name ?? 'adapter' },
      reason: input.gpu.reason,
      estimates: [...estimates, { target: 'GPU', seconds: input.gpu.gpuSec, note: 'measured rates' }],
      consultGpu: false,
    };
  const gpuNote: TargetEstimate | undefined =
    device === 'cpu' || device === 'duckdb'
      ? { target: 'GPU', note: `not considered: device ${device} (--device gpu|auto uses it)` }
      : input.gpu
        ? {
            target: 'GPU',
            ...(input.gpu.gpuSec !== undefined ? { seconds: input.gpu.gpuSec } : {}),
            note: input.gpu.reason,
          }
        : undefined;

  // Worker threads: partitionable plans only, when the estimate with their start-up beats this thread.
  const threads = Math.max(1, Math.floor(input.threads));
  let cpu: PhysicalPlan;
  const why = threads <= 1 ? 'one thread asked for' : whyNotPartitionable(plan);
  const parts = why ? [] : cutMorsels(stats.clusters, start, stop, threads * MORSELS_PER_THREAD);
  const warm = input.workers?.warm ?? false;
  if (why) cpu = onThread(why);
  else if (parts.length < 2) cpu = onThread('the input is one cluster');
  else if (input.workers?.available === false) cpu = onThread('no worker module in this build');
  else {
    const n = Math.min(threads, parts.length);
    const startup = warm ? WORKER_WARM_START_S : WORKER_COLD_START_S;
    // Decompression and the loop split evenly over the threads; each morsel costs a dispatch.
    const threaded = startup + (parts.length * MORSEL_OVERHEAD_S) / n + one / n;
    estimates.push({
      target: `${n} worker threads`,
      seconds: threaded,
      note: `${warm ? 'warm' : 'cold'} start ${startup * 1e3} ms, ${parts.length} morsels`,
    });
    const minBytes = input.workers?.minBytes;
    const pays = minBytes !== undefined ? bytes >= minBytes : threaded < one;
    const why =
      minBytes !== undefined
        ? `${mb(bytes)} to decompress is ${pays ? 'at or above' : 'below'} the ${mb(minBytes)} set for worker threads`
        : pays
          ? `${mb(bytes)} to decompress: ${n} threads ≈ ${(threaded * 1e3).toFixed(0)} ms beat this thread ≈ ${(one * 1e3).toFixed(0)} ms`
          : `${mb(bytes)} to decompress: this thread ≈ ${(one * 1e3).toFixed(1)} ms, less than ${warm ? 'handing work to the warm' : 'starting'} workers (${startup * 1e3} ms)`;
    cpu = pays
      ? {
          ...base,
          target: { kind: 'threads', threads: n, morsels: parts },
          reason: why,
          estimates,
          consultGpu: false,
        }
      : onThread(why);
  }
  if (input.cluster) cpu = placeCluster(input, cpu, { stats, start, stop, one, bytes, estimates });
  if (device === 'duckdb')
    cpu = {
      ...cpu,
      reason: `device duckdb asked for, but ${duckEstimate!.note!.replace('not possible: ', 'DuckDB cannot run it: ')}; ${cpu.reason}`,
    };
  const cpuBest = Math.min(
    ...estimates.filter((e) => e !== duckEstimate).map((e) => e.seconds ?? Number.POSITIVE_INFINITY),
  );
  if (device === 'auto' && duck && 'sql' in duck && duckSeconds < cpuBest)
    cpu = {
      ...base,
      target: { kind: 'duckdb', sql: duck.sql },
      reason: `DuckDB ≈ ${(duckSeconds * 1e3).toFixed(1)} ms beats ≈ ${(cpuBest * 1e3).toFixed(1)} ms on the CPU side`,
      estimates,
      consultGpu: false,
    };
  const best = Math.min(...estimates.map((e) => e.seconds ?? Number.POSITIVE_INFINITY));
  const consultGpu =
    !input.gpu &&
    cpu.target.kind !== 'cluster' &&
    cpu.target.kind !== 'duckdb' &&
    (device === 'gpu' || (device === 'auto' && best > GPU_OPEN_S));
  const note: TargetEstimate =
    gpuNote ??
    (consultGpu
      ? { target: 'GPU', note: 'to be measured on the device' }
      : {
          target: 'GPU',
          note: `not consulted: the CPU side (≈ ${(best * 1e3).toFixed(1)} ms) is under the ${GPU_OPEN_S * 1e3} ms it takes to open a device`,
        });
  return { ...cpu, estimates: [...estimates, note], consultGpu };
}

/** The cluster, when it beats the local choice (or the caller's byte threshold says so). */
function placeCluster(
  input: PlaceInput,
  local: PhysicalPlan,
  w: {
    stats: ReturnType<ConnectorTable['statistics']>;
    start: number;
    stop: number;
    one: number;
    bytes: number;
    estimates: TargetEstimate[];
  },
): PhysicalPlan {
  const c = input.cluster!;
  const name = `cluster (${c.workers} workers)`;
  const why = whyNotPartitionable(input.plan);
  if (why) {
    w.estimates.push({ target: name, note: `not possible: ${why}` });
    return local;
  }
  if (c.workers < 1) {
    w.estimates.push({ target: name, note: `not possible: no worker listens on ${c.url}` });
    return local;
  }
  const parts = cutMorsels(w.stats.clusters, w.start, w.stop, c.workers * MORSELS_PER_WORKER);
  const seconds =
    CLUSTER_SETUP_S + (parts.length * CLUSTER_MORSEL_S + w.one) / Math.min(c.workers, parts.length);
  w.estimates.push({ target: name, seconds, note: `${parts.length} morsels` });
  const localSeconds = Math.min(
    ...w.estimates.filter((e) => e.target !== name).map((e) => e.seconds ?? Infinity),
  );
  const pays = c.minBytes !== undefined ? w.bytes >= c.minBytes : seconds < localSeconds;
  if (!pays) return local;
  return {
    ...local,
    target: { kind: 'cluster', url: c.url, workers: c.workers, morsels: parts },
    reason:
      c.minBytes !== undefined
        ? `${mb(w.bytes)} to decompress is at or above the ${mb(c.minBytes)} set for the cluster`
        : `${mb(w.bytes)} to decompress: ${c.workers} cluster workers ≈ ${(seconds * 1e3).toFixed(0)} ms beat ≈ ${(localSeconds * 1e3).toFixed(0)} ms here`,
    consultGpu: false,
  };
}
