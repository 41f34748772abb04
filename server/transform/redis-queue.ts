/**
 * Scale-out over Redis (BullMQ): the server's `RedisDispatcher` enqueues one job per file (job id
 * `<request>_<index>`, so a re-enqueue never duplicates) and reconciles the store by polling job states;
 * `startQueueWorker` (the `hepq worker` process) pulls jobs, writes outputs to the shared results folder, and
 * reports back through the job's return value. Retries with backoff for crashes and timeouts; data errors are
 * unrecoverable (no retry); jobs that exhaust their attempts are copied to the dead-letter queue. A worker
 * killed mid-file loses its lock and the job is moved back to the queue (stalled-job check) for another worker.
 */
import { hostname } from 'node:os';
import { createIORedisClient, type IRedisClient, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { HepqError } from '../../exec/batch/index.js';
import { type Dispatcher, type DispatchHost, failureText, sleep } from './dispatcher.js';
import { runFileJob } from './file-job.js';
import type { FileJob, FileJobResult } from './types.js';

export const QUEUE_NAME = 'hepq-transform';
export const DEAD_QUEUE_NAME = 'hepq-transform-dead';

/**
 * A fresh BullMQ connection for a `redis://[user:pass@]host:port[/db]` URL (one per queue or worker). Clients
 * made for the same `family` (a Set the caller keeps) can all be closed at once with `closeRedisFamily`.
 */
export function redisConnection(url: string, family: Set<Redis> = new Set()): IRedisClient {
  if (!/^redis:\/\//.test(url))
    throw new HepqError('servicex/queue', `queue URL '${url}' is not a redis:// URL`, {
      hint: 'e.g. --queue redis://127.0.0.1:6379 (TLS, rediss://, is not supported)',
    });
  // ioredis, as BullMQ expects it: no per-command retry limit (blocking commands wait for reconnects).
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on('error', () => {}); // reported through the queue's and worker's own 'error' events
  family.add(client);
  return createIORedisClient(client);
}

/** Close every connection of a family at once (after BullMQ's own close, or instead of it when Redis hangs). */
export function closeRedisFamily(family: Set<Redis>): void {
  for (const c of [...family]) c.disconnect();
  family.clear();
}

const jobId = (j: { requestId: string; index: number }) => `${j.requestId}_${j.index}`;

export interface RedisDispatcherOptions {
  readonly url: string;
  /** Attempts per file before it fails (default 3). */
  readonly attempts?: number;
  /** How often the server reconciles job states (default 250 ms). */
  readonly pollMs?: number;
  /** Where reconcile problems are reported (default: standard error, once per distinct message in a row). */
  readonly log?: (line: string) => void;
}

function isResult(v: unknown): v is FileJobResult {
  const r = v as FileJobResult | null | undefined;
  return typeof r === 'object' && r !== null && typeof r.bytes === 'number' && typeof r.events === 'number';
}

/** The server side: enqueue file jobs and fold their outcomes into the store. */
export class RedisDispatcher implements Dispatcher {
  readonly kind = 'redis';
  private queue: Queue;
  private clients = new Set<Redis>();
  private readonly url: string;
  private readonly attempts: number;
  private readonly pollMs: number;
  private host: DispatchHost | undefined;
  /** Jobs not yet reported finished, by job id. */
  private readonly pending = new Map<string, { job: FileJob; started: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;
  lastError: string | undefined;
  private lastLogged: string | undefined;
  private readonly logLine: (line: string) => void;

  constructor(options: RedisDispatcherOptions) {
    this.url = options.url;
    this.logLine = options.log ?? ((line) => process.stderr.write(`hepq servicex: ${line}\n`));
    this.queue = this.openQueue();
    this.attempts = options.attempts ?? 3;
    this.pollMs = options.pollMs ?? 250;
  }

  private openQueue(): Queue {
    this.clients = new Set<Redis>();
    const queue = new Queue(QUEUE_NAME, { connection: redisConnection(this.url, this.clients) });
    queue.on('error', (e) => {
      this.lastError = String(e);
    });
    return queue;
  }

  private log(line: string): void {
    if (line === this.lastLogged) return;
    this.lastLogged = line;
    this.logLine(line);
  }

  async attach(host: DispatchHost): Promise<void> {
    this.host = host;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  async dispatch(jobs: readonly FileJob[]): Promise<void> {
    // In bulk (one round trip per 500 jobs: a restarted server re-dispatches thousands at once). Tracked only
    // once added: a reconcile round must not see a job missing and add it a second time. An id already in
    // the queue is left as it is (BullMQ does not add a job twice).
    for (let i = 0; i < jobs.length; i += 500) {
      const chunk = jobs.slice(i, i + 500);
      await this.queue.addBulk(chunk.map((job) => ({ name: 'file', data: job, opts: this.jobOptions(job) })));
      for (const job of chunk) this.pending.set(jobId(job), { job, started: false });
    }
  }

  private jobOptions(job: FileJob) {
    return {
      jobId: jobId(job),
      attempts: this.attempts,
      backoff: { type: 'exponential' as const, delay: 500 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    };
  }

  private async enqueue(job: FileJob): Promise<void> {
    await this.queue.add('file', job, this.jobOptions(job));
  }

  /** Fold job states into the store; re-enqueue jobs Redis lost (a restart without persistence). */
  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    // A poll round that Redis does not answer in time is abandoned (the next round starts afresh).
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), 10_000);
    });
    const stuck = await Promise.race([this.reconcile().then(() => false), late]);
    clearTimeout(timer);
    if (stuck && !this.closed) {
      // A connection that stops answering is replaced (the old one is closed, its commands fail).
      this.lastError = 'a reconcile round got no answer from Redis in 10 s: reconnected';
      const old = { queue: this.queue, clients: this.clients };
      this.queue = this.openQueue();
      closeRedisFamily(old.clients);
      void old.queue.close().catch(() => {});
    }
    this.polling = false;
  }

  /**
   * One reconcile round. The state is read first and the job's record after it: BullMQ writes the return value
   * (or failure reason) and moves the job to completed (failed) in one script, so a job seen completed is read
   * back with its return value. (Read the other way round, a job completing in between looked completed with
   * the snapshot's null return value, and its completion was lost.)
   */
  private async reconcile(): Promise<void> {
    try {
      const entries = [...this.pending];
      // States in parallel batches (one pipelined round trip per batch, not one per job).
      const states: string[] = [];
      for (let i = 0; i < entries.length; i += 200)
        states.push(
          ...(await Promise.all(entries.slice(i, i + 200).map(([id]) => this.queue.getJobState(id)))),
        );
      for (const [k, [id, entry]] of entries.entries()) {
        if (this.closed) return;
        const state = states[k];
        if (state === 'unknown') {
          await this.enqueue(entry.job);
          continue;
        }
        if (state === 'active' && !entry.started) {
          entry.started = true;
          this.host!.fileStarted(entry.job.requestId, entry.job.index);
        } else if (state === 'completed' || state === 'failed') {
          const job = await Job.fromId<FileJob, FileJobResult>(this.queue, id);
          if (state === 'completed') {
            const result = job?.returnvalue;
            if (!isResult(result)) {
              // Left pending (tried again next round), but said: a silent stall is what this replaced.
              this.log(
                `job ${id} is completed but its result is missing or malformed: ${JSON.stringify(result)}`,
              );
              continue;
            }
            this.pending.delete(id);
            this.host!.fileDone(entry.job.requestId, entry.job.index, result);
          } else {
            this.pending.delete(id);
            this.host!.fileFailed(entry.job.requestId, entry.job.index, job?.failedReason || 'failed');
          }
        }
      }
      this.lastError = undefined;
    } catch (e) {
      this.lastError = String(e); // Redis unreachable: try again on the next tick
      this.log(`reconcile: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  async cancel(requestId: string): Promise<void> {
    for (const [id, entry] of [...this.pending]) {
      if (entry.job.requestId !== requestId) continue;
      this.pending.delete(id);
      const job = await Job.fromId(this.queue, id).catch(() => undefined);
      // An active job holds its lock and cannot be removed: it finishes, and its output stays unlisted.
      if (job && (await job.getState()) !== 'active') await job.remove().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.race([this.queue.close(), sleep(5000)]);
    closeRedisFamily(this.clients);
  }
}

export interface QueueWorkerOptions {
  readonly url: string;
  readonly concurrency?: number;
  /** Lock duration: a worker silent this long is presumed dead and its job re-queued (default 30 s). */
  readonly lockMs?: number;
  /** Abort a file job after this many ms (default 10 minutes); it is then retried. */
  readonly timeoutMs?: number;
  /** Fault drills and demos only: wait this long before each file job. */
  readonly throttleMs?: number;
  readonly name?: string;
  readonly log?: (line: string) => void;
}

export interface QueueWorkerHandle {
  readonly name: string;
  close(): Promise<void>;
}

/** Start a worker pulling file jobs from the queue (the body of `hepq worker`). */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 600_000;
  const throttleMs = options.throttleMs ?? 0;
  const clients = new Set<Redis>();
  const dead = new Queue(DEAD_QUEUE_NAME, { connection: redisConnection(options.url, clients) });
  dead.on('error', () => {});
  const worker = new Worker<FileJob, FileJobResult & { worker: string }>(
    QUEUE_NAME,
    async (job, _token, signal) => {
      const data = job.data;
      const ctl = new AbortController();
      const timer = setTimeout(
        () => ctl.abort(new Error(`file job exceeded ${timeoutMs} ms on worker ${name}`)),
        timeoutMs,
      );
      signal?.addEventListener('abort', () => ctl.abort(signal.reason), { once: true });
      try {
        log(`${name}: ${job.id} ${data.input} (attempt ${job.attemptsMade + 1})`);
        if (throttleMs) await sleep(throttleMs, ctl.signal);
        const result = await runFileJob(data, { signal: ctl.signal });
        return { ...result, worker: name };
      } catch (err) {
        if (err instanceof HepqError && !ctl.signal.aborted) throw new UnrecoverableError(failureText(err));
        throw ctl.signal.aborted && ctl.signal.reason instanceof Error ? ctl.signal.reason : err;
      } finally {
        clearTimeout(timer);
      }
    },
    {
      connection: redisConnection(options.url, clients),
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockMs ?? 30_000,
      stalledInterval: Math.max(500, Math.floor((options.lockMs ?? 30_000) / 2)),
      maxStalledCount: 2,
      runRetryDelay: 1000, // back to work within a second once Redis is reachable again (default 15 s)
      name,
    },
  );
  worker.on('error', (e) => log(`${name}: redis: ${String(e)}`));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final =
      err instanceof UnrecoverableError ||
      err.name === 'UnrecoverableError' ||
      job.attemptsMade >= (job.opts.attempts ?? 1);
    log(
      `${name}: ${job.id} failed${final ? ' (dead-lettered)' : ', will retry'}: ${err.message.split('\n')[0]}`,
    );
    if (final)
      void dead
        .add('dead', { ...job.data, error: err.message, worker: name }, { jobId: job.id! })
        .catch(() => {});
  });
  await worker.waitUntilReady();
  return {
    name,
    async close() {
      // Finish the running job, then stop; a blocking fetch that does not return in time is cut off.
      const closing = worker
        .close()
        .then(() => dead.close())
        .catch(() => {});
      await Promise.race([closing, sleep(5000)]);
      closeRedisFamily(clients);
    },
  };
}
