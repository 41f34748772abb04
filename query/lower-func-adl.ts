/** Lowers a parsed func_adl script (or any front end's syntax) to an unbound LogicalPlan with spans. */
import { didYouMean, HepqError, type SourceSpan } from '../exec/batch/index.js';
import {
  CONTAINS_PARAM,
  type CollectionOp,
  type Expr,
  ex,
  type HistAxis,
  type HistCategory,
  isCollectionOp,
  type LambdaExpr,
  type LogicalPlan,
  mapChildren,
  type NamedLambda,
  plan,
  type ReduceOp,
  takesLambda,
} from '../planner/ir/index.js';
import { copySideData, IMPLICIT_DATASET, kwargsOf, nameSpanOf, type Script } from './syntax.js';

export type Constant = number | boolean | string | null;

export interface LowerOptions {
  /** Captured constants, by name (the lambdas' free variables). */
  readonly constants?: Readonly<Record<string, Constant>>;
}

/** The calls that name a dataset (func_adl's, ServiceX's and the backends' spellings). */
export const DATASET_FUNCS: ReadonlySet<string> = new Set([
  'EventDataset',
  'UprootDataset',
  'ServiceXDataset',
  'ServiceXSourceUpROOT',
  'ServiceXSourceXAOD',
  'FuncADLQueryPHYSLITE',
  'FuncADLQueryPHYS',
  'FuncADLQueryUproot',
]);
/** Methods that only ask for the result in some form; they do not change the plan. */
/** The keywords of `Hist`/`Hist2D`. */
const HIST_KEYWORDS = ['bins', 'range', 'edges', 'weight', 'category', 'variation'];

const TERMINALS = new Set([
  'value',
  'AsAwkwardArray',
  'AsPandasDF',
  'AsROOTTTreeFiles',
  'AsParquetFiles',
  'AsArrow',
]);
const PLAN_OPS = [
  'Select',
  'SelectMany',
  'Where',
  'MetaData',
  'Take',
  'Skip',
  'OrderBy',
  'OrderByDescending',
  'Count',
  'Sum',
  'Min',
  'Max',
  'Any',
  'All',
  'First',
  'Last',
  'ElementAt',
  'Contains',
  'Hist',
  'Hist2D',
] as const;
/** Names that stand for the dataset on their own (every branch of the files given beside the query). */
const BARE_DATASETS = new Set(['ds', IMPLICIT_DATASET]);
const MATH_MODULES = new Set(['np', 'numpy', 'math']);
const MATH_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, inf: Number.POSITIVE_INFINITY };

/** `SelectMany(lambda e: {'a': e.xs, 'b': e.ys})` flattens the zipped records, as func_adl_uproot does. */
function zipResult(f: LambdaExpr): LambdaExpr {
  const b = f.body;
  if (b.kind !== 'dict' && b.kind !== 'tuple') return f;
  return { ...f, body: ex.op('Zip', b, [], b.span) };
}

class Lowerer {
  private readonly env = new Map<string, Expr>();

  constructor(
    private readonly source: string,
    options: LowerOptions,
  ) {
    for (const [k, v] of Object.entries(options.constants ?? {}))
      this.env.set(k, ex.lit(v, undefined, typeof v === 'number' && Number.isInteger(v)));
  }

  fail(message: string, span: SourceSpan | undefined, hint?: string): never {
    throw new HepqError('query/invalid', message, { span, source: this.source, ...(hint ? { hint } : {}) });
  }

  /** Bind a script name; earlier bindings it mentions are resolved now, so `ds = ds.Where(...)` works. */
  bind(name: string, value: Expr): void {
    const resolve = (x: Expr, bound: ReadonlySet<string>): Expr => {
      if (x.kind === 'name') return bound.has(x.name) ? x : (this.env.get(x.name) ?? x);
      if (x.kind === 'lambda') {
        const inner = new Set([...bound, ...x.params]);
        return copySideData(
          x,
          mapChildren(x, (c) => resolve(c, inner)),
        );
      }
      return copySideData(
        x,
        mapChildren(x, (c) => resolve(c, bound)),
      );
    };
    this.env.set(name, resolve(value, new Set()));
  }

  lowerScript(script: Script): LogicalPlan {
    for (const b of script.bindings) this.bind(b.name, b.value);
    const result =
      script.result ?? this.env.get('query') ?? script.bindings[script.bindings.length - 1]?.value;
    if (!result) this.fail('the query text is empty', { start: 0, end: 0 }, 'write ds.Select(lambda e: ...)');
    // A bare word (`exit`, `foo`) is a typo or a REPL habit, not a dataset; `ds` alone is the CLI's files.
    if (result.kind === 'name' && !this.env.has(result.name) && !BARE_DATASETS.has(result.name))
      this.fail(
        `${result.name} is not a query`,
        result.span,
        "a query starts from a dataset: EventDataset('file.root', 'tree') or ds.Select(lambda e: ...)",
      );
    return this.chain(result);
  }

  /** The event-level chain: a dataset followed by sequence operators. */
  chain(e: Expr): LogicalPlan {
    switch (e.kind) {
      case 'name': {
        const bound = this.env.get(e.name);
        if (bound) return this.chain(bound);
        return plan.source([], undefined, e.span);
      }
      case 'call': {
        if (DATASET_FUNCS.has(e.name)) return this.dataset(e);
        if (
          (PLAN_OPS as readonly string[]).includes(e.name) ||
          TERMINALS.has(e.name) ||
          e.name === 'Contains'
        ) {
          // `Select(EventDataset(...), lambda e: ...)`: qastle's Python form, the source as first argument.
          const first = e.args[0];
          const isSource =
            first?.kind === 'call' ||
            first?.kind === 'method' ||
            (first?.kind === 'name' && this.env.get(first.name)?.kind !== 'lambda');
          if (first && isSource) {
            const m: Expr = {
              kind: 'method',
              target: first,
              name: e.name,
              args: e.args.slice(1),
              ...(e.span ? { span: e.span } : {}),
            };
            return this.chain(copySideData(e, m));
          }
          // `Select(lambda e: ...)` with no dataset in front: the operator applies to the implicit dataset.
          const at = e.span ? { start: e.span.start, end: e.span.start } : undefined;
          const root: Expr = { kind: 'name', name: IMPLICIT_DATASET, ...(at ? { span: at } : {}) };
          const m: Expr = {
            kind: 'method',
            target: root,
            name: e.name,
            args: e.args,
            ...(e.span ? { span: e.span } : {}),
          };
          return this.chain(copySideData(e, m));
        }
        const near = didYouMean(e.name, DATASET_FUNCS);
        return this.fail(
          `a query starts from a dataset, not ${e.name}(...)`,
          e.span,
          near ? `did you mean ${near}?` : "write EventDataset('file.root', 'tree')",
        );
      }
      case 'method':
        return this.planOp(e);
      default:
        return this.fail('expected a query: a dataset followed by .Select/.Where/...', e.span);
    }
  }

  dataset(e: Expr & { kind: 'call' }): LogicalPlan {
    const kw = kwargsOf(e);
    // `None` leaves the files (or tree) to be given beside the query, as func_adl_uproot's generate_function does.
    const given = (x: Expr | undefined) => (x?.kind === 'literal' && x.value === null ? undefined : x);
    const filesArg = given(e.args[0] ?? kw.get('files') ?? kw.get('url'));
    const treeArg = given(e.args[1] ?? kw.get('tree') ?? kw.get('treename') ?? kw.get('tree_name'));
    const str = (x: Expr): string =>
      x.kind === 'literal' && typeof x.value === 'string'
        ? x.value
        : this.fail('expected a string literal', x.span);
    let files: string[] = [];
    if (filesArg) files = filesArg.kind === 'tuple' ? filesArg.items.map(str) : [str(filesArg)];
    return plan.source(files, treeArg ? str(treeArg) : undefined, e.span);
  }

  planOp(e: Expr & { kind: 'method' }): LogicalPlan {
    if (TERMINALS.has(e.name)) return this.chain(e.target);
    const name = e.name;
    const span = nameSpanOf(e);
    if (!(PLAN_OPS as readonly string[]).includes(name)) {
      const near = didYouMean(name, PLAN_OPS);
      return this.fail(
        `unknown query operator ${name}`,
        span,
        near ? `did you mean ${near}?` : `query operators are ${PLAN_OPS.join(', ')}`,
      );
    }
    const input = this.chain(e.target);
    const lam = (i: number) => this.lambda(e.args[i], name, e.span);
    const int = (i: number) => this.integer(e.args[i], name, e.span);
    switch (name) {
      case 'Select':
        return plan.select(input, lam(0), e.span);
      case 'SelectMany':
        return plan.selectMany(input, zipResult(lam(0)), e.span);
      case 'Where':
        return plan.where(input, lam(0), e.span);
      case 'MetaData':
        return plan.metadata(input, this.expr(e.args[0] ?? ex.dict([], [])), e.span);
      case 'Take':
        return plan.limit(input, 0, int(0), e.span);
      case 'Skip':
        return plan.limit(input, int(0), undefined, e.span);
      case 'OrderBy':
      case 'OrderByDescending':
        return plan.orderBy(input, lam(0), name === 'OrderByDescending', e.span);
      case 'Contains': {
        // `ds.Select(f).Contains(v)`: whether any event's value equals v.
        const v = e.args[0];
        if (!v || e.args.length !== 1)
          return this.fail('Contains takes one value', e.span, 'e.g. .Contains(3)');
        return plan.reduce(input, 'Any', [this.containsLambda(this.expr(v), e.span)], e.span);
      }
      case 'Hist':
      case 'Hist2D':
        return this.hist(e, input);
      default: {
        const op = name as ReduceOp;
        if (op === 'ElementAt') return plan.reduce(input, op, [ex.lit(int(0), undefined, true)], e.span);
        if (e.args.length === 0) return plan.reduce(input, op, [], e.span);
        // Sum(f) is Select(f).Sum(); Count(p), Any(p), All(p) keep their predicate.
        const f = lam(0);
        if (op === 'Count') return plan.reduce(plan.where(input, f, e.span), 'Count', [], e.span);
        if (op === 'Any' || op === 'All') return plan.reduce(input, op, [f], e.span);
        return plan.reduce(plan.select(input, f, e.span), op, [], e.span);
      }
    }
  }

  hist(e: Expr & { kind: 'method' }, input: LogicalPlan): LogicalPlan {
    const kw = kwargsOf(e);
    const nAxes = e.name === 'Hist2D' ? 2 : 1;
    const nums = (x: Expr | undefined, what: string): number[] => {
      if (!x)
        return this.fail(
          `${e.name} needs ${what}=`,
          e.span,
          `e.g. .Hist(lambda x: x, bins=100, range=(0, 200))`,
        );
      if (x.kind === 'tuple') return x.items.flatMap((i) => nums(i, what));
      if (x.kind === 'literal' && typeof x.value === 'number') return [x.value];
      return this.fail(`${what} must be numbers`, x.span);
    };
    for (const [k, v] of kw)
      if (!HIST_KEYWORDS.includes(k)) {
        const near = didYouMean(k, HIST_KEYWORDS);
        this.fail(
          `${e.name} has no keyword ${k}`,
          v.span ?? e.span,
          near ? `did you mean ${near}?` : `its keywords are ${HIST_KEYWORDS.join(', ')}`,
        );
      }
    const edgesArg = kw.get('edges');
    const edgeLists = edgesArg ? this.edgeLists(edgesArg, nAxes, e) : undefined;
    const bins = edgeLists ? [] : nums(kw.get('bins') ?? e.args[nAxes], 'bins');
    const range = edgeLists ? [] : nums(kw.get('range') ?? e.args[nAxes + 1], 'range');
    const axes: HistAxis[] = [];
    for (let i = 0; i < nAxes; i++) {
      const value = this.lambda(e.args[i], e.name, e.span);
      const edges = edgeLists?.[i];
      if (edges) {
        axes.push({ value, bins: edges.length - 1, lo: edges[0]!, hi: edges.at(-1)!, edges });
        continue;
      }
      const b = bins[Math.min(i, bins.length - 1)]!;
      const lo = range[2 * i];
      const hi = range[2 * i + 1];
      if (lo === undefined || hi === undefined || !(hi > lo) || !(b >= 1))
        this.fail('histogram axis needs bins >= 1 and range=(lo, hi) with hi > lo', e.span);
      axes.push({ value, bins: b, lo: lo!, hi: hi! });
    }
    const w = kw.get('weight') ?? e.args[nAxes + 2];
    const weights = w?.kind === 'dict' ? this.namedLambdas(w, 'weight') : undefined;
    const catArg = kw.get('category');
    let categories: HistCategory[] | undefined;
    if (catArg) {
      if (catArg.kind !== 'dict')
        this.fail(
          'category must be a dict of axis name to a dict of label to predicate',
          catArg.span,
          "e.g. category={'region': {'4j1b': lambda e: e.nb == 1, '4j2b': lambda e: e.nb >= 2}}",
        );
      const d = catArg as Expr & { kind: 'dict' };
      categories = d.keys.map((name, k) => ({
        name,
        labels: this.namedLambdas(d.values[k]!, `category ${name}`),
      }));
      if (categories.some((c) => c.name === 'variation'))
        this.fail("the category name 'variation' is taken by weight= and variation=", catArg.span);
    }
    const varArg = kw.get('variation');
    const variations = varArg ? this.namedLambdas(varArg, 'variation') : undefined;
    for (const v of variations ?? [])
      if (v.fn.body.kind !== 'dict')
        this.fail(
          `variation ${v.name} must return a dict of the fields it replaces`,
          v.fn.span,
          "e.g. variation={'pt_up': lambda e: {'jet_pt': e.jet_pt.Select(lambda p: p * 1.03)}}",
        );
    const names = [...(weights ?? []).map((x) => x.name), ...(variations ?? []).map((x) => x.name)];
    const dup = names.find((n, k) => names.indexOf(n) !== k);
    if (dup !== undefined) this.fail(`the variation label ${dup} is used twice`, (varArg ?? w)?.span);
    return plan.hist(input, axes, w && !weights ? this.lambda(w, e.name, e.span) : undefined, e.span, {
      ...(categories ? { categories } : {}),
      ...(weights ? { weights } : {}),
      ...(variations ? { variations } : {}),
    });
  }

  /** `edges=[0, 10, 30, 100]` (one axis) or `edges=([...], [...])` (two): increasing bin edges. */
  edgeLists(x: Expr, nAxes: number, at: Expr): number[][] {
    const num = (i: Expr): number =>
      i.kind === 'literal' && typeof i.value === 'number'
        ? i.value
        : i.kind === 'unary' &&
            i.op === '-' &&
            i.operand.kind === 'literal' &&
            typeof i.operand.value === 'number'
          ? -i.operand.value
          : this.fail('bin edges must be numbers', i.span);
    if (x.kind !== 'tuple') return this.fail('edges must be a list of numbers', x.span ?? at.span);
    const lists = nAxes === 1 ? [x] : x.items;
    if (lists.length !== nAxes) this.fail(`${nAxes} lists of edges are needed, one per axis`, x.span);
    return lists.map((l) => {
      if (l.kind !== 'tuple') return this.fail('edges must be a list of numbers', l.span);
      const edges = l.items.map(num);
      if (edges.length < 2 || edges.some((v, k) => k > 0 && !(v > edges[k - 1]!)))
        this.fail('edges need at least two strictly increasing numbers', l.span);
      return edges;
    });
  }

  /** A dict literal of label to one-argument lambda. */
  namedLambdas(x: Expr, what: string): NamedLambda[] {
    if (x.kind !== 'dict' || x.keys.length === 0)
      return this.fail(`${what} must be a non-empty dict of label to lambda`, x.span);
    return x.keys.map((name, k) => ({ name, fn: this.lambda(x.values[k], what, x.span) }));
  }

  integer(arg: Expr | undefined, op: string, span?: SourceSpan): number {
    const x = arg ? this.expr(arg) : undefined;
    if (x?.kind === 'literal' && typeof x.value === 'number' && Number.isInteger(x.value)) {
      // Python's slices would read Take(-1) as "all but the last"; func_adl means a count: refuse, do not guess.
      // (ElementAt(-1) is the last element, as in func_adl_uproot: only its magnitude is bounded)
      if ((x.value < 0 && op !== 'ElementAt') || !Number.isSafeInteger(x.value))
        return this.fail(
          op === 'ElementAt'
            ? `ElementAt takes an index within ±(2^53 − 1), not ${x.value}`
            : `${op} takes a count from 0 to 2^53 − 1, not ${x.value}`,
          x.span ?? span,
          op === 'Take' ? 'Take(n) keeps the first n events' : undefined,
        );
      return x.value;
    }
    return this.fail(`${op} takes an integer constant`, x?.span ?? span);
  }

  lambda(arg: Expr | undefined, op: string, span?: SourceSpan): LambdaExpr {
    let x = arg;
    if (x?.kind === 'name' && this.env.get(x.name)?.kind === 'lambda') x = this.env.get(x.name);
    if (x?.kind !== 'lambda')
      return this.fail(`${op} takes a lambda`, x?.span ?? span, `e.g. ${op}(lambda e: ...)`);
    if (x.params.length !== 1)
      this.fail(`the lambda of ${op} takes one argument, found ${x.params.length}`, x.span);
    return this.expr(x) as LambdaExpr;
  }

  /** Normalise an expression: sequence operators, math modules, `len`, `Zip`, script names, constants. */
  expr(e: Expr, bound: ReadonlySet<string> = new Set()): Expr {
    const go = (x: Expr) => this.expr(x, bound);
    switch (e.kind) {
      case 'name': {
        if (bound.has(e.name)) return e;
        const v = this.env.get(e.name);
        // Bindings were resolved when made, so expanding one cannot loop back to itself.
        return v ? this.expr(v, new Set()) : e;
      }
      case 'lambda': {
        const inner = new Set([...bound, ...e.params]);
        return { ...e, body: this.expr(e.body, inner) };
      }
      case 'attr': {
        if (e.target.kind === 'name' && MATH_MODULES.has(e.target.name) && !bound.has(e.target.name)) {
          const c = MATH_CONSTANTS[e.name];
          if (c !== undefined) return ex.lit(c, e.span);
        }
        return mapChildren(e, go);
      }
      case 'method': {
        if (e.target.kind === 'name' && MATH_MODULES.has(e.target.name) && !bound.has(e.target.name))
          return ex.call(e.name, e.args.map(go), e.span);
        if (isCollectionOp(e.name)) return this.collectionOp(e.name, go(e.target), e.args.map(go), e);
        if (e.name === 'Contains') return this.contains(go(e.target), e.args.map(go), e);
        return mapChildren(e, go);
      }
      case 'call': {
        const args = e.args.map(go);
        if (e.name === 'len' && args.length === 1) return ex.op('Count', args[0]!, [], e.span);
        if (e.name === 'Zip' && args.length === 1) return ex.op('Zip', args[0]!, [], e.span);
        if (e.name === 'Range') return ex.op('Range', ex.tuple(args, e.span), [], e.span);
        // qastle's Python form of sequence operators: `Count(xs)`, `Where(xs, lambda x: ...)`.
        if (isCollectionOp(e.name) && args.length >= 1 && args[0]!.kind !== 'lambda')
          return this.collectionOp(e.name, args[0]!, args.slice(1), e);
        if (e.name === 'Contains' && args.length === 2) return this.contains(args[0]!, args.slice(1), e);
        return { ...e, args };
      }
      default:
        return mapChildren(e, go);
    }
  }

  /** `xs.Contains(v)` (and `v in xs`) is `xs.Any(lambda x: x == v)`. */
  contains(source: Expr, args: Expr[], at: Expr): Expr {
    if (args.length !== 1) this.fail('Contains takes one value', nameSpanOf(at), 'e.g. .Contains(3)');
    return ex.op('Any', source, [this.containsLambda(args[0]!, at.span)], at.span);
  }

  containsLambda(value: Expr, span: SourceSpan | undefined): LambdaExpr {
    const item = ex.name(CONTAINS_PARAM, value.span);
    return ex.lambda([CONTAINS_PARAM], ex.compare('==', item, value, span), span) as LambdaExpr;
  }

  collectionOp(op: CollectionOp, source: Expr, args: Expr[], at: Expr): Expr {
    const span = at.span;
    if (takesLambda(op)) {
      const f = args[0];
      if (f?.kind !== 'lambda' || args.length !== 1)
        this.fail(`${op} takes one lambda`, f?.span ?? nameSpanOf(at), `e.g. .${op}(lambda x: ...)`);
    }
    if (op === 'SelectMany' && args[0]?.kind === 'lambda')
      return ex.op(op, source, [zipResult(args[0])], span);
    // Sum(f), Min(f), Max(f), Count(p), First(p), FirstOrDefault(p) are sugar for a Select / Where before the reduction.
    if (['Sum', 'Min', 'Max'].includes(op) && args[0]?.kind === 'lambda')
      return ex.op(op, ex.op('Select', source, [args[0]], span), [], span);
    if (['Count', 'First', 'FirstOrDefault', 'Last'].includes(op) && args[0]?.kind === 'lambda')
      return ex.op(op, ex.op('Where', source, [args[0]], span), [], span);
    return ex.op(op, source, args, span);
  }
}

/** Lower a parsed script to a logical plan. */
export function lowerScript(script: Script, options: LowerOptions = {}): LogicalPlan {
  return new Lowerer(script.source, options).lowerScript(script);
}

/** Lower one query expression (used by the qastle and TypeScript front ends). */
export function lowerQueryExpr(source: string, e: Expr, options: LowerOptions = {}): LogicalPlan {
  return new Lowerer(source, options).chain(e);
}

export { IMPLICIT_DATASET };

/** Normalise one lambda written in another front end's syntax (the TypeScript lambdas). */
export function lowerLambdaExpr(source: string, e: Expr, op: string, options: LowerOptions = {}): LambdaExpr {
  return new Lowerer(source, options).lambda(e, op, e.span);
}
