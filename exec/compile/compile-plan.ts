/** Compiles a whole func_adl plan into one generated JavaScript function over a batch's typed arrays. */

import type { Expr, LambdaExpr, LogicalPlan, ReduceOp } from '../../planner/ir/index.js';
import { exprChildren, isCategorised, planChain } from '../../planner/ir/index.js';
import { assertNever, type Batch, HepqError, type Schema } from '../batch/index.js';
import { EventModel } from '../event-model.js';
import type { Histogram1D, Histogram2D } from '../sinks/histogram.js';
import { PrimitiveWriter } from '../sinks/writers.js';
import { ColumnRegistry } from './columns.js';
import { ExprCompiler, type FunctionLookup, type Located } from './compile-expr.js';
import { emitHistSet, type HistSetSink, histSetSink, newHistogram } from './emit-hist-set.js';
import { emitWrite, type WriterNode, WriterSet } from './emit-output.js';
import { Emitter } from './emitter.js';
import { tryMaterialise } from './hold.js';
import { runtime } from './runtime.js';
import type { Value } from './values.js';

export type RowShape = 'value' | 'dict' | 'tuple';

/** What the generated function produces. */
export type Terminal =
  | {
      readonly kind: 'rows';
      readonly names: readonly string[];
      readonly nodes: readonly WriterNode[];
      /** How a row is shaped in JSON: a bare value, a record (dict) or an array (tuple). */
      readonly shape: RowShape;
    }
  | { readonly kind: 'selection' }
  | { readonly kind: 'hist'; readonly hist: Histogram1D | Histogram2D }
  | { readonly kind: 'hist-set'; readonly sink: HistSetSink }
  | { readonly kind: 'reduce'; readonly op: ReduceOp; readonly node?: WriterNode };

/** Mutable per-query state shared with the generated code. */
export interface RunState {
  rows: number;
  /** Counters of each event-level Skip/Take stage, in plan order (Take(50).Skip(5) has two). */
  limits: { skip: number; take: number }[];
  done: boolean;
  count: number;
  acc: number;
  flag: boolean;
  /** Row numbers (of the input batch) kept when the result is the events themselves. */
  selection: PrimitiveWriter;
  /** Ordering keys, one per output row, when the plan has an event-level OrderBy. */
  keys: PrimitiveWriter;
  /** With `profile`: rows that reached each event-level stage (index = stage, last = the terminal). */
  stageRows?: Float64Array;
}

export interface CompiledPlan {
  /** Materialisation sites and their scratch buffers (the compiler's own bookkeeping). */
  readonly bufferSites: ExprCompiler['bufferSites'];
  readonly plan: LogicalPlan;
  readonly columns: readonly string[];
  readonly terminal: Terminal;
  readonly state: RunState;
  readonly writers: WriterSet;
  /** Deferred event-level Skip/Take after an OrderBy (applied when all rows are in). */
  readonly ordered?: { readonly descending: boolean; readonly skip: number; readonly take: number };
  /** The generated source (for `explain` and debugging). */
  readonly source: string;
  /** Run over one batch; returns false once a Take is satisfied. */
  run(batch: Batch): boolean;
}

/**
 * Compile `plan` for tables of `schema`. Code generation is deterministic, so a pass can learn from the one
 * before it: held four-vectors later used in Cartesian form (sums in combinatorics) store those components,
 * and held values nothing reads are not stored. At most four passes; usually one or two.
 */
type RunFactory = (
  h: typeof runtime,
  w: unknown[],
  r: unknown,
  f: unknown[],
  p: readonly number[],
) => (a: unknown[], sel: Uint32Array | undefined, n: number) => void;

/**
 * Generated loops by source text and kind of source (`feedbackKey`). The same query compiled again (each morsel on a worker, a repeated query)
 * gets the same factory, so its batch functions share V8's feedback and optimised code instead of warming up
 * from the interpreter each time. Bounded; the oldest entry goes first.
 */
const factories = new Map<string, RunFactory>();
const MAX_FACTORIES = 128;

function factoryFor(source: string, feedbackKey = ''): RunFactory {
  const key = `${feedbackKey}\u0000${source}`;
  let f = factories.get(key);
  if (!f) {
    f = new Function('H', 'W', 'R', 'F', 'P', source) as RunFactory;
    if (factories.size >= MAX_FACTORIES) factories.delete(factories.keys().next().value!);
    factories.set(key, f);
  }
  return f;
}

/** A JavaScript error out of the compiler or its generated code is a bug in hepq (HepqErrors are the user's). */
function asBug(err: unknown, what: string, source: string | undefined): unknown {
  return err instanceof HepqError ? err : HepqError.internal(what, err, source);
}

/** Compile a plan to one generated loop; a JavaScript error inside the compiler is reported as a hepq bug. */
export function compilePlan(plan: LogicalPlan, schema: Schema, options: CompileOptions = {}): CompiledPlan {
  try {
    return compileChecked(plan, schema, options);
  } catch (err) {
    throw asBug(err, 'compiling the query', options.source);
  }
}

/**
 * What the passes learned per plan (plans are immutable): a plan compiled again for the same schema, functions
 * and profiling — the Session compiles once to prepare and once to run — takes one pass instead of up to four.
 */
interface Learned {
  readonly schema: string;
  readonly functions: FunctionLookup | undefined;
  readonly profile: boolean;
  readonly sites: ReadonlySet<number>;
  readonly skip: ReadonlyMap<number, ReadonlySet<number>>;
}
const learned = new WeakMap<LogicalPlan, Learned>();
/** The same by the shape of the first pass's code (its numeric literals masked); bounded, oldest out first. */
const byShape = new Map<string, Learned>();
const NUMBER = /(?<![\w$.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
const schemaKeys = new WeakMap<Schema, string>();
function schemaKey(schema: Schema): string {
  let k = schemaKeys.get(schema);
  if (k === undefined) {
    k = JSON.stringify(schema.fields);
    schemaKeys.set(schema, k);
  }
  return k;
}

function compileChecked(plan: LogicalPlan, schema: Schema, options: CompileOptions): CompiledPlan {
  const key = schemaKey(schema);
  const hit = learned.get(plan);
  if (
    hit &&
    hit.schema === key &&
    hit.functions === options.functions &&
    hit.profile === (options.profile ?? false)
  )
    return compileOnce(plan, schema, new Set(hit.sites), hit.skip, options);
  const sites = new Set<number>();
  const none = new Map<number, Set<number>>();
  // First settle which held vectors keep Cartesian components (that changes the leaf layout)...
  let known = sites.size;
  let cp = compileOnce(plan, schema, sites, none, options);
  // A plan whose first pass gave the same code up to its numbers (the same query bound to another dataset's
  // cross section) learns what that one learned: the decisions follow the code's shape, never a constant.
  const shape = `${key}\n${options.profile ?? false}\n${cp.source.replace(NUMBER, '#')}`;
  const same = byShape.get(shape);
  if (same && same.functions === options.functions) {
    const out =
      same.sites.size || same.skip.size
        ? compileOnce(plan, schema, new Set(same.sites), same.skip, options)
        : cp;
    learned.set(plan, { ...same, schema: key });
    return out;
  }
  for (let pass = 0; pass < 3 && sites.size !== known; pass++) {
    known = sites.size;
    cp = compileOnce(plan, schema, sites, none, options);
  }
  // ...then drop the held leaves nothing reads (the layout no longer changes, so leaf indices hold).
  const unread = unreadLeaves(cp, none);
  const skip = unread.size ? unread : none;
  const out = unread.size ? compileOnce(plan, schema, sites, unread, options) : cp;
  const decisions: Learned = {
    schema: key,
    functions: options.functions,
    profile: options.profile ?? false,
    sites: new Set(sites),
    skip,
  };
  learned.set(plan, decisions);
  if (byShape.size >= 64) byShape.delete(byShape.keys().next().value!);
  byShape.set(shape, decisions);
  return out;
}

/** Buffers written but never read in the generated source, by site and leaf index (new ones only). */
function unreadLeaves(
  cp: CompiledPlan,
  known: ReadonlyMap<number, ReadonlySet<number>>,
): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const { site, n, bufs } of cp.bufferSites) {
    bufs.forEach((b, i) => {
      if (!b || known.get(site)?.has(i)) return;
      const uses = cp.source.split(`${b}[`).length - 1;
      const writes = cp.source.split(`${b}[${n}] = `).length - 1;
      if (uses === writes) {
        if (!out.has(site)) out.set(site, new Set());
        out.get(site)!.add(i);
      }
    });
  }
  return out;
}

export interface CompileOptions {
  /** Extra scalar functions queries may call (e.g. the HEP built-ins of `udfs/hep`). */
  readonly functions?: FunctionLookup;
  /** Count the rows reaching each event-level stage (for explain analyze; costs one increment per stage). */
  readonly profile?: boolean;
  /** The query text, attached to an internal error (a bug report needs the query). */
  readonly source?: string;
  /**
   * Which kind of source feeds the loop (the connector table's class): loops with the same text share V8's
   * feedback only within a kind, so a ROOT scan and a Parquet scan of the same query each get code optimised for
   * their own arrays instead of one polymorphic mix.
   */
  readonly feedbackKey?: string;
}

function compileOnce(
  plan: LogicalPlan,
  schema: Schema,
  sites: Set<number>,
  skip: ReadonlyMap<number, ReadonlySet<number>>,
  options: CompileOptions,
): CompiledPlan {
  const model = new EventModel(schema);
  const cols = new ColumnRegistry((n) => model.column(n)?.type);
  const em = new Emitter();
  const c = new ExprCompiler(em, model, cols, sites, options.functions, skip);
  const ws = new WriterSet();
  const state: RunState = {
    rows: 0,
    limits: [],
    done: false,
    count: 0,
    acc: 0,
    flag: false,
    selection: new PrimitiveWriter('uint32'),
    keys: new PrimitiveWriter('float64'),
  };
  const stages = planChain(plan).reverse().slice(1);
  const last = stages[stages.length - 1];
  const terminalNode = last && (last.kind === 'hist' || last.kind === 'reduce') ? last : undefined;
  const rowStages = terminalNode ? stages.slice(0, -1) : stages;
  const apply = (l: LambdaExpr, v: Value) => c.apply(l, [v], new Map());

  let ordered: { descending: boolean; skip: number; take: number } | undefined;
  let orderKey: string | undefined;
  let terminal: Terminal | undefined;

  if (options.profile) state.stageRows = new Float64Array(rowStages.length + 1);
  const emitStage = (i: number, v: Value): void => {
    if (options.profile) em.line(`R.stageRows[${i}]++;`);
    const p = rowStages[i];
    if (!p) {
      emitTerminal(v);
      return;
    }
    switch (p.kind) {
      case 'where': {
        const cond = c.num(apply(p.predicate, v), p.predicate);
        em.block(`if (${cond})`, () => emitStage(i + 1, v));
        return;
      }
      case 'select': {
        // A row value used by later stages is held once per event rather than recomputed at every use.
        let out = apply(p.selector, v);
        const next = rowStages[i + 1];
        if (next) out = holdCollections(c, out, p.selector, next);
        // A categorised Hist's many lambdas (regions, weights, variations, the observable) read the row's
        // collections again and again: held once per event, not re-derived (re-filtered) at every use.
        else if (terminalNode?.kind === 'hist' && isCategorised(terminalNode))
          out = holdCollections(c, out, p.selector, terminalNode);
        emitStage(i + 1, out);
        return;
      }
      case 'select-many': {
        const coll = apply(p.selector, v);
        if (coll.k !== 'coll')
          throw new HepqError('exec/expression', 'SelectMany needs a collection', { span: p.span });
        coll.loop(em, (el) => emitStage(i + 1, el));
        return;
      }
      case 'metadata':
        emitStage(i + 1, v);
        return;
      case 'order-by': {
        if (ordered)
          throw new HepqError('exec/unsupported', 'only one event-level OrderBy is supported', {
            span: p.span,
          });
        ordered = { descending: p.descending, skip: 0, take: Number.POSITIVE_INFINITY };
        orderKey = em.bind(c.num(apply(p.key, v), p.key), 'okey');
        emitStage(i + 1, v);
        return;
      }
      case 'limit': {
        if (ordered) {
          ordered.skip += Math.min(p.skip, ordered.take);
          ordered.take = Math.max(0, Math.min(ordered.take - p.skip, p.take ?? Number.POSITIVE_INFINITY));
          emitStage(i + 1, v);
          return;
        }
        // Each Skip/Take stage keeps its own counters; once one has taken all it may, no later event can
        // pass it, so the scan stops.
        const k = state.limits.length;
        state.limits.push({ skip: p.skip, take: p.take ?? Number.POSITIVE_INFINITY });
        em.block(`if (R.limits[${k}].skip > 0) R.limits[${k}].skip--; else`, () => {
          em.block(`if (R.limits[${k}].take <= 0)`, () => {
            em.line('R.done = true;');
            em.line('break OUT;');
          });
          em.line(`R.limits[${k}].take--;`);
          emitStage(i + 1, v);
        });
        return;
      }
      default:
        throw new HepqError('exec/unsupported', `${p.kind} cannot appear here`, { span: p.span });
    }
  };

  const emitTerminal = (v: Value): void => {
    if (orderKey) em.line(`R.keys.push(${orderKey});`);
    if (!terminalNode) {
      if (v.k === 'event') {
        if (orderKey)
          throw new HepqError('exec/unsupported', 'OrderBy on whole events needs a Select after it');
        em.line(`R.selection.push(${v.row});`);
        terminal = { kind: 'selection' };
        return;
      }
      em.line('R.rows++;');
      const top = v.k === 'record' ? v : undefined;
      const names = top ? top.names : ['col1'];
      const values = top ? top.values : [v];
      const prev = terminal?.kind === 'rows' ? terminal.nodes : undefined;
      const nodes = values.map((x, k) => emitWrite(x, em, ws, prev?.[k]));
      terminal = { kind: 'rows', names, nodes, shape: !top ? 'value' : top.tuple ? 'tuple' : 'dict' };
      return;
    }
    if (terminalNode.kind === 'hist' && isCategorised(terminalNode)) {
      const sink = terminal?.kind === 'hist-set' ? terminal.sink : histSetSink(terminalNode);
      terminal = { kind: 'hist-set', sink };
      emitHistSet(c, em, terminalNode, v, sink);
      return;
    }
    if (terminalNode.kind === 'hist') {
      const axes = terminalNode.axes.map((a) => apply(a.value, v));
      const w = terminalNode.weight ? c.num(apply(terminalNode.weight, v), terminalNode.weight) : '1';
      const h = terminal?.kind === 'hist' ? terminal.hist : newHistogram(terminalNode);
      terminal = { kind: 'hist', hist: h };
      if (axes.length === 1) {
        const a = axes[0]!;
        if (a.k === 'coll') a.loop(em, (el) => em.line(`R.hist.fill(${c.num(el, terminalNode)}, ${w});`));
        else em.line(`R.hist.fill(${c.num(a, terminalNode)}, ${w});`);
      } else
        em.line(`R.hist.fill(${c.num(axes[0]!, terminalNode)}, ${c.num(axes[1]!, terminalNode)}, ${w});`);
      return;
    }
    const op = terminalNode.op;
    switch (op) {
      case 'Count':
        em.line('R.count++;');
        break;
      case 'Sum':
        em.line(`R.acc += ${c.num(v, terminalNode)};`);
        break;
      case 'Min':
      case 'Max': {
        const x = em.bind(c.num(v, terminalNode), 'x');
        em.line(`if (!R.flag || ${x} ${op === 'Min' ? '<' : '>'} R.acc) { R.acc = ${x}; R.flag = true; }`);
        break;
      }
      case 'Any':
      case 'All': {
        const lam = terminalNode.args[0] as LambdaExpr | undefined;
        const p = c.num(lam ? apply(lam, v) : v, terminalNode);
        if (op === 'Any') em.line(`if (${p}) { R.flag = true; R.done = true; break OUT; }`);
        else em.line(`if (!(${p})) { R.flag = true; R.done = true; break OUT; }`);
        break;
      }
      case 'First':
      case 'Last':
      case 'ElementAt': {
        em.line('R.rows++;');
        const prev = terminal?.kind === 'reduce' ? terminal.node : undefined;
        terminal = { kind: 'reduce', op, node: emitWrite(v, em, ws, prev) };
        if (op === 'First' && !orderKey) em.line('R.done = true; break OUT;');
        return;
      }
      default:
        assertNever(op, 'reduce operator');
    }
    terminal = { kind: 'reduce', op };
  };

  const body = new Emitter();
  em.block('OUT: for (let r = 0; r < n; r++)', () => {
    em.line('const i = sel === undefined ? r : sel[r];');
    emitStage(0, { k: 'event', row: 'i' });
  });
  if (!terminal) throw new HepqError('exec/internal', 'internal: the plan produced no output');
  const hist = terminal.kind === 'hist' ? terminal.hist : undefined;
  const source = [
    ...ws.declarations(),
    ...c.calledFunctions.map((_f, k) => `const F${k} = F[${k}];`),
    'return function run(A, sel, n) {',
    ...cols.vars.map((v, k) => `  const ${v} = A[${k}];`),
    // Query parameters are locals read per batch: the code (and V8's compiled function) is the same for any values.
    ...c.parameters.map((_v, k) => `  const $p${k} = P[${k}];`),
    // Scratch buffers are locals of the batch function (registers, not closure slots, in optimised code).
    ...em.prologue.map((l) => `  ${l}`),
    em.text(),
    '};',
  ].join('\n');
  void body;
  const factory = factoryFor(source, options.feedbackKey);
  const hs = terminal.kind === 'hist-set' ? terminal.sink.hists : undefined;
  const R = Object.assign(state, { hist, hs });
  const fn = factory(runtime, ws.writers, R, c.calledFunctions, c.parameters);
  // Events kept whole (`EventDataset(...)` alone, or only filtered) come back with every branch, as records.
  const columns = terminal.kind === 'selection' ? schema.fields.map((f) => f.name) : cols.names();
  return {
    plan,
    bufferSites: c.bufferSites,
    columns,
    terminal,
    state,
    writers: ws,
    ...(ordered ? { ordered } : {}),
    source,
    run(batch: Batch): boolean {
      if (state.done) return false;
      const arrays = cols.arrays((name) => {
        const k = batch.schema.fields.findIndex((f) => f.name === name);
        if (k < 0) throw new HepqError('exec/column', `the scan did not return column ${name}`);
        return batch.columns[k]!;
      }, batch.length);
      const sel = batch.selection;
      try {
        fn(arrays, sel, sel ? sel.length : batch.length);
      } catch (err) {
        throw asBug(err, "the query's generated code failed", options.source);
      }
      return !state.done;
    },
  };
}

/**
 * Materialise the derived collections of a Select's result (top level or record fields) that the next
 * stage would otherwise recompute: used more than once, inside a nested lambda, or passed on.
 */
function holdCollections(c: ExprCompiler, v: Value, at: Located, next: LogicalPlan): Value {
  const e = at as Parameters<typeof tryMaterialise>[2];
  const lam =
    next.kind === 'select' || next.kind === 'select-many'
      ? next.selector
      : next.kind === 'where'
        ? next.predicate
        : undefined;
  const reused = (field?: string) => {
    if (!lam) return true;
    const u = usesOf(lam, field);
    return u.count > 1 || u.nested || u.passed || next.kind === 'where';
  };
  if (v.k === 'coll') return reused() ? tryMaterialise(c, v, e) : v;
  if (v.k === 'record')
    return {
      ...v,
      values: v.values.map((x, k) => (x.k === 'coll' && reused(v.names[k]) ? tryMaterialise(c, x, e) : x)),
    };
  return v;
}

/** How a lambda uses its parameter (or one field of it): how often, inside a nested lambda, or passed on whole. */
function usesOf(lam: LambdaExpr, field?: string): { count: number; nested: boolean; passed: boolean } {
  const param = lam.params[0]!;
  const out = { count: 0, nested: false, passed: false };
  const isUse = (x: Expr) =>
    field === undefined
      ? x.kind === 'name' && x.name === param
      : x.kind === 'attr' && x.name === field && x.target.kind === 'name' && x.target.name === param;
  const walk = (x: Expr, depth: number, inRecord: boolean): void => {
    if (isUse(x)) {
      out.count++;
      if (depth > 0) out.nested = true;
      if (inRecord) out.passed = true;
      return;
    }
    if (field !== undefined && x.kind === 'name' && x.name === param) out.passed = true;
    if (x.kind === 'lambda') {
      if (!x.params.includes(param)) walk(x.body, depth + 1, false);
      return;
    }
    const record = x.kind === 'dict' || x.kind === 'tuple';
    for (const ch of exprChildren(x)) walk(ch, depth, record);
  };
  walk(lam.body, 0, lam.body.kind === 'name');
  return out;
}
