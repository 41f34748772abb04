/**
 * The transform service: accepts requests (selection checked synchronously), splits them into one job per
 * input file, tracks each file in the persistent store, serves the listing of finished outputs, and resumes
 * unfinished requests after a restart (files already done are not redone).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HepqError } from '../../exec/batch/index.js';
import { type LogicalPlan, planChain } from '../../planner/ir/index.js';
import { Session } from '../session.js';
import { isoToMicros, VisibleClock } from './clock.js';
import { confineInputs, confineUrls, outputName, resolveDataset } from './dataset.js';
import type { Dispatcher, DispatchHost } from './dispatcher.js';
import { LocalPool } from './local-pool.js';
import { checkCodegen, compileSelection, refuseScalar } from './selection.js';
import { JobStore } from './store.js';
import {
  type FileJob,
  type FileJobResult,
  type FileRecord,
  type ResultFormat,
  TERMINAL,
  type TransformRecord,
  type TransformSubmission,
} from './types.js';

export interface TransformServiceOptions {
  /** Folder of the job store and the results (shared with queue workers in a scaled-out deployment). */
  readonly dataDir: string;
  /** Runs the file jobs; an in-process `LocalPool` by default. */
  readonly dispatcher?: Dispatcher;
  /** Local inputs must lie under these folders (a server exposed to others sets its data roots). */
  readonly inputRoots?: readonly string[];
  /** http(s) inputs must start with one of these (none by default: URL inputs are refused). */
  readonly allowUrlPrefixes?: readonly string[];
  /**
   * Answer a request equal to an earlier `Complete` one (same selection, inputs, tree, format and title) with
   * the earlier id. Off by default, as on a ServiceX server: the python client keeps its own cache, and
   * resubmits on purpose when told to ignore it.
   */
  readonly reuseResults?: boolean;
}

/** One finished output file of a request. */
export interface ResultEntry {
  readonly name: string;
  readonly input: string;
  readonly path: string;
  readonly bytes: number;
  readonly events: number;
  readonly seconds: number;
  readonly createdAt: string;
}

export class TransformService implements DispatchHost {
  readonly store: JobStore;
  readonly dispatcher: Dispatcher;
  private readonly inputRoots: readonly string[] | undefined;
  private readonly allowUrlPrefixes: readonly string[];
  private readonly reuseResults: boolean;
  private readonly clock = new VisibleClock();
  private started = false;

  constructor(options: TransformServiceOptions) {
    this.store = new JobStore(options.dataDir);
    this.inputRoots = options.inputRoots;
    this.allowUrlPrefixes = options.allowUrlPrefixes ?? [];
    this.reuseResults = options.reuseResults ?? false;
    this.dispatcher = options.dispatcher ?? new LocalPool();
    for (const rec of this.store.all()) for (const f of rec.files) this.clock.observe(f.createdAt);
  }

  /** Attach the dispatcher and resume every unfinished request. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.dispatcher.attach(this);
    for (const rec of this.store.all()) {
      this.clearTemps(rec.id);
      if (TERMINAL.has(rec.status)) continue;
      const todo = rec.files.filter((f) => f.state !== 'done' && f.state !== 'failed');
      for (const f of todo) f.state = 'pending';
      this.store.save(rec);
      await this.dispatchFiles(rec, todo);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Validate and enqueue a request; returns its id (an earlier equal request's id when cached). */
  async submit(sub: TransformSubmission): Promise<string> {
    await this.start(); // a dispatcher reports to its host: attach it before the first job
    const format = checkFormat(sub.resultFormat);
    const codegen = checkCodegen(sub.codegen);
    const inputs = resolveDataset(sub.did, sub.fileList);
    confineUrls(inputs, this.allowUrlPrefixes);
    confineInputs(inputs, this.inputRoots);
    const sel = compileSelection(sub.selection, codegen);
    const tree = sub.treeName?.trim() ? sub.treeName.trim() : (sourceTree(sel.plan) ?? null);
    await this.checkAgainstFirstInput(inputs, tree, sub.selection);
    const cacheKey = createHash('sha256')
      .update(JSON.stringify([sel.normalized, inputs, tree, format, sub.title ?? null]))
      .digest('hex');
    if (this.reuseResults && !sub.ignoreCache) {
      const hit = this.store
        .all()
        .reverse()
        .find((r) => r.cacheKey === cacheKey && r.status === 'Complete' && this.resultsIntact(r));
      if (hit) return hit.id;
    }
    const id = randomUUID();
    const files: FileRecord[] = inputs.map((input, index) => ({
      index,
      input,
      output: outputName(index, input, format),
      state: 'pending',
      attempts: 0,
    }));
    const rec: TransformRecord = {
      id,
      title: sub.title ?? null,
      did: sub.did ?? `file-list:${inputs.length}`,
      selection: sub.selection,
      codegen,
      treeName: tree,
      resultFormat: format,
      resultDestination: sub.resultDestination ?? 'object-store',
      cacheKey,
      status: 'Submitted',
      submitTime: new Date().toISOString(),
      finishTime: null,
      files,
    };
    this.store.save(rec);
    await this.dispatchFiles(rec, files);
    return id;
  }

  get(id: string): TransformRecord {
    const rec = this.store.get(id);
    if (!rec) throw new HepqError('servicex/not-found', `no transformation with id '${id}'`);
    return rec;
  }

  list(): TransformRecord[] {
    return this.store.all();
  }

  /**
   * Finished output files, in the order they became visible; `laterThanMicros` (µs since the epoch) keeps only
   * those that became visible after it.
   */
  results(id: string, laterThanMicros?: number): ResultEntry[] {
    const rec = this.get(id);
    const dir = this.store.resultsDir(id);
    return rec.files
      .filter(
        (f) =>
          f.state === 'done' &&
          (laterThanMicros === undefined || (isoToMicros(f.createdAt!) ?? 0) > laterThanMicros),
      )
      .map((f) => ({
        name: f.output,
        input: f.input,
        path: join(dir, f.output),
        bytes: f.bytes ?? 0,
        events: f.events ?? 0,
        seconds: f.seconds ?? 0,
        createdAt: f.createdAt!,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The path of a listed output file, or undefined when the name is not a finished output of that request. */
  resultPath(id: string, name: string): string | undefined {
    const rec = this.store.get(id);
    const f = rec?.files.find((x) => x.output === name && x.state === 'done');
    return f ? join(this.store.resultsDir(id), f.output) : undefined;
  }

  async cancel(id: string): Promise<TransformRecord> {
    const rec = this.get(id);
    if (TERMINAL.has(rec.status)) return rec;
    rec.status = 'Canceled';
    rec.finishTime = new Date().toISOString();
    for (const f of rec.files) if (f.state === 'pending' || f.state === 'running') f.state = 'canceled';
    this.store.save(rec);
    await this.dispatcher.cancel(id);
    return rec;
  }

  async delete(id: string): Promise<void> {
    await this.cancel(id);
    this.store.delete(id);
  }

  // DispatchHost: the dispatcher reports here; every change is persisted before it becomes visible.

  fileStarted(id: string, index: number): void {
    const rec = this.store.get(id);
    const f = rec?.files[index];
    if (!rec || !f || TERMINAL.has(rec.status) || f.state === 'done' || f.state === 'failed') return;
    f.state = 'running';
    f.attempts++;
    if (rec.status === 'Submitted') rec.status = 'Running';
    this.store.save(rec);
  }

  fileDone(id: string, index: number, result: FileJobResult): void {
    const rec = this.store.get(id);
    const f = rec?.files[index];
    if (!rec || !f) return;
    if (rec.status === 'Canceled' || f.state === 'done' || f.state === 'failed') {
      // Finished after a cancel (or a duplicate report): the file was never listed; drop it.
      if (rec.status === 'Canceled' && f.state !== 'done')
        rmSync(join(this.store.resultsDir(id), f.output), { force: true });
      return;
    }
    // created_at is when the file becomes listed (strictly increasing), not when it was written.
    Object.assign(f, { state: 'done', ...resultFields(result), createdAt: this.clock.next() });
    delete f.error;
    this.settle(rec);
  }

  fileFailed(id: string, index: number, message: string): void {
    const rec = this.store.get(id);
    const f = rec?.files[index];
    if (!rec || !f || TERMINAL.has(rec.status) || f.state === 'done' || f.state === 'failed') return;
    f.state = 'failed';
    f.error = message;
    this.settle(rec);
  }

  /** Mark the request finished when no file is left, then persist. */
  private settle(rec: TransformRecord): void {
    if (rec.status === 'Submitted') rec.status = 'Running';
    const left = rec.files.some((f) => f.state === 'pending' || f.state === 'running');
    if (!left) {
      rec.status = rec.files.every((f) => f.state === 'failed') ? 'Fatal' : 'Complete';
      rec.finishTime = new Date().toISOString();
      // A worker killed mid-write (its job since redone elsewhere) leaves its temp file behind.
      this.clearTemps(rec.id);
    }
    this.store.save(rec);
  }

  private async dispatchFiles(rec: TransformRecord, files: readonly FileRecord[]): Promise<void> {
    if (files.length === 0) return this.settle(rec);
    const outputDir = this.store.resultsDir(rec.id);
    const jobs: FileJob[] = files.map((f) => ({
      requestId: rec.id,
      index: f.index,
      input: f.input,
      selection: rec.selection,
      codegen: rec.codegen,
      treeName: rec.treeName,
      resultFormat: rec.resultFormat,
      outputDir,
      output: f.output,
      urlPrefixes: this.allowUrlPrefixes,
    }));
    await this.dispatcher.dispatch(jobs);
  }

  /**
   * Type-check the selection against the first input that opens, through a `Session` as `hepq query` does (its
   * function registry): a wrong tree or branch of a readable file is a 400; an unreadable file fails only its
   * own job.
   */
  private async checkAgainstFirstInput(inputs: readonly string[], tree: string | null, source: string) {
    const session = new Session({ threads: 1, device: 'cpu', redirectPrefixes: this.allowUrlPrefixes });
    try {
      for (const input of inputs.slice(0, 3)) {
        try {
          await session.open(input, tree ? { tree } : {});
        } catch (err) {
          const code = err instanceof HepqError ? err.code : '';
          if ((code === 'root/no-tree' || code === 'root/no-such-object') && existsSync(input)) throw err;
          continue;
        }
        const p = await session.prepare(source, { files: [input], ...(tree ? { tree } : {}) });
        refuseScalar(p.analyzed.scalar);
        return;
      }
    } finally {
      await session.close();
    }
  }

  private resultsIntact(rec: TransformRecord): boolean {
    return rec.files.every(
      (f) => f.state !== 'done' || existsSync(join(this.store.resultsDir(rec.id), f.output)),
    );
  }

  /** Remove temp files a crash left behind in a request's result folder. */
  private clearTemps(id: string): void {
    const dir = this.store.resultsDir(id);
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) if (name.includes('.tmp-')) rmSync(join(dir, name), { force: true });
  }
}

/** The tree the query's own dataset names (qastle's `EventDataset 'file' 'tree'`), if any. */
function sourceTree(plan: LogicalPlan): string | undefined {
  const src = planChain(plan).at(-1);
  return src?.kind === 'source' && src.tree ? src.tree : undefined;
}

function resultFields(r: FileJobResult): Partial<FileRecord> {
  return {
    bytes: r.bytes,
    events: r.events,
    rows: r.rows,
    seconds: r.seconds,
    createdAt: r.createdAt,
    ...(r.worker ? { worker: r.worker } : {}),
  };
}

function checkFormat(format: string | undefined): ResultFormat {
  const f = format ?? 'parquet';
  if (f === 'parquet') return f;
  if (f === 'root-file' || f === 'root-ttree') return 'root-file';
  throw new HepqError('servicex/format', `unknown result format '${f}'; accepted: parquet, root-file`);
}
