/**
 * The default dispatcher: an in-process pool running up to `concurrency` file jobs at once, with a per-job
 * timeout and retries for unexpected (non-data) failures. A data error (missing branch, corrupt file) fails
 * the file at once: running it again would fail the same way.
 */
import { HepqError } from '../../exec/batch/index.js';
import { type Dispatcher, type DispatchHost, failureText, sleep } from './dispatcher.js';
import { runFileJob } from './file-job.js';
import type { FileJob } from './types.js';

export interface LocalPoolOptions {
  /** File jobs run at once (default 2). */
  readonly concurrency?: number;
  /** Abort a file job after this many ms (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Attempts per file for unexpected failures (default 2). */
  readonly attempts?: number;
  /** Fault drills and demos only: wait this long before each file job. */
  readonly throttleMs?: number;
}

interface Entry {
  readonly job: FileJob;
  attempt: number;
}

export class LocalPool implements Dispatcher {
  readonly kind = 'local';
  private host: DispatchHost | undefined;
  private readonly queue: Entry[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly throttleMs: number;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(options: LocalPoolOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.attempts = Math.max(1, options.attempts ?? 2);
    this.throttleMs = options.throttleMs ?? 0;
  }

  async attach(host: DispatchHost): Promise<void> {
    this.host = host;
  }

  async dispatch(jobs: readonly FileJob[]): Promise<void> {
    for (const job of jobs) this.queue.push({ job, attempt: 0 });
    this.pump();
  }

  async cancel(requestId: string): Promise<void> {
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (this.queue[i]!.job.requestId === requestId) this.queue.splice(i, 1);
    for (const [key, ctl] of this.running)
      if (key.startsWith(`${requestId}/`)) ctl.abort(new HepqError('servicex/canceled', 'request canceled'));
  }

  /** Resolves when no job is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const ctl of this.running.values())
      ctl.abort(new HepqError('servicex/shutdown', 'server shutting down'));
    await this.idle();
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      const key = `${entry.job.requestId}/${entry.job.index}`;
      const ctl = new AbortController();
      this.running.set(key, ctl);
      void this.run(entry, ctl).finally(() => {
        this.running.delete(key);
        this.pump();
        if (this.queue.length === 0 && this.running.size === 0)
          for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async run(entry: Entry, ctl: AbortController): Promise<void> {
    const { job } = entry;
    const host = this.host!;
    const timer = setTimeout(
      () => ctl.abort(new HepqError('servicex/timeout', `file job exceeded ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    try {
      host.fileStarted(job.requestId, job.index);
      if (this.throttleMs) await sleep(this.throttleMs, ctl.signal);
      const result = await runFileJob(job, { signal: ctl.signal });
      ctl.signal.throwIfAborted();
      host.fileDone(job.requestId, job.index, result);
    } catch (err) {
      const reason = ctl.signal.aborted ? ctl.signal.reason : err;
      const code = reason instanceof HepqError ? reason.code : '';
      if (code === 'servicex/canceled' || code === 'servicex/shutdown') return;
      entry.attempt++;
      if (!(reason instanceof HepqError) && entry.attempt < this.attempts && !this.closed) {
        this.queue.push(entry);
        return;
      }
      host.fileFailed(job.requestId, job.index, failureText(reason));
    } finally {
      clearTimeout(timer);
    }
  }
}
