/** Types func_adl expressions against an event model; reports unknown names and type errors with carets. */
import { assertNever, didYouMean, HepqError, type SourceSpan } from '../../exec/batch/index.js';
import type { ColumnGroup, EventModel, FunctionLookup } from '../../exec/index.js';
import {
  arithmeticType,
  BUILTIN_REDUCTIONS,
  COLLECTION_OPS,
  depth,
  type Expr,
  fromDataType,
  isBoolish,
  isNumeric,
  knownFunctionNames,
  type LambdaExpr,
  literalType,
  MATH_FUNCTIONS,
  mapChildren,
  negatedType,
  P4_METHODS,
  P4_PROPERTIES,
  type QType,
  T,
  typeText,
  unify,
} from '../ir/index.js';
import { typeOp } from './analyze-ops.js';

/** Deepest collection nesting any expression may produce (events → jets → constituents → …). */
export const MAX_DEPTH = 4;

export class ExprAnalyzer {
  /** The columns the analysed expressions read (for scan pruning). */
  readonly used = new Set<string>();

  constructor(
    readonly model: EventModel,
    readonly source?: string,
    readonly functions?: FunctionLookup,
  ) {}

  fail(message: string, span: SourceSpan | undefined, hint?: string): never {
    throw new HepqError('planner/type', message, { span, source: this.source, ...(hint ? { hint } : {}) });
  }

  groupType(g: ColumnGroup): QType {
    for (const col of g.fields.values()) this.used.add(col);
    const fields = [...g.fields].map(([name, col]) => {
      const t = fromDataType(this.model.column(col)!.type);
      return { name, type: g.kind === 'collection' && t.kind === 'collection' ? t.item : t };
    });
    const rec: QType = { kind: 'record', fields };
    return g.kind === 'collection' ? T.collection(rec) : rec;
  }

  /** The type of `lambda x: body` applied to an argument of type `arg`. */
  lambda(e: Expr, args: readonly QType[], scope: ReadonlyMap<string, QType>): QType {
    if (e.kind !== 'lambda') return this.fail('expected a lambda', e.span);
    if (e.params.length !== args.length)
      this.fail(`this lambda takes ${e.params.length} argument(s), but ${args.length} are given`, e.span);
    const inner = new Map(scope);
    e.params.forEach((p, i) => {
      inner.set(p, args[i]!);
    });
    return this.type(e.body, inner);
  }

  /**
   * Bound copies of the expressions typed inside each `type` call still running (the last frame is the
   * innermost): when a call finishes, its expression is rebuilt from its children's copies with its type set,
   * and handed to the frame of the call around it. A frame is per call, so a node shared by two places typed
   * in different scopes gets each place's own type.
   */
  private readonly frames: [Expr, Expr][][] = [[]];

  type(e: Expr, scope: ReadonlyMap<string, QType>): QType {
    this.frames.push([]);
    let t: QType;
    let frame: [Expr, Expr][];
    try {
      t = this.typeOf(e, scope);
    } finally {
      frame = this.frames.pop()!;
    }
    if (depth(t) > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels: ${typeText(t)}`, e.span);
    this.frames.at(-1)!.push([e, { ...mapChildren(e, (c) => takeBound(frame, c)), type: t } as Expr]);
    return t;
  }

  /**
   * The bound copy of a plan-level lambda typed by `lambda` at the top level (its body carries the types);
   * the lambda itself unchanged if it was not typed.
   */
  bound(f: LambdaExpr): LambdaExpr {
    return takeBound(this.frames[0]!, f) as LambdaExpr;
  }

  private typeOf(e: Expr, scope: ReadonlyMap<string, QType>): QType {
    const go = (x: Expr) => this.type(x, scope);
    switch (e.kind) {
      case 'literal':
        return literalType(e.value, e.integer);
      case 'name': {
        const t = scope.get(e.name);
        if (t) return t;
        const near = didYouMean(e.name, scope.keys());
        return this.fail(`unknown name ${e.name}`, e.span, near ? `did you mean ${near}?` : undefined);
      }
      case 'attr':
        return this.attr(go(e.target), e.name, e.span);
      case 'method':
        return this.method(e, go(e.target), scope);
      case 'call':
        return this.call(e, scope);
      case 'op':
        return typeOp(this, e, scope);
      case 'lambda':
        return this.fail('a lambda can only be an argument of an operator', e.span);
      case 'binary': {
        const l = go(e.left);
        const r = go(e.right);
        if (l.kind === 'p4' && r.kind === 'p4' && (e.op === '+' || e.op === '-')) return T.p4;
        if (l.kind === 'scalar' && r.kind === 'scalar') {
          const t = arithmeticType(l, r, e.op);
          // Python raises ZeroDivisionError; a literal zero divisor is refused here, a computed one when it occurs.
          if ((e.op === '//' || e.op === '%') && e.right.kind === 'literal' && e.right.value === 0)
            this.fail(`${e.op === '//' ? 'floor division' : 'modulo'} by zero`, e.right.span ?? e.span);
          return t;
        }
        return this.fail(`cannot apply ${e.op} to ${typeText(l)} and ${typeText(r)}`, e.span, hintFor(l, r));
      }
      case 'compare': {
        const l = go(e.left);
        const r = go(e.right);
        const ok =
          (isNumeric(l) && isNumeric(r)) ||
          (l.kind === 'string' && r.kind === 'string') ||
          ((l.kind === 'null' || r.kind === 'null') && (e.op === '==' || e.op === '!='));
        if (!ok) this.fail(`cannot compare ${typeText(l)} with ${typeText(r)}`, e.span, hintFor(l, r));
        return T.bool;
      }
      case 'unary': {
        const t = go(e.operand);
        if (!isNumeric(t)) this.fail(`cannot apply ${e.op} to ${typeText(t)}`, e.span);
        if (e.op === 'not') return T.bool;
        return t.kind === 'scalar' ? negatedType(t) : t;
      }
      case 'bool':
        for (const o of e.operands) {
          const t = go(o);
          if (!isBoolish(t))
            this.fail(`${e.op} needs true/false values, not ${typeText(t)}`, o.span, hintFor(t, T.bool));
        }
        return T.bool;
      case 'conditional': {
        const c = go(e.test);
        if (!isBoolish(c)) this.fail(`a condition must be true/false, not ${typeText(c)}`, e.test.span);
        const a = go(e.then);
        const b = go(e.otherwise);
        const u = unify(a, b);
        return u ?? this.fail(`the branches have different types: ${typeText(a)} and ${typeText(b)}`, e.span);
      }
      case 'index': {
        const t = go(e.target);
        // `e['AnalysisJetsAuxDyn.pt']`: a branch whose name is not an identifier.
        if (t.kind === 'event' && e.index.kind === 'literal' && typeof e.index.value === 'string')
          return this.attr(t, e.index.value, e.index.span);
        const i = go(e.index);
        if (t.kind === 'collection') {
          if (i.kind !== 'scalar' || i.type === 'float32' || i.type === 'float64')
            this.fail(`an index must be an integer, not ${typeText(i)}`, e.index.span);
          return t.item;
        }
        if (t.kind === 'record' && e.index.kind === 'literal') {
          const k = e.index.value;
          const f =
            typeof k === 'number'
              ? t.fields[k < 0 ? t.fields.length + k : k]
              : t.fields.find((x) => x.name === k);
          if (f) return f.type;
        }
        return this.fail(`cannot index ${typeText(t)}`, e.span);
      }
      case 'dict':
        return { kind: 'record', fields: e.keys.map((k, i) => ({ name: k, type: go(e.values[i]!) })) };
      case 'tuple':
        return {
          kind: 'record',
          tuple: true,
          fields: e.items.map((x, i) => ({ name: `col${i + 1}`, type: go(x) })),
        };
      default:
        return assertNever(e, 'expr');
    }
  }

  attr(t: QType, name: string, span?: SourceSpan): QType {
    switch (t.kind) {
      case 'event': {
        const col = this.model.column(name);
        if (col) {
          this.used.add(name);
          return fromDataType(col.type);
        }
        const g = this.model.group(name);
        if (g) return this.groupType(g);
        const nested = this.model.nested(name);
        if (nested) return this.attr(this.attr(t, nested.column, span), nested.field, span);
        const counted = this.model.counted(name);
        if (counted) {
          this.used.add(counted);
          return { kind: 'scalar', type: 'uint32' };
        }
        const near = didYouMean(name, this.model.names());
        return this.fail(
          `unknown column ${name}`,
          span,
          near ? `did you mean ${near}?` : 'no such branch in this tree',
        );
      }
      case 'record': {
        const f = t.fields.find((x) => x.name === name);
        if (f) return f.type;
        const near = didYouMean(
          name,
          t.fields.map((x) => x.name),
        );
        return this.fail(
          `no field ${name} in ${typeText(t)}`,
          span,
          near ? `did you mean ${near}?` : undefined,
        );
      }
      case 'p4':
        if (P4_PROPERTIES.has(name)) return T.f64;
        return this.fail(
          `a four-vector has no property ${name}`,
          span,
          `properties: ${[...P4_PROPERTIES].join(', ')}`,
        );
      case 'collection':
        // `e.Jet.pt` reads one field of every record, as awkward arrays do.
        if (t.item.kind === 'record' || t.item.kind === 'p4' || t.item.kind === 'collection')
          return T.collection(this.attr(t.item, name, span));
        return this.fail(
          `${typeText(t)} has no attribute ${name}`,
          span,
          'use .Select(lambda x: ...) on a collection',
        );
      default:
        return this.fail(`${typeText(t)} has no attribute ${name}`, span);
    }
  }

  private method(e: Expr & { kind: 'method' }, target: QType, scope: ReadonlyMap<string, QType>): QType {
    if (target.kind === 'event') {
      const arg = e.args[0];
      const g = this.model.container(
        e.name,
        arg?.kind === 'literal' && typeof arg.value === 'string' ? arg.value : undefined,
      );
      if (g) return this.groupType(g);
    }
    if (
      e.args.length === 0 &&
      (target.kind === 'record' || target.kind === 'p4' || target.kind === 'collection')
    )
      return this.attr(target, e.name, e.span);
    if (target.kind === 'p4' && P4_METHODS.has(e.name)) {
      const o = this.type(e.args[0]!, scope);
      if (o.kind !== 'p4') this.fail(`${e.name} needs a four-vector, not ${typeText(o)}`, e.args[0]!.span);
      return T.f64;
    }
    const near = didYouMean(e.name, [...COLLECTION_OPS, ...P4_METHODS]);
    return this.fail(
      `unknown method ${e.name} on ${typeText(target)}`,
      e.span,
      near ? `did you mean ${near}?` : undefined,
    );
  }

  private call(e: Expr & { kind: 'call' }, scope: ReadonlyMap<string, QType>): QType {
    const args = e.args.map((a) => this.type(a, scope));
    if (BUILTIN_REDUCTIONS.has(e.name)) {
      if (args.length === 1 && args[0]!.kind === 'collection') {
        const item = args[0]!.item;
        if (e.name === 'any' || e.name === 'all') return T.bool;
        return e.name === 'sum' && item.kind === 'scalar' ? arithmeticType(item, item, '+') : item;
      }
      // min/max of numbers returns one of them (no arithmetic): their common type, as a conditional's branches.
      if (args.every(isNumeric) && args.length >= 2 && e.name !== 'sum')
        return args.reduce((t, u) => unify(t, u) ?? T.f64);
      const what = args.length === 1 ? typeText(args[0]!) : `${args.length} arguments`;
      return this.fail(
        `${e.name}() needs a collection${e.name === 'min' || e.name === 'max' ? ' or two or more numbers' : ''}, not ${what}`,
        e.span,
      );
    }
    const f = MATH_FUNCTIONS[e.name] ?? this.functions?.scalar(e.name);
    if (!f) {
      const near = didYouMean(e.name, [...knownFunctionNames(), ...(this.functions?.scalarNames?.() ?? [])]);
      return this.fail(`unknown function ${e.name}`, e.span, near ? `did you mean ${near}?` : undefined);
    }
    if (!f.arity.includes(args.length))
      this.fail(`${e.name} takes ${f.arity.join(' or ')} argument(s)`, e.span);
    args.forEach((a, i) => {
      if (!isNumeric(a))
        this.fail(`${e.name} needs numbers, not ${typeText(a)}`, e.args[i]!.span, hintFor(a, T.f64));
    });
    if (['isnan', 'isinf', 'isfinite'].includes(e.name)) return T.bool;
    // A registered function: a bool when declared so; any other number it returns is a double.
    const registered = MATH_FUNCTIONS[e.name] ? undefined : this.functions?.scalar(e.name);
    if (registered)
      return registered.returns.kind === 'primitive' && registered.returns.type === 'bool' ? T.bool : T.f64;
    if (e.name === 'int' || e.name === 'round' || e.name === 'floor' || e.name === 'ceil') return T.i64;
    // Python's abs of an int is an int; of a float, a float (computed, so float64).
    const x = args[0]!;
    if (e.name === 'abs' && x.kind === 'scalar' && x.type !== 'bool')
      return x.type === 'float32' || x.type === 'float64' ? T.f64 : x;
    return T.f64;
  }
}

/**
 * The bound copy of `c` from a finished frame (the last typing of it there: a fold's step is typed again once
 * its accumulator is known); a lambda is rebuilt around its bound body. A literal the analyzer read without
 * typing (a container name, a branch name in `e['…']`) gets its literal type; other untyped nodes stay as they are.
 */
function takeBound(frame: [Expr, Expr][], c: Expr): Expr {
  for (let i = frame.length - 1; i >= 0; i--) if (frame[i]![0] === c) return frame.splice(i, 1)[0]![1];
  if (c.kind === 'lambda') {
    const body = takeBound(frame, c.body);
    return body === c.body ? c : { ...c, body };
  }
  if (c.kind === 'literal' && !c.type) return { ...c, type: literalType(c.value, c.integer) };
  return c;
}

export function hintFor(a: QType, b: QType): string | undefined {
  if (a.kind === 'collection' || b.kind === 'collection')
    return 'one side is a collection: reduce it first (.Count(), .Sum(), .First(), ...) or use .Where/.Select on it';
  return undefined;
}
