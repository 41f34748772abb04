/**
 * The cluster's wire format: the queue's name, one job per morsel (`<query id>_<morsel index>`, so a retried or
 * re-enqueued morsel is still one result), and partial results as V8-serialized bytes in base64 (typed arrays
 * travel as they are; every process of a cluster runs the same hepq, hence the same Node major version).
 */
import { deserialize, serialize } from 'node:v8';
import { HepqError } from '../../exec/core/index.js';
import type { QueryResult } from '../../exec/index.js';
import { type LogicalPlan, unbindPlan } from '../../planner/ir/index.js';
import type { StatsJob } from '../../stats/index.js';
import type { MorselTask } from '../parallel/index.js';

export const QUERY_QUEUE = 'hepq-query';
/** Statistics jobs (one patch of a patchset, one μ point): their workspace is stored once under `initKey`. */
export const STATS_QUEUE = 'hepq-stats';

export interface StatsClusterJob {
  readonly runId: string;
  readonly index: number;
  readonly count: number;
  /** Redis key of the jobs' shared WorkerInit (the workspace), stored once per run. */
  readonly initKey: string;
  readonly job: StatsJob;
}

export interface MorselJob {
  readonly queryId: string;
  readonly index: number;
  readonly count: number;
  readonly task: MorselTask;
}

/** A worker's answer: the partial result, or the error the morsel raised (a user's error is not retried). */
export type MorselReply =
  | { readonly ok: true; readonly worker: string; readonly result: string }
  | {
      readonly ok: false;
      readonly worker: string;
      readonly error: { message: string; code: string; hint?: string; span?: { start: number; end: number } };
    };

/**
 * The morsels as they go on the queue: their plan unbound (`unbindPlan`, made once per plan), which the worker
 * binds against its table. As JSON a bound plan repeats its record types on every node (ADL q8: 36 KB, 11 KB
 * unbound; BENCHMARKS.md, bench/plan-wire.ts).
 */
export function wireTasks(tasks: readonly MorselTask[]): MorselTask[] {
  const unbound = new Map<LogicalPlan, LogicalPlan>();
  return tasks.map((task) => {
    if (task.unbound) return task;
    let plan = unbound.get(task.plan);
    if (!plan) {
      plan = unbindPlan(task.plan);
      unbound.set(task.plan, plan);
    }
    return { ...task, plan, unbound: true };
  });
}

export const jobIdOf = (queryId: string, index: number) => `${queryId}_${index}`;

/** A statistics job's answer: its value V8-serialized, or the hepq error it raised. */
export type StatsReply =
  | Extract<MorselReply, { ok: false }>
  | { readonly ok: true; readonly worker: string; readonly value: string };

export function encodeValue(v: unknown): string {
  return serialize(v).toString('base64');
}

export function decodeValue<T>(s: string): T {
  return deserialize(Buffer.from(s, 'base64')) as T;
}

export function encodeResult(r: QueryResult): string {
  return encodeValue(r);
}

export function decodeResult(s: string): QueryResult {
  return decodeValue<QueryResult>(s);
}

/** The error of a failed morsel, located in the query text and naming the files and entries it covered. */
export function morselError(job: MorselJob, reply: Extract<MorselReply, { ok: false }>): HepqError {
  const { message, code, hint, span } = reply.error;
  return new HepqError(code, message, {
    ...(span ? { span, source: job.task.text } : {}),
    hint: `${hint ? `${hint}; ` : ''}morsel ${job.index + 1} of ${job.count} (${describeMorsel(job.task)}) on worker ${reply.worker}`,
  });
}

export function describeMorsel(task: MorselTask): string {
  const files = task.files.length === 1 ? task.files[0]! : `${task.files.length} files`;
  return `${files}, entries ${task.range.start}..${task.range.stop}`;
}
