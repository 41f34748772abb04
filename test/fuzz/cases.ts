/** Fuzz cases: a recipe per (target, seed, index), and running one through the public entry points to an outcome. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openParquetTable } from '../../connectors/parquet/index.js';
import { RootFile, RootHandle } from '../../connectors/root/index.js';
import { MemorySource } from '../../connectors/root/io/index.js';
import { inspectWithRNTuples, readableObjects, readObject } from '../../connectors/root/rntuple/index.js';
import { HepqError } from '../../exec/batch/index.js';
import { Session } from '../../server/session.js';
import { hypotest, Workspace } from '../../stats/index.js';
import {
  applyByteMutations,
  type ByteMutation,
  type MutationPlan,
  randomByteMutations,
} from './byte-mutations.js';
import {
  parquetCorpus,
  QUERY_FILE,
  queryCorpus,
  rntupleCorpus,
  rootCorpus,
  sharedPath,
  workspaceCorpus,
} from './corpus.js';
import { parquetPlan, rootPlan } from './file-fields.js';
import { applyJsonEdits, type JsonEdit, randomJsonEdits } from './json-mutations.js';
import { mutateQuery } from './query-mutations.js';
import { Rng } from './rng.js';

export const TARGETS = ['root', 'rntuple', 'parquet', 'query', 'workspace'] as const;
export type Target = (typeof TARGETS)[number];

/** Everything needed to rebuild one mutant: small, so findings are stored as recipes, never as file copies. */
export type Recipe =
  | {
      readonly target: 'root' | 'rntuple' | 'parquet';
      readonly input: string;
      readonly mutations: readonly ByteMutation[];
    }
  /** A query as text, or (long ones, e.g. 10,000 nested brackets) gzipped and base64-encoded. */
  | { readonly target: 'query'; readonly text?: string; readonly gzip?: string }
  | { readonly target: 'workspace'; readonly input: string; readonly edits: readonly JsonEdit[] };

/** A case ends well (a result, or a HepqError) or is a finding: any other exception, a stack overflow, a silent NaN. */
export type Outcome =
  | { readonly status: 'ok' }
  | { readonly status: 'error'; readonly code: string }
  | { readonly status: 'finding'; readonly kind: string; readonly message: string; readonly stack?: string };

const originals = new Map<string, Uint8Array>();
const plans = new Map<string, Promise<MutationPlan>>();
let queries: string[] | undefined;

function original(rel: string): Uint8Array {
  let b = originals.get(rel);
  if (!b) {
    b = new Uint8Array(readFileSync(sharedPath(rel)));
    originals.set(rel, b);
  }
  return b;
}

function planOf(target: Target, rel: string): Promise<MutationPlan> {
  let p = plans.get(rel);
  if (!p) {
    p = target === 'parquet' ? Promise.resolve(parquetPlan(original(rel))) : rootPlan(rel, original(rel));
    plans.set(rel, p);
  }
  return p;
}

/** Inputs of a target; empty when the shared data is absent. */
export function corpusOf(target: Target): string[] {
  switch (target) {
    case 'root':
      return rootCorpus();
    case 'rntuple':
      return rntupleCorpus();
    case 'parquet':
      return parquetCorpus();
    case 'workspace':
      return workspaceCorpus();
    case 'query':
      queries ??= queryCorpus();
      return queries;
  }
}

/** The recipe of case `index` of a run seeded `seed`. */
export async function makeCase(target: Target, seed: number, index: number): Promise<Recipe> {
  const rng = Rng.forCase(seed, index);
  const corpus = corpusOf(target);
  const input = rng.pick(corpus);
  switch (target) {
    case 'root':
    case 'rntuple':
    case 'parquet':
      return {
        target,
        input,
        mutations: randomByteMutations(rng, original(input), await planOf(target, input)),
      };
    case 'query':
      return { target, text: mutateQuery(rng, input, corpus) };
    case 'workspace':
      return {
        target,
        input,
        edits: randomJsonEdits(rng, JSON.parse(readFileSync(sharedPath(input), 'utf8'))),
      };
  }
}

/** Messages of JavaScript's own errors: wrapped into a HepqError they still mean the code did not check its input. */
const JS_ERROR =
  /Maximum call stack|Cannot read propert|is not a function|is not iterable|outside the bounds|out of bounds|Invalid array length|Invalid typed array length|allocation failed|undefined is not/;

function classify(e: unknown): Outcome {
  if (e instanceof HepqError) {
    if (JS_ERROR.test(e.message))
      return { status: 'finding', kind: `wrapped ${e.code}`, message: e.message, stack: e.stack ?? '' };
    return { status: 'error', code: e.code };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const kind = /Maximum call stack/.test(err.message) ? 'stack-overflow' : err.name;
  return { status: 'finding', kind, message: err.message, stack: err.stack ?? '' };
}

let session: Session | undefined;
let scratch: string | undefined;

function scratchFile(ext: string, bytes: Uint8Array): string {
  scratch ??= join(tmpdir(), `hepq-fuzz-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const path = join(scratch, `mutant${ext}`);
  writeFileSync(path, bytes);
  return path;
}

export function queryText(r: { text?: string; gzip?: string }): string {
  return r.text ?? gunzipSync(Buffer.from(r.gzip ?? '', 'base64')).toString('utf8');
}

/** The recipe as it is stored: a long query text gzipped, so a reproducer stays a small file. */
export function storedRecipe(r: Recipe): Recipe {
  if (r.target !== 'query' || r.text === undefined || r.text.length < 2000) return r;
  return { target: 'query', gzip: gzipSync(r.text, { level: 9 }).toString('base64') };
}

/** Remove this process's scratch folder. */
export async function closeCases(): Promise<void> {
  await session?.close();
  session = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

/** Run one case through the public entry points; never throws. */
export async function runCase(r: Recipe): Promise<Outcome> {
  try {
    switch (r.target) {
      case 'root':
      case 'rntuple':
        await readRootMutant(r.input, applyByteMutations(original(r.input), r.mutations));
        break;
      case 'parquet':
        await readParquetMutant(applyByteMutations(original(r.input), r.mutations));
        break;
      case 'query':
        await runQuery(queryText(r));
        break;
      case 'workspace':
        return checkWorkspace(applyJsonEdits(JSON.parse(readFileSync(sharedPath(r.input), 'utf8')), r.edits));
    }
    return { status: 'ok' };
  } catch (e) {
    return classify(e);
  }
}

/** `inspect`, `dump` of every tree / RNTuple, and a query over the first columns, as the CLI does them. */
async function readRootMutant(rel: string, bytes: Uint8Array): Promise<void> {
  const name = `mutant of ${rel}`;
  const handle = new RootHandle(await RootFile.open(new MemorySource(bytes, name)));
  try {
    await inspectWithRNTuples(handle);
    for (const path of await readableObjects(handle)) await readObject(handle, path, {});
  } finally {
    await handle.close();
  }
  await queryFirstColumns(scratchFile('.root', bytes));
}

async function readParquetMutant(bytes: Uint8Array): Promise<void> {
  const path = scratchFile('.parquet', bytes);
  const table = await openParquetTable(path);
  try {
    for await (const _ of table.scan()) {
      // every row group of every column
    }
  } finally {
    await table.close();
  }
  await queryFirstColumns(path);
}

/** A func_adl query over up to three columns of the file's table (fresh session: the file changes each case). */
async function queryFirstColumns(path: string): Promise<void> {
  const s = new Session({ device: 'cpu' });
  try {
    const names = (await s.schema(path)).fields.map((f) => f.name).filter((n) => /^[A-Za-z_]\w*$/.test(n));
    if (!names.length) return;
    const cols = names.slice(0, 3).map((n, i) => `'c${i}': e.${n}`);
    await s.query(`ds.Select(lambda e: {${cols.join(', ')}})`, { files: [path] });
  } finally {
    await s.close();
  }
}

async function runQuery(text: string): Promise<void> {
  session ??= new Session({ device: 'cpu' });
  await session.query(text, { files: [sharedPath(QUERY_FILE)] });
}

/** Validate, compile and run asymptotic CLs; a NaN or infinite CLs without an error is a finding. */
function checkWorkspace(doc: unknown): Outcome {
  try {
    const ws = Workspace.fromJSON(doc, 'mutant workspace');
    const model = ws.model();
    const r = hypotest(1, model, ws.data(model));
    const values = [r.clsObs, ...r.clsExp];
    if (!values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1))
      return {
        status: 'finding',
        kind: 'silent-nan',
        message: `CLs ${JSON.stringify(values)} without an error`,
      };
    return { status: 'ok' };
  } catch (e) {
    return classify(e);
  }
}
