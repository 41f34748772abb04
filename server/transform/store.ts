/**
 * The embedded job store: one JSON document per request under `<dir>/requests/`, replaced atomically
 * (write a temp file, fsync, rename) on every change, so a crash leaves either the old or the new record.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { HepqError } from '../../exec/batch/index.js';
import type { TransformRecord } from './types.js';

/** Write `text` to `path` atomically: a reader sees the previous content or the whole new one, never a part. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class JobStore {
  readonly dir: string;
  private readonly records = new Map<string, TransformRecord>();

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(this.requestsDir, { recursive: true });
    mkdirSync(this.resultsRoot, { recursive: true });
    for (const name of readdirSync(this.requestsDir)) {
      if (!name.endsWith('.json')) {
        if (name.includes('.tmp-')) rmSync(join(this.requestsDir, name), { force: true });
        continue;
      }
      const path = join(this.requestsDir, name);
      try {
        const rec = JSON.parse(readFileSync(path, 'utf8')) as TransformRecord;
        this.records.set(rec.id, rec);
      } catch (err) {
        throw new HepqError('servicex/store', `job store record ${path} is unreadable: ${String(err)}`, {
          hint: 'move the file away to start without that request',
        });
      }
    }
  }

  get requestsDir(): string {
    return join(this.dir, 'requests');
  }

  get resultsRoot(): string {
    return join(this.dir, 'results');
  }

  /** The folder holding a request's output files. */
  resultsDir(id: string): string {
    return join(this.resultsRoot, id);
  }

  get(id: string): TransformRecord | undefined {
    return this.records.get(id);
  }

  all(): TransformRecord[] {
    return [...this.records.values()].sort((a, b) => a.submitTime.localeCompare(b.submitTime));
  }

  /** Persist a new or changed record. */
  save(rec: TransformRecord): void {
    this.records.set(rec.id, rec);
    writeFileAtomic(join(this.requestsDir, `${rec.id}.json`), JSON.stringify(rec));
  }

  /** Forget a request and delete its results. */
  delete(id: string): void {
    this.records.delete(id);
    rmSync(join(this.requestsDir, `${id}.json`), { force: true });
    rmSync(this.resultsDir(id), { recursive: true, force: true });
  }
}
