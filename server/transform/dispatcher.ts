/** The seam between the transform service and whatever runs file jobs (the in-process pool or a Redis queue). */
import type { FileJob, FileJobResult } from './types.js';

/** Callbacks a dispatcher reports job progress through (the service owns the records). */
export interface DispatchHost {
  fileStarted(requestId: string, index: number): void;
  fileDone(requestId: string, index: number, result: FileJobResult): void;
  fileFailed(requestId: string, index: number, message: string): void;
}

export interface Dispatcher {
  readonly kind: string;
  /** Called once by the service before any dispatch. */
  attach(host: DispatchHost): Promise<void>;
  /** Queue the jobs of one request (each job runs the request's selection through a `Session`). */
  dispatch(jobs: readonly FileJob[]): Promise<void>;
  /** Stop the unfinished jobs of a request (running ones are aborted where possible, their output dropped). */
  cancel(requestId: string): Promise<void>;
  close(): Promise<void>;
}

/** Sleep `ms`, ending early (with the abort reason) when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The message of a job failure as shown in the status (a HepqError's full rendering). */
export function failureText(err: unknown): string {
  if (err instanceof Error && typeof (err as { render?: unknown }).render === 'function')
    return (err as unknown as { render(): string }).render();
  return err instanceof Error ? err.message : String(err);
}
