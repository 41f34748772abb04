/**
 * Runs a SQL stats table function (a HistFactory fit, CLs, a limit) on a worker thread of its own, so the
 * server's event loop keeps answering while it runs and a timeout or a client that goes away stops it
 * (the thread is terminated). Where the worker entry is not beside this module, it runs here instead.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Column, HepqError, type Schema } from '../../exec/batch/index.js';
import type { StatsFunctionArgs } from '../../stats/index.js';

export interface StatsRows {
  readonly schema: Schema;
  readonly columns: readonly Column[];
  readonly length: number;
}

const fromSource = import.meta.url.endsWith('.ts');
const entry = new URL(fromSource ? './stats-worker.ts' : './sql-stats-worker.js', import.meta.url);

/** Whether the worker entry exists (a bundle without it runs the functions in this thread). */
export const STATS_WORKER_AVAILABLE = existsSync(fileURLToPath(entry));

/** Fits running at once (one core each); later ones wait their turn. */
const MAX_RUNNING = Math.max(1, availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];

/** A turn to run, and the function that gives it back (rejects when `signal` aborts first). */
function turn(signal?: AbortSignal): Promise<() => void> {
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  if (running < MAX_RUNNING) {
    running++;
    return Promise.resolve(release);
  }
  return new Promise((resolve, reject) => {
    const go = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(release);
    };
    const onAbort = () => {
      const at = waiting.indexOf(go);
      if (at >= 0) waiting.splice(at, 1);
      reject(
        new HepqError('sql/cancelled', 'the fit was stopped before it started', { cause: signal?.reason }),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    waiting.push(go);
  });
}

/**
 * The rows of stats function `name` on `args`, computed on a worker thread (at most one per core at once);
 * rejects when `signal` aborts, terminating the thread.
 */
export async function statsOffThread(
  name: string,
  args: StatsFunctionArgs,
  signal?: AbortSignal,
): Promise<StatsRows> {
  signal?.throwIfAborted();
  const release = await turn(signal);
  try {
    return await runWorker(name, args, signal);
  } finally {
    release();
  }
}

function runWorker(name: string, args: StatsFunctionArgs, signal?: AbortSignal): Promise<StatsRows> {
  signal?.throwIfAborted();
  const code = fromSource
    ? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`
    : `import(${JSON.stringify(entry.href)})`;
  const worker = new Worker(code, { eval: true, workerData: { name, args } });
  return new Promise<StatsRows>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
      void worker.terminate();
    };
    const onAbort = () =>
      settle(() =>
        reject(new HepqError('sql/cancelled', `${name}() was stopped`, { cause: signal?.reason })),
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: StatsRows | { error: { code?: string; message: string; hint?: string } }) =>
      settle(() => {
        if ('error' in m)
          reject(
            new HepqError(m.error.code ?? 'stats/failed', m.error.message, {
              ...(m.error.hint ? { hint: m.error.hint } : {}),
            }),
          );
        else resolve(m);
      }),
    );
    worker.once('error', (e) =>
      settle(() => reject(new HepqError('sql/stats-worker', `${name}() failed: ${e.message}`, { cause: e }))),
    );
    worker.once('exit', (c) =>
      settle(() =>
        reject(new HepqError('sql/stats-worker', `${name}() stopped without a result (exit ${c})`)),
      ),
    );
  });
}
