/**
 * `generateEventsParallel`: the same stream as `generateEvents` (same seed → same batches, in order), with the
 * clusters generated on worker threads while the caller writes the previous ones.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type GenerateOptions, generateEvents } from '../../connectors/synthetic/index.js';
import type { Batch, BatchStream } from '../../exec/batch/index.js';
import { WorkerPool } from '../../exec/parallel/index.js';
import type { GenerateTask } from './generate-worker.js';

/** The worker module: the TypeScript source beside this file, or `generate-worker.js` beside the bundle chunk. */
function workerUrl(): URL | undefined {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './generate-worker.ts' : './generate-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

export interface ParallelGenerateOptions extends GenerateOptions {
  /** Worker threads generating clusters (0: generate on the calling thread). */
  readonly workers?: number;
}

export function generateEventsParallel(options: ParallelGenerateOptions): BatchStream {
  const serial = generateEvents(options); // validates the options and knows the schema
  const workers = options.workers ?? 0;
  const url = workerUrl();
  if (workers < 1 || !url || options.events === 0) return serial;
  const batchSize = options.batchSize ?? 100_000;
  const clusters = Math.ceil(options.events / batchSize);
  const task = (index: number): GenerateTask => ({
    schema: options.schema ?? 'adl',
    seed: options.seed ?? 1,
    index,
    first: index * batchSize,
    n: Math.min(batchSize, options.events - index * batchSize),
    columnOrder: options.columnOrder ?? 'root',
    ...(options.process ? { process: options.process } : {}),
  });
  return {
    schema: serial.schema,
    async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
      const pool = new WorkerPool(url, workers);
      const inflight: Promise<Batch>[] = [];
      let next = 0;
      const launch = () => {
        const p = pool.run<Batch>(task(next++), options.signal);
        p.catch(() => {}); // awaited in order below; a stream closed early must not leave rejections unhandled
        inflight.push(p);
      };
      try {
        while (next < clusters && inflight.length < workers + 1) launch();
        while (inflight.length) {
          const batch = await inflight.shift()!;
          if (next < clusters) launch();
          yield batch;
        }
      } finally {
        await pool.close();
      }
    },
  };
}
