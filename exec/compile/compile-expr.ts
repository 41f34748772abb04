/** Compiles IR expressions to staged values, emitting straight-line JavaScript for scalar work as it goes. */

import {
  BUILTIN_REDUCTIONS,
  type Expr,
  ex,
  MATH_FUNCTIONS,
  P4_METHODS,
  P4_PROPERTIES,
  typeOf,
} from '../../planner/ir/index.js';
import type { ScalarFunction } from '../../udfs/api.js';
import { assertNever, HepqError, type SourceSpan } from '../batch/index.js';
import type { EventModel } from '../event-model.js';
import { retype, selectEach } from './collection-ops.js';
import { type ColumnRegistry, valueAt, zipCollections } from './columns.js';
import { Emitter } from './emitter.js';
import { compileOp } from './op-table.js';
import { p4Add, p4Method, p4Property, toP4 } from './p4.js';
import { where } from './pick-ops.js';
import {
  boundScalarType,
  type CollValue,
  lazyValues,
  leavesOf,
  rebuild,
  type ScalarType,
  scalar,
  type Value,
} from './values.js';

export type Scope = ReadonlyMap<string, Value>;

/** Where registered scalar functions are found (a `FunctionRegistry` of `udfs/api`). */
export interface FunctionLookup {
  scalar(name: string): ScalarFunction | undefined;
  scalarNames?(): string[];
}

/** Anything with an optional source span (expressions and plan nodes). */
export interface Located {
  readonly span?: SourceSpan;
}

const JS_MATH: Record<string, string> = {
  abs: 'Math.abs',
  fabs: 'Math.abs',
  sqrt: 'Math.sqrt',
  exp: 'Math.exp',
  log: 'Math.log',
  log10: 'Math.log10',
  log2: 'Math.log2',
  sin: 'Math.sin',
  cos: 'Math.cos',
  tan: 'Math.tan',
  arcsin: 'Math.asin',
  arccos: 'Math.acos',
  arctan: 'Math.atan',
  asin: 'Math.asin',
  acos: 'Math.acos',
  atan: 'Math.atan',
  arctan2: 'Math.atan2',
  atan2: 'Math.atan2',
  sinh: 'Math.sinh',
  cosh: 'Math.cosh',
  tanh: 'Math.tanh',
  arcsinh: 'Math.asinh',
  arccosh: 'Math.acosh',
  arctanh: 'Math.atanh',
  asinh: 'Math.asinh',
  acosh: 'Math.acosh',
  atanh: 'Math.atanh',
  floor: 'Math.floor',
  ceil: 'Math.ceil',
  round: 'Math.round',
  hypot: 'Math.hypot',
  power: 'Math.pow',
  pow: 'Math.pow',
  float: '+',
  int: 'Math.trunc',
  isnan: 'Number.isNaN',
  isfinite: 'Number.isFinite',
  DeltaPhi: 'H.dphi',
};

export class ExprCompiler {
  /** Materialisation sites numbered in code-generation order (the same in every pass). */
  private site = 0;

  constructor(
    public em: Emitter,
    readonly model: EventModel,
    readonly cols: ColumnRegistry,
    /** Sites whose four-vectors later needed Cartesian components: store those too (learned in a first pass). */
    readonly cartesianSites: Set<number> = new Set(),
    readonly functions?: FunctionLookup,
    /** Per materialisation site, the leaves no code reads (learned in an earlier pass): not stored. */
    readonly skipLeaves: ReadonlyMap<number, ReadonlySet<number>> = new Map(),
  ) {}

  /** The scratch buffers of every materialisation site, for finding the ones nothing reads. */
  readonly bufferSites: { site: number; n: string; bufs: readonly (string | undefined)[] }[] = [];

  /** Registered functions the generated code calls, as `F0`, `F1`, … */
  readonly calledFunctions: ((...a: number[]) => number)[] = [];

  /**
   * Values of query parameters the generated code reads as `$p0`, `$p1`, … (one slot per use, in generation
   * order, so the code is the same whatever the values): passed to the loop at run time.
   */
  readonly parameters: number[] = [];

  /** A query parameter's value (a number, or a boolean as 1/0) as a run-time slot of the generated code. */
  private parameter(v: number | boolean, type: ScalarType): Value {
    const name = `$p${this.parameters.length}`;
    this.parameters.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return scalar(name, type);
  }

  /** Run `f` with code going to a throw-away emitter (to learn the shape of a value without emitting it). */
  dryRun<T>(f: () => T): T {
    const saved = this.em;
    this.em = new Emitter();
    try {
      return f();
    } finally {
      this.em = saved;
    }
  }

  nextSite(): number {
    return this.site++;
  }

  fail(message: string, e?: Located): never {
    throw new HepqError('exec/expression', message, e?.span ? { span: e.span } : {});
  }

  num(v: Value, e: Located): string {
    if (v.k !== 'scalar' || v.type === 'string') return this.fail(`expected a number, got a ${v.k}`, e);
    return v.code;
  }

  /** Apply a one-or-more-argument lambda to staged values (arguments bound to names first). */
  apply(lam: Expr, args: readonly Value[], scope: Scope): Value {
    if (lam.kind !== 'lambda') return this.fail('expected a lambda', lam);
    const inner = new Map(scope);
    lam.params.forEach((p, i) => {
      const a = args[i]!;
      inner.set(p, a.k === 'scalar' && a.type !== 'string' ? scalar(this.em.bind(a.code, 'a'), a.type) : a);
    });
    return this.compile(lam.body, inner);
  }

  compile(e: Expr, scope: Scope): Value {
    const em = this.em;
    const go = (x: Expr) => this.compile(x, scope);
    switch (e.kind) {
      case 'literal':
        if (e.param && typeof e.value !== 'string' && e.value !== null)
          return this.parameter(e.value, boundScalarType(e));
        if (e.value === null) return scalar('NaN', boundScalarType(e));
        if (typeof e.value === 'boolean') return scalar(e.value ? '1' : '0', boundScalarType(e));
        if (typeof e.value === 'string') return scalar(JSON.stringify(e.value), boundScalarType(e));
        return scalar(
          Number.isFinite(e.value) ? String(e.value) : e.value > 0 ? 'Infinity' : '-Infinity',
          boundScalarType(e),
        );
      case 'name': {
        const v = scope.get(e.name);
        return v ?? this.fail(`unknown name ${e.name}`, e);
      }
      case 'attr':
        return this.attr(go(e.target), e.name, e);
      case 'method':
        return this.method(e, go(e.target), scope);
      case 'call':
        return this.call(e, scope);
      case 'op':
        return compileOp(this, e, scope);
      case 'lambda':
        return this.fail('a lambda can only be an operator argument', e);
      case 'binary': {
        const l = go(e.left);
        const r = go(e.right);
        if (l.k === 'p4' && r.k === 'p4' && (e.op === '+' || e.op === '-')) return p4Add(l, r, e.op, em);
        const a = this.num(l, e.left);
        const b = this.num(r, e.right);
        // The bound type: int32 for integers (Python's int), a double for floats and wide integers.
        const t = boundScalarType(e);
        const ints = t === 'int32';
        const op = e.op;
        switch (op) {
          case '+':
          case '-':
          case '*':
          case '/':
          case '**':
            return scalar(op === '**' ? `Math.pow(${a}, ${b})` : `(${a} ${op} ${b})`, t);
          // Integers divided by zero stop the query (Python's ZeroDivisionError); floats follow IEEE (inf, NaN).
          case '//':
            return scalar(ints ? `H.idiv(${a}, ${b}${where(e)})` : `Math.floor(${a} / ${b})`, t);
          case '%':
            return scalar(ints ? `H.imod(${a}, ${b}${where(e)})` : `H.mod(${a}, ${b})`, t);
          default:
            return assertNever(op, 'arithmetic operator');
        }
      }
      case 'compare': {
        const l = go(e.left);
        const r = go(e.right);
        if (l.k !== 'scalar' || r.k !== 'scalar')
          return this.fail(`cannot compare a ${l.k} with a ${r.k}`, e);
        const op = e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op;
        return scalar(`(${l.code} ${op} ${r.code})`, 'bool');
      }
      case 'unary': {
        const o = go(e.operand);
        const a = this.num(o, e.operand);
        if (e.op === 'not') return scalar(`!(${a})`, 'bool');
        return scalar(`(${e.op}${a})`, boundScalarType(e));
      }
      case 'bool': {
        // Short-circuit: later operands are only evaluated (and only emitted inside) when needed.
        const r = em.fresh('b');
        em.line(`let ${r} = !!(${this.num(go(e.operands[0]!), e)});`);
        const rest = e.operands.slice(1);
        const step = (i: number) => {
          if (i >= rest.length) return;
          em.block(`if (${e.op === 'and' ? r : `!${r}`})`, () => {
            em.line(`${r} = !!(${this.num(go(rest[i]!), rest[i]!)});`);
            step(i + 1);
          });
        };
        step(0);
        return scalar(r, 'bool');
      }
      case 'conditional':
        return this.conditional(e, scope);
      case 'index': {
        const t = go(e.target);
        if (t.k === 'event' && e.index.kind === 'literal' && typeof e.index.value === 'string')
          return this.attr(t, e.index.value, e);
        if (t.k === 'record' && e.index.kind === 'literal') {
          const k = e.index.value;
          const i = typeof k === 'number' ? (k < 0 ? t.values.length + k : k) : t.names.indexOf(String(k));
          const v = t.values[i];
          return v ?? this.fail(`no item ${String(k)}`, e);
        }
        if (t.k !== 'coll') return this.fail(`cannot index a ${t.k}`, e);
        const at = {
          ...ex.op('ElementAt', e.target, [e.index], e.span),
          ...(e.type ? { type: e.type } : {}),
        };
        return compileOp(this, at as Expr & { kind: 'op' }, scope);
      }
      case 'dict':
        return { k: 'record', names: e.keys, values: e.values.map(go) };
      case 'tuple':
        return {
          k: 'record',
          tuple: true,
          names: e.items.map((_x, i) => `col${i + 1}`),
          values: e.items.map(go),
        };
      default:
        return assertNever(e, 'expr');
    }
  }

  /** `a if c else b`, evaluating only the taken branch (First() on an empty branch must not throw). */
  private conditional(e: Expr & { kind: 'conditional' }, scope: Scope): Value {
    const em = this.em;
    const c = this.num(this.compile(e.test, scope), e.test);
    const decl = em.slot();
    const ind = em.indent();
    let vars: string[] | undefined;
    let template: Value | undefined;
    const branch = (x: Expr) => {
      const v = this.compile(x, scope);
      const leaves = leavesOf(v);
      if (!leaves)
        return this.fail('both branches of a conditional must be values, not whole collections', x);
      if (!vars) {
        template = v;
        vars = leaves.map(() => em.fresh('c'));
        decl.push(...vars.map((n) => `${ind}let ${n};`));
      } else if (vars.length !== leaves.length)
        this.fail('the branches of a conditional have different shapes', e);
      for (let i = 0; i < leaves.length; i++) em.line(`${vars![i]} = ${leaves[i]};`);
    };
    em.block(`if (${c})`, () => branch(e.then));
    em.block('else', () => branch(e.otherwise));
    // Typed as the bound type, not the first branch's: `0 if c else 1.5` is a float (it was written as an int32).
    return retype(rebuild(template!, vars!), typeOf(e));
  }

  attr(t: Value, name: string, e: Expr): Value {
    switch (t.k) {
      case 'event': {
        if (this.model.column(name)) return valueAt(this.cols.access(name), t.row, this.em);
        const g = this.model.group(name);
        if (g) return this.group(g.kind, [...g.fields], t.row);
        const nested = this.model.nested(name);
        if (nested) return this.attr(this.attr(t, nested.column, e), nested.field, e);
        const counted = this.model.counted(name);
        if (counted) {
          const list = valueAt(this.cols.access(counted), t.row, this.em) as CollValue;
          return scalar(this.em.bind(list.len!(this.em), 'n'), 'uint32');
        }
        return this.fail(`unknown column ${name}`, e);
      }
      case 'record': {
        const i = t.names.indexOf(name);
        return i >= 0 ? t.values[i]! : this.fail(`no field ${name}`, e);
      }
      case 'p4':
        return p4Property(t, name, this.em);
      case 'coll':
        return selectEach(this, t, (el) => this.attr(el, name, e));
      case 'scalar':
        return this.fail(`a number has no attribute ${name}`, e);
      default:
        return assertNever(t, 'value');
    }
  }

  /** A column group at a row: a record of scalars, or a collection of records over parallel lists. */
  group(kind: 'collection' | 'record', fields: readonly [string, string][], row: string): Value {
    const names = fields.map(([n]) => n);
    // Fields are made when first read, so only the columns a query touches are scanned.
    const values = lazyValues(fields.length, (k) => valueAt(this.cols.access(fields[k]![1]), row, this.em));
    if (kind === 'record') return { k: 'record', names, values };
    return zipCollections(names, values as CollValue[], this.em);
  }

  private method(e: Expr & { kind: 'method' }, target: Value, scope: Scope): Value {
    if (target.k === 'event') {
      const a = e.args[0];
      const g = this.model.container(
        e.name,
        a?.kind === 'literal' && typeof a.value === 'string' ? a.value : undefined,
      );
      if (g) return this.group(g.kind, [...g.fields], target.row);
    }
    if (target.k === 'p4' && P4_METHODS.has(e.name)) {
      const o = this.compile(e.args[0]!, scope);
      if (o.k !== 'p4') return this.fail(`${e.name} needs a four-vector`, e);
      return p4Method(target, e.name, o, this.em);
    }
    if (
      e.args.length === 0 &&
      (target.k === 'record' || target.k === 'coll' || (target.k === 'p4' && P4_PROPERTIES.has(e.name)))
    )
      return this.attr(target, e.name, e);
    return this.fail(`unknown method ${e.name}`, e);
  }

  private call(e: Expr & { kind: 'call' }, scope: Scope): Value {
    if (BUILTIN_REDUCTIONS.has(e.name) && e.args.length === 1) {
      const ops: Record<string, 'Sum' | 'Min' | 'Max' | 'Any' | 'All'> = {
        sum: 'Sum',
        min: 'Min',
        max: 'Max',
        any: 'Any',
        all: 'All',
      };
      const op = ops[e.name]!;
      const args = op === 'Any' || op === 'All' ? [ex.lambda(['_x'], ex.name('_x'))] : [];
      // The operator stands for the call: it has the call's bound type.
      const opExpr = { ...ex.op(op, e.args[0]!, args, e.span), ...(e.type ? { type: e.type } : {}) };
      return compileOp(this, opExpr as Expr & { kind: 'op' }, scope);
    }
    const args = e.args.map((a) => this.num(this.compile(a, scope), a));
    // Every call has its bound type (`abs` of an int is an int, `max(a, b)` the arguments' common type, a
    // registered function a bool when declared so and a double otherwise).
    const type = boundScalarType(e);
    if (e.name === 'min' || e.name === 'max') return scalar(`Math.${e.name}(${args.join(', ')})`, type);
    if (e.name === 'isinf')
      return scalar(`(!Number.isFinite(${args[0]}) && !Number.isNaN(${args[0]}))`, type);
    if (e.name === 'DeltaR') {
      const [eta1, phi1, eta2, phi2] = args;
      const dp = this.em.bind(`H.dphi(${phi1}, ${phi2})`, 'dphi');
      const de = this.em.bind(`${eta1} - ${eta2}`, 'deta');
      return scalar(`Math.sqrt(${de} * ${de} + ${dp} * ${dp})`, type);
    }
    const fn = JS_MATH[e.name];
    if (!fn || !MATH_FUNCTIONS[e.name]) {
      const f = this.functions?.scalar(e.name);
      if (!f) return this.fail(`unknown function ${e.name}`, e);
      if (!f.arity.includes(args.length))
        return this.fail(`${e.name} takes ${f.arity.join(' or ')} argument(s)`, e);
      let k = this.calledFunctions.indexOf(f.fn);
      if (k < 0) k = this.calledFunctions.push(f.fn) - 1;
      return scalar(`F${k}(${args.join(', ')})`, type);
    }
    return scalar(`${fn}(${args.join(', ')})`, type);
  }

  /** `{...}.ToFourMomentum()` */
  fourMomentum(v: Value, e: Expr): Value {
    try {
      return toP4(v, this.em);
    } catch (err) {
      if (err instanceof HepqError) this.fail(err.message, e);
      throw err;
    }
  }
}
