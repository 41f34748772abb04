/**
 * The client side of cluster work: enqueue one BullMQ job per morsel (or per statistics job), follow their states
 * (polled, so a Redis restart or a missed event loses nothing: a vanished job is enqueued again under its id),
 * and hand back the results in job order. Results are kept by index, so a job retried after a worker died counts
 * once. Cancelling removes the jobs no worker has started; running ones finish and are discarded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { HepqError } from '../../exec/core/index.js';
import type { QueryResult } from '../../exec/index.js';
import type { StatsJob, WorkerInit } from '../../stats/index.js';
import type { MorselTask } from '../parallel/index.js';
import { closeRedisFamily, redisConnection } from '../transform/index.js';
import {
  decodeResult,
  decodeValue,
  describeMorsel,
  jobIdOf,
  type MorselJob,
  type MorselReply,
  morselError,
  QUERY_QUEUE,
  STATS_QUEUE,
  type StatsClusterJob,
  type StatsReply,
} from './wire.js';

export interface ClusterRunOptions {
  readonly signal?: AbortSignal;
  /** Called as morsels complete: entries done of the total. */
  readonly onMorsel?: (entries: number) => void;
  /** Attempts per job before the run fails (default 3). */
  readonly attempts?: number;
  /** How often job states are read (default 50 ms). */
  readonly pollMs?: number;
}

type Reply = MorselReply | StatsReply;

/** A connection to a cluster's queues, kept by the session across queries. */
export class ClusterClient {
  private readonly clients = new Set<Redis>();
  private readonly queries: Queue<MorselJob, MorselReply>;
  private readonly stats: Queue<StatsClusterJob, StatsReply>;
  /** A plain client for the statistics jobs' shared workspace (one key per workspace). */
  private readonly kv: Redis;

  constructor(readonly url: string) {
    this.kv = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.kv.on('error', () => {});
    this.clients.add(this.kv);
    this.queries = new Queue(QUERY_QUEUE, { connection: redisConnection(url, this.clients) });
    this.stats = new Queue(STATS_QUEUE, { connection: redisConnection(url, this.clients) });
    // Reconnects are ioredis's; failures show as the states we poll.
    this.queries.on('error', () => {});
    this.stats.on('error', () => {});
  }

  /** Workers listening on the query queue now (0 when none: the physical plan then stays local). */
  async workers(): Promise<number> {
    try {
      return (await this.queries.getWorkers()).length;
    } catch {
      return 0;
    }
  }

  /** Run the morsels of a query on the cluster's workers; the partial results in morsel order. */
  run(tasks: readonly MorselTask[], options: ClusterRunOptions = {}): Promise<QueryResult[]> {
    const queryId = randomUUID();
    const jobs: MorselJob[] = tasks.map((task, index) => ({ queryId, index, count: tasks.length, task }));
    return this.follow(
      this.queries as Queue,
      queryId,
      jobs,
      options,
      (index, reply) => {
        if (!reply.ok) throw morselError(jobs[index]!, reply);
        options.onMorsel?.(tasks[index]!.range.stop - tasks[index]!.range.start);
        return decodeResult((reply as Extract<MorselReply, { ok: true }>).result);
      },
      (index) => describeMorsel(tasks[index]!),
    );
  }

  /**
   * Run statistics jobs bound to one workspace (patches of a patchset, μ points) on the cluster; the workspace is
   * stored once in Redis (by its hash) and each worker compiles it once. Values in job order.
   */
  async runStats<T>(
    init: WorkerInit,
    jobs: readonly StatsJob[],
    onResult?: (value: T) => void,
    options: ClusterRunOptions = {},
  ): Promise<T[]> {
    const text = JSON.stringify(init);
    const initKey = `hepq-stats:init:${createHash('sha256').update(text).digest('hex')}`;
    await this.kv.set(initKey, text, 'EX', 24 * 3600);
    const runId = randomUUID();
    const data: StatsClusterJob[] = jobs.map((job, index) => ({
      runId,
      index,
      count: jobs.length,
      initKey,
      job,
    }));
    const label = (i: number) => {
      const j = jobs[i]!;
      return j.kind === 'hypotest-patch' ? `patch ${j.label}` : `toy batch ${i + 1}`;
    };
    return this.follow(
      this.stats as Queue,
      runId,
      data,
      options,
      (index, reply) => {
        if (!reply.ok)
          throw new HepqError(reply.error.code, reply.error.message, {
            hint: `${reply.error.hint ? `${reply.error.hint}; ` : ''}${label(index)} on worker ${reply.worker}`,
          });
        const v = decodeValue<T>((reply as Extract<StatsReply, { ok: true }>).value);
        onResult?.(v);
        return v;
      },
      label,
    );
  }

  /** Enqueue `data` as jobs `<run>_<index>` and poll them to the end; `take` turns a reply into a result. */
  private async follow<D, R>(
    queue: Queue,
    runId: string,
    data: readonly D[],
    options: ClusterRunOptions,
    take: (index: number, reply: Reply) => R,
    describe: (index: number) => string,
  ): Promise<R[]> {
    const opts = (index: number) => ({
      jobId: jobIdOf(runId, index),
      attempts: options.attempts ?? 3,
      backoff: { type: 'fixed' as const, delay: 200 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
    await queue.addBulk(data.map((d, index) => ({ name: 'job', data: d, opts: opts(index) })));
    const results = new Map<number, R>();
    const pending = new Set(data.map((_, i) => i));
    try {
      while (pending.size) {
        options.signal?.throwIfAborted();
        for (const index of [...pending]) {
          const job = await Job.fromId<D, Reply>(queue, jobIdOf(runId, index));
          if (!job) {
            // Gone: Redis restarted without persistence. The same job id again (a duplicate id is ignored).
            await queue.add('job', data[index]!, opts(index)).catch(() => {});
            continue;
          }
          if (job.finishedOn && job.returnvalue) {
            if (!results.has(index)) results.set(index, take(index, job.returnvalue));
            pending.delete(index);
          } else if (job.finishedOn && job.failedReason && job.attemptsMade >= (job.opts.attempts ?? 1))
            throw new HepqError(
              'cluster/job-failed',
              `${describe(index)} (job ${index + 1} of ${data.length}) failed after ${job.attemptsMade} attempts: ${job.failedReason}`,
              {
                kind: 'resource',
                hint: "the workers' logs say more; a crash in hepq itself is a bug to report",
              },
            );
        }
        if (pending.size) await sleep(options.pollMs ?? 50, options.signal);
      }
    } catch (e) {
      await this.cancel(queue, runId, pending);
      throw e;
    }
    return data.map((_, i) => results.get(i)!);
  }

  /** Remove the jobs of a run that no worker has started. */
  private async cancel(queue: Queue, runId: string, pending: ReadonlySet<number>): Promise<void> {
    await Promise.all(
      [...pending].map(async (i) => {
        const job = await Job.fromId(queue, jobIdOf(runId, i)).catch(() => undefined);
        if (job && (await job.isWaiting().catch(() => false))) await job.remove().catch(() => {});
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.queries.close().catch(() => {}), this.stats.close().catch(() => {})]);
    closeRedisFamily(this.clients);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
