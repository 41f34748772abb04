/**
 * The client side of cluster work: enqueue one BullMQ job per morsel (or per statistics job), follow them through
 * the queue's event stream (one `QueueEvents` reader per queue for every run: a completed job's reply comes in
 * its event, so thousands of morsels cost no request each), and hand back the results in job order. A sweep
 * reads the states of the jobs still pending — all at once — when no event came for `pollMs` and at least every
 * few seconds, so a Redis restart or a missed (trimmed) event loses nothing: a vanished job is enqueued again
 * under its id. Results are kept by index, so a job retried after a worker died counts
 * once. Cancelling removes the jobs no worker has started; running ones finish and are discarded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
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
  wireTasks,
} from './wire.js';

export interface ClusterRunOptions {
  readonly signal?: AbortSignal;
  /** Called as morsels complete: entries done of the total. */
  readonly onMorsel?: (entries: number) => void;
  /** Attempts per job before the run fails (default 3). */
  readonly attempts?: number;
  /** With no event for this long, the pending jobs' states are read (default 250 ms; also every 2 s anyway). */
  readonly pollMs?: number;
}

type Reply = MorselReply | StatsReply;

/** A job's end as its event told it: the reply, or that it failed (the sweep then reads its attempts). */
type Ended = { readonly index: number; readonly reply?: Reply; readonly failed?: true };

/** A run being followed: the events of its jobs, and how to wake its loop. */
interface Follower {
  readonly ended: Ended[];
  wake?: () => void;
}

/** The events stream keeps this many entries (BullMQ's default 10,000 is a few thousand morsels' worth). */
const EVENTS_MAX_LEN = 50_000;
/** Pending states are read at least this often, events or not (a job whose event was missed). */
const SWEEP_MS = 2_000;
/** Job states read in flight at once by a sweep (ioredis pipelines them on the one connection). */
const SWEEP_BATCH = 500;

/** A connection to a cluster's queues, kept by the session across queries. */
export class ClusterClient {
  private readonly clients = new Set<Redis>();
  private readonly queries: Queue<MorselJob, MorselReply>;
  private readonly stats: Queue<StatsClusterJob, StatsReply>;
  /** A plain client for the statistics jobs' shared workspace (one key per workspace). */
  private readonly kv: Redis;
  /** One event reader per queue name, started with the first run on it. */
  private readonly events = new Map<string, Promise<QueueEvents>>();
  /** How the results of this client's jobs arrived: in their `completed` event, or read by a sweep. */
  readonly followed = { byEvent: 0, bySweep: 0 };
  /** Runs being followed, by run id (the job ids are `<run>_<index>`). */
  private readonly followers = new Map<string, Follower>();

  constructor(readonly url: string) {
    this.kv = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.kv.on('error', () => {});
    this.clients.add(this.kv);
    const streams = { events: { maxLen: EVENTS_MAX_LEN } };
    this.queries = new Queue(QUERY_QUEUE, { connection: redisConnection(url, this.clients), streams });
    this.stats = new Queue(STATS_QUEUE, { connection: redisConnection(url, this.clients), streams });
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
    const jobs: MorselJob[] = wireTasks(tasks).map((task, index) => ({
      queryId,
      index,
      count: tasks.length,
      task,
    }));
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

  /**
   * The queue's event reader, reading from the stream's last entry before it was asked for (so no event of a job
   * added after that is skipped while the reader starts).
   */
  private listen(queue: Queue): Promise<QueueEvents> {
    let ev = this.events.get(queue.name);
    if (!ev) {
      ev = (async () => {
        const last = await this.kv.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1).catch(() => []);
        const reader = new QueueEvents(queue.name, {
          connection: redisConnection(this.url, this.clients),
          lastEventId: last[0]?.[0] ?? '0-0',
        });
        reader.on('error', () => {});
        reader.on('completed', ({ jobId, returnvalue }) =>
          this.route(jobId, { reply: returnvalue as unknown as Reply }),
        );
        reader.on('failed', ({ jobId }) => this.route(jobId, { failed: true }));
        await reader.waitUntilReady();
        return reader;
      })();
      this.events.set(queue.name, ev);
      ev.catch(() => this.events.delete(queue.name));
    }
    return ev;
  }

  /** Hand a job's event to the run it belongs to (events of other clients' runs are ignored). */
  private route(jobId: string, what: { reply?: Reply; failed?: true }): void {
    const cut = jobId.lastIndexOf('_');
    const follower = cut > 0 ? this.followers.get(jobId.slice(0, cut)) : undefined;
    if (!follower) return;
    follower.ended.push({ index: Number(jobId.slice(cut + 1)), ...what });
    follower.wake?.();
  }

  /** Enqueue `data` as jobs `<run>_<index>` and follow them to the end; `take` turns a reply into a result. */
  private async follow<D, R>(
    queue: Queue,
    runId: string,
    data: readonly D[],
    options: ClusterRunOptions,
    take: (index: number, reply: Reply) => R,
    describe: (index: number) => string,
  ): Promise<R[]> {
    const attempts = options.attempts ?? 3;
    const opts = (index: number) => ({
      jobId: jobIdOf(runId, index),
      attempts,
      backoff: { type: 'fixed' as const, delay: 200 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
    const follower: Follower = { ended: [] };
    this.followers.set(runId, follower);
    const results = new Map<number, R>();
    const pending = new Set(data.map((_, i) => i));
    const done = (index: number, reply: Reply, how: 'byEvent' | 'bySweep') => {
      if (!pending.has(index)) return;
      this.followed[how]++;
      results.set(index, take(index, reply));
      pending.delete(index);
    };
    const failed = (index: number, job: Job<D, Reply>) =>
      new HepqError(
        'cluster/job-failed',
        `${describe(index)} (job ${index + 1} of ${data.length}) failed after ${job.attemptsMade} attempts: ${job.failedReason}`,
        { kind: 'resource', hint: "the workers' logs say more; a crash in hepq itself is a bug to report" },
      );
    /** Read the states of `indices` (in batches in flight together): take the finished, re-add the vanished. */
    const check = async (indices: readonly number[]) => {
      for (let k = 0; k < indices.length; k += SWEEP_BATCH) {
        const batch = indices.slice(k, k + SWEEP_BATCH);
        const jobs = await Promise.all(batch.map((i) => Job.fromId<D, Reply>(queue, jobIdOf(runId, i))));
        for (const [j, job] of jobs.entries()) {
          const index = batch[j]!;
          if (!pending.has(index)) continue;
          if (!job) {
            // Gone: Redis restarted without persistence. The same job id again (a duplicate id is ignored).
            await queue.add('job', data[index]!, opts(index)).catch(() => {});
          } else if (job.finishedOn && job.returnvalue) done(index, job.returnvalue, 'bySweep');
          else if (job.finishedOn && job.failedReason && job.attemptsMade >= (job.opts.attempts ?? 1))
            throw failed(index, job);
        }
      }
    };
    try {
      await this.listen(queue);
      await queue.addBulk(data.map((d, index) => ({ name: 'job', data: d, opts: opts(index) })));
      let swept = performance.now();
      while (pending.size) {
        options.signal?.throwIfAborted();
        const heard =
          follower.ended.length > 0 || (await nextEvent(follower, options.pollMs ?? 250, options.signal));
        options.signal?.throwIfAborted();
        const failedNow: number[] = [];
        for (const e of follower.ended.splice(0)) {
          if (e.reply) done(e.index, e.reply, 'byEvent');
          else if (pending.has(e.index)) failedNow.push(e.index);
        }
        if (!heard || performance.now() - swept >= SWEEP_MS) {
          await check([...pending]);
          swept = performance.now();
        } else if (failedNow.length) await check(failedNow);
      }
    } catch (e) {
      await this.cancel(queue, runId, pending);
      throw e;
    } finally {
      this.followers.delete(runId);
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
    const readers = [...this.events.values()].map((ev) => ev.then((r) => r.close()).catch(() => {}));
    await Promise.all([this.queries.close().catch(() => {}), this.stats.close().catch(() => {}), ...readers]);
    closeRedisFamily(this.clients);
  }
}

/** Wait for the follower's next event (true), or `ms` without one (false), or the signal's abort. */
function nextEvent(follower: Follower, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (heard: boolean) => {
      clearTimeout(t);
      follower.wake = undefined;
      signal?.removeEventListener('abort', onAbort);
      resolve(heard);
    };
    const onAbort = () => finish(false);
    const t = setTimeout(() => finish(false), ms);
    follower.wake = () => finish(true);
    signal?.addEventListener('abort', onAbort);
  });
}
