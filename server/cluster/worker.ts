/**
 * A cluster worker: pulls query morsels and statistics jobs (patches of a patchset) from Redis (BullMQ); a
 * morsel runs in a Session of its own, with the
 * files opened by path (a shared volume) or by http(s) URL. A user's error in a morsel (a bad query, a corrupt
 * file) is answered at once, never retried; a crash or a killed worker leaves the job to BullMQ's stalled-job
 * check, which hands it to another worker.
 */
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { HepqError } from '../../exec/core/index.js';
import { jobRunner, type WorkerInit } from '../../stats/index.js';
import { runMorselTask } from '../parallel/index.js';
import { Session } from '../session.js';
import { closeRedisFamily, redisConnection } from '../transform/index.js';
import {
  encodeResult,
  encodeValue,
  type MorselJob,
  type MorselReply,
  QUERY_QUEUE,
  STATS_QUEUE,
  type StatsClusterJob,
  type StatsReply,
} from './wire.js';

export interface ClusterWorkerOptions {
  readonly url: string;
  readonly name?: string;
  /** Morsels at once in this process (default 1: one core each). */
  readonly concurrency?: number;
  /** A worker silent this long is presumed dead; its morsel goes to another (default 30 s). */
  readonly lockMs?: number;
  /** Fault drills only: wait this long before each morsel. */
  readonly throttleMs?: number;
  readonly log?: (line: string) => void;
}

export interface ClusterWorkerHandle {
  readonly name: string;
  close(): Promise<void>;
}

export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorkerHandle> {
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const log = options.log ?? (() => {});
  const session = new Session({ threads: 1, device: 'cpu' });
  const clients = new Set<Redis>();
  const worker = new Worker<MorselJob, MorselReply>(
    QUERY_QUEUE,
    async (job) => {
      const { queryId, index, count, task } = job.data;
      if (options.throttleMs) await new Promise((r) => setTimeout(r, options.throttleMs));
      log(
        `${name}: morsel ${queryId}_${index} (${index + 1}/${count}) entries ${task.range.start}..${task.range.stop}`,
      );
      try {
        return { ok: true, worker: name, result: encodeResult(await runMorselTask(session, task)) };
      } catch (e) {
        // hepq's own errors are the query's answer (the same on any worker): reported, not retried.
        if (e instanceof HepqError && e.kind !== 'internal')
          return {
            ok: false,
            worker: name,
            error: {
              message: e.message,
              code: e.code,
              ...(e.hint ? { hint: e.hint } : {}),
              ...(e.span ? { span: e.span } : {}),
            },
          };
        throw e; // a crash: BullMQ retries it (on this worker or another)
      }
    },
    {
      connection: redisConnection(options.url, clients),
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockMs ?? 30_000,
      stalledInterval: Math.max(500, Math.floor((options.lockMs ?? 30_000) / 2)),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (e) => log(`${name}: queue error: ${e.message}`));

  // Statistics jobs: the workspace of a run is read from Redis once and compiled once per worker.
  const kv = new Redis(options.url, { maxRetriesPerRequest: null });
  kv.on('error', () => {});
  clients.add(kv);
  const runners = new Map<string, ReturnType<typeof jobRunner>>();
  const stats = new Worker<StatsClusterJob, StatsReply>(
    STATS_QUEUE,
    async (job) => {
      const { initKey, index, count, job: statsJob } = job.data;
      if (options.throttleMs) await new Promise((r) => setTimeout(r, options.throttleMs));
      log(`${name}: stats job ${job.id} (${index + 1}/${count})`);
      try {
        let run = runners.get(initKey);
        if (!run) {
          const text = await kv.get(initKey);
          if (!text) throw new Error(`the workspace of this run (${initKey}) is no longer in Redis`);
          if (runners.size >= 8) runners.clear();
          run = jobRunner(JSON.parse(text) as WorkerInit);
          runners.set(initKey, run);
        }
        return { ok: true, worker: name, value: encodeValue(run(statsJob).value) };
      } catch (e) {
        if (e instanceof HepqError && e.kind !== 'internal')
          return {
            ok: false,
            worker: name,
            error: { message: e.message, code: e.code, ...(e.hint ? { hint: e.hint } : {}) },
          };
        throw e;
      }
    },
    {
      connection: redisConnection(options.url, clients),
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockMs ?? 30_000,
      stalledInterval: Math.max(500, Math.floor((options.lockMs ?? 30_000) / 2)),
      maxStalledCount: 3,
    },
  );
  stats.on('error', (e) => log(`${name}: queue error: ${e.message}`));
  await Promise.all([worker.waitUntilReady(), stats.waitUntilReady()]);
  return {
    name,
    async close() {
      await Promise.all([worker.close(), stats.close()]);
      closeRedisFamily(clients);
      await session.close();
    },
  };
}
