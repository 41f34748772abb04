/**
 * A small pool of persistent worker threads running one module. Tasks queue until a worker is free; results come
 * back in the order asked for by the caller (each task has its own promise). Typed arrays move as transferables.
 * From TypeScript sources (tests, tsx) workers register tsx's loader before importing the module.
 */
import { Worker } from 'node:worker_threads';
import { HepqError } from '../../exec/batch/index.js';

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

export interface WorkerReply {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: { message: string; code?: string; hint?: string; span?: { start: number; end: number } };
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ id: number; task: unknown }> = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private closed = false;

  constructor(
    readonly module: URL,
    readonly size: number,
  ) {}

  private spawn(): Worker {
    const fromSource = this.module.pathname.endsWith('.ts');
    const href = JSON.stringify(this.module.href);
    const code = fromSource
      ? `import('tsx/esm/api').then((m) => { m.register(); return import(${href}); })`
      : `import(${href})`;
    const w = new Worker(code, { eval: true });
    w.unref();
    w.on('message', (m: WorkerReply) => this.reply(w, m));
    w.on('error', (e) => this.fail(w, e));
    w.on('exit', (code) => {
      if (!this.closed && code !== 0) this.fail(w, new Error(`worker exited with code ${code}`));
    });
    this.workers.push(w);
    return w;
  }

  private reply(w: Worker, m: WorkerReply): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    this.busy.delete(w);
    this.idle.push(w);
    if (p) {
      if (m.error) {
        const { message, code, hint, span } = m.error;
        p.reject(
          new HepqError(code ?? 'exec/worker', message, {
            ...(hint ? { hint } : {}),
            ...(span ? { span } : {}),
          }),
        );
      } else p.resolve(m.value);
    }
    this.pump();
  }

  private fail(w: Worker, e: Error): void {
    const id = this.busy.get(w);
    this.busy.delete(w);
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    const j = this.idle.indexOf(w);
    if (j >= 0) this.idle.splice(j, 1);
    if (id !== undefined) {
      const p = this.pending.get(id);
      this.pending.delete(id);
      p?.reject(new HepqError('exec/worker', `a query worker failed: ${e.message}`, { cause: e }));
    }
    this.pump();
  }

  private pump(): void {
    while (this.queue.length && !this.closed) {
      let w = this.idle.pop();
      if (!w && this.workers.length < this.size) w = this.spawn();
      if (!w) return;
      const { id, task } = this.queue.shift()!;
      this.busy.set(w, id);
      w.ref();
      w.postMessage({ id, task });
    }
    for (const w of this.idle) w.unref();
  }

  /** Run one task on the next free worker. */
  run<T>(task: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new HepqError('exec/worker', 'the worker pool is closed'));
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
    this.queue.push({ id, task });
    this.pump();
    return done;
  }

  /** Drop queued tasks of a cancelled query (running ones finish and are discarded). */
  cancel(reason: unknown): void {
    for (const { id } of this.queue.splice(0)) {
      this.pending.get(id)?.reject(reason);
      this.pending.delete(id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancel(new HepqError('exec/worker', 'the worker pool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
