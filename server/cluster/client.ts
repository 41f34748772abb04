/**
 * The client side of a cluster query: enqueue one BullMQ job per morsel, follow their states (polled, so a
 * Redis restart or a missed event loses nothing), and hand back the partial results in morsel order for the
 * session to merge. Results are kept by morsel index, so a morsel retried after a worker died counts once.
 * Cancelling removes the morsels no worker has started; running ones finish and are discarded.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { HepqError } from '../../exec/core/index.js';
import type { QueryResult } from '../../exec/index.js';
import type { MorselTask } from '../parallel/index.js';
import { closeRedisFamily, redisConnection } from '../transform/index.js';
import {
  decodeResult,
  describeMorsel,
  jobIdOf,
  type MorselJob,
  type MorselReply,
  morselError,
  QUERY_QUEUE,
} from './wire.js';

export interface ClusterRunOptions {
  readonly signal?: AbortSignal;
  /** Called as morsels complete: entries done of the total. */
  readonly onMorsel?: (entries: number) => void;
  /** Attempts per morsel before the query fails (default 3). */
  readonly attempts?: number;
  /** How often job states are read (default 50 ms). */
  readonly pollMs?: number;
}

/** A connection to a cluster's queue, kept by the session across queries. */
export class ClusterClient {
  private readonly clients = new Set<Redis>();
  private readonly queue: Queue<MorselJob, MorselReply>;

  constructor(readonly url: string) {
    this.queue = new Queue(QUERY_QUEUE, { connection: redisConnection(url, this.clients) });
    this.queue.on('error', () => {}); // reconnects are ioredis's; failures show as the states we poll
  }

  /** Workers listening on the queue now (0 when none: the physical plan then stays local). */
  async workers(): Promise<number> {
    try {
      return (await this.queue.getWorkers()).length;
    } catch {
      return 0;
    }
  }

  /** Run the morsels on the cluster's workers; the results in morsel order. */
  async run(tasks: readonly MorselTask[], options: ClusterRunOptions = {}): Promise<QueryResult[]> {
    const queryId = randomUUID();
    const count = tasks.length;
    const jobs: MorselJob[] = tasks.map((task, index) => ({ queryId, index, count, task }));
    await this.queue.addBulk(
      jobs.map((data) => ({ name: 'morsel', data, opts: this.jobOptions(queryId, data.index, options) })),
    );
    const results = new Map<number, QueryResult>();
    const pending = new Set(jobs.map((j) => j.index));
    try {
      while (pending.size) {
        options.signal?.throwIfAborted();
        for (const index of [...pending]) {
          const job = await Job.fromId<MorselJob, MorselReply>(this.queue, jobIdOf(queryId, index));
          if (!job) {
            // Gone: Redis restarted without persistence. The same job id again (a duplicate id is ignored).
            await this.queue
              .add('morsel', jobs[index]!, this.jobOptions(queryId, index, options))
              .catch(() => {});
            continue;
          }
          if (job.finishedOn && job.returnvalue) {
            const reply = job.returnvalue;
            if (!reply.ok) throw morselError(jobs[index]!, reply);
            if (!results.has(index)) {
              results.set(index, decodeResult(reply.result));
              options.onMorsel?.(tasks[index]!.range.stop - tasks[index]!.range.start);
            }
            pending.delete(index);
          } else if (job.finishedOn && job.failedReason && job.attemptsMade >= (job.opts.attempts ?? 1))
            throw new HepqError(
              'cluster/morsel-failed',
              `morsel ${index + 1} of ${count} (${describeMorsel(tasks[index]!)}) failed after ${job.attemptsMade} attempts: ${job.failedReason}`,
              {
                kind: 'resource',
                hint: 'the workers logs say more; a crash in hepq itself is a bug to report',
              },
            );
        }
        if (pending.size) await sleep(options.pollMs ?? 50, options.signal);
      }
    } catch (e) {
      await this.cancel(queryId, pending);
      throw e;
    }
    return jobs.map((j) => results.get(j.index)!);
  }

  private jobOptions(queryId: string, index: number, options: ClusterRunOptions) {
    return {
      jobId: jobIdOf(queryId, index),
      attempts: options.attempts ?? 3,
      backoff: { type: 'fixed' as const, delay: 200 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    };
  }

  /** Remove the morsels of a query that no worker has started. */
  private async cancel(queryId: string, pending: ReadonlySet<number>): Promise<void> {
    await Promise.all(
      [...pending].map(async (i) => {
        const job = await Job.fromId(this.queue, jobIdOf(queryId, i)).catch(() => undefined);
        if (job && (await job.isWaiting().catch(() => false))) await job.remove().catch(() => {});
      }),
    );
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => {});
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
