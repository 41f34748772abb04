/** Typing of the func_adl sequence operators inside lambdas (Select, Where, Count, Choose, Zip, …). */
import type { SourceSpan } from '../../exec/batch/index.js';
import {
  arithmeticType,
  CONTAINS_PARAM,
  type Expr,
  isBoolish,
  isNumeric,
  type OpDef,
  opDef,
  type QType,
  type ScalarQType,
  T,
  type TypeRule,
  typeText,
  unify,
} from '../ir/index.js';
import type { ExprAnalyzer } from './analyze-expr.js';
import { hintFor } from './analyze-expr.js';

/** What a type rule sees: the operator, its source's type, and (for rules over a collection) the item type. */
interface RuleInput {
  readonly a: ExprAnalyzer;
  readonly e: OpExpr;
  readonly scope: ReadonlyMap<string, QType>;
  readonly src: QType;
  /** The source's item type (rules marked `collection` only). */
  readonly item: QType;
  readonly span: SourceSpan | undefined;
  /** The type of the first argument, a lambda applied to one item. */
  readonly lam: () => QType;
}
type OpExpr = Expr & { kind: 'op' };
interface Rule {
  /** The source must be a collection (checked, with the operator named, before `type` runs). */
  readonly collection: boolean;
  readonly type: (x: RuleInput) => QType;
}
const onItems = (type: Rule['type']): Rule => ({ collection: true, type });
const onAnything = (type: Rule['type']): Rule => ({ collection: false, type });

/** The analyzer's side of each `TypeRule` of planner/ir/ops: one entry per rule, checked exhaustive. */
const TYPE_RULES: Record<TypeRule, Rule> = {
  zip: onAnything(({ a, src, span }) => zip(a, src, span)),
  p4: onAnything(({ a, src, span }) => toP4(a, src, span)),
  range: onAnything(({ a, src, span }) => {
    const bounds = src.kind === 'record' ? src.fields.map((f) => f.type) : [src];
    if (!bounds.length || bounds.length > 2 || !bounds.every(isNumeric))
      a.fail(`Range takes one or two numbers, not ${typeText(src)}`, span);
    return T.collection(T.i64);
  }),
  p4s: onAnything(({ a, src, span }) => {
    if (src.kind === 'record') {
      const z = zip(a, src, span);
      return T.collection(toP4(a, (z as { item: QType }).item, span));
    }
    if (src.kind !== 'collection')
      a.fail(`ToFourMomenta needs a collection of records, not ${typeText(src)}`, span);
    return T.collection(toP4(a, (src as { item: QType }).item, span));
  }),
  map: onItems(({ lam }) => T.collection(lam())),
  flatMap: onItems(({ a, e, lam }) => {
    const r = lam();
    if (r.kind !== 'collection')
      a.fail(`the lambda of SelectMany must return a collection, not ${typeText(r)}`, e.args[0]!.span);
    return r;
  }),
  filter: onItems(({ a, e, src, lam }) => {
    const r = lam();
    if (!isBoolish(r))
      a.fail(
        `the lambda of Where must return true/false, not ${typeText(r)}`,
        e.args[0]!.span,
        hintFor(r, T.bool),
      );
    return src;
  }),
  quantifier: onItems(({ a, e, lam }) => {
    const r = lam();
    if (!isBoolish(r))
      a.fail(`the lambda of ${e.op} must return true/false, not ${typeText(r)}`, e.args[0]!.span);
    return T.bool;
  }),
  order: onItems(({ a, e, src, lam }) => {
    const r = lam();
    if (!isNumeric(r)) a.fail(`an ordering key must be a number, not ${typeText(r)}`, e.args[0]!.span);
    return src;
  }),
  count: onItems(() => T.i64),
  sum: onItems(({ a, src, item, span }) => {
    // Four-vectors add up (the event's total momentum); an empty sum is the zero vector.
    if (item.kind === 'p4') return item;
    if (item.kind !== 'scalar') a.fail(`Sum needs numbers or four-vectors, not ${typeText(src)}`, span);
    return arithmeticType(item as ScalarQType, item as ScalarQType, '+');
  }),
  extremum: onItems(({ a, e, src, item, span }) => {
    if (item.kind !== 'scalar') a.fail(`${e.op} needs numbers, not ${typeText(src)}`, span);
    return item;
  }),
  item: onItems(({ item }) => item),
  element: onItems(({ item }) => item),
  slice: onItems(({ src }) => src),
  combinations: onItems(({ src }) => T.collection(src)),
  fold: onItems(({ a, e, scope, item }) => {
    const seed = a.type(e.args[0]!, scope);
    if (seed.kind !== 'scalar' || !isNumeric(seed))
      return a.fail(`the seed of ${e.op} must be a number, not ${typeText(seed)}`, e.args[0]!.span);
    const step = (acc: QType) => {
      const r = a.lambda(e.args[1]!, [acc, item], scope);
      if (r.kind !== 'scalar' || !isNumeric(r))
        return a.fail(`the lambda of ${e.op} must return a number, not ${typeText(r)}`, e.args[1]!.span);
      return r;
    };
    // The accumulator holds what the seed and every step give: an integer seed with float steps is a float.
    const acc = arithmeticType(seed, step(seed), '+');
    if (acc.kind === 'scalar' && acc.type !== seed.type) step(acc);
    return acc;
  }),
  concat: onItems(({ a, e, scope, src, span }) => {
    const o = a.type(e.args[0]!, scope);
    const u = unify(src, o);
    return u ?? a.fail(`cannot concatenate ${typeText(src)} and ${typeText(o)}`, span);
  }),
};

/** The type of a sequence operator applied to a collection (and of Zip, Range, four-vector construction). */
export function typeOp(a: ExprAnalyzer, e: OpExpr, scope: ReadonlyMap<string, QType>): QType {
  const src = a.type(e.source, scope);
  const span = e.span;
  const def = opDef(e.op);
  const rule = TYPE_RULES[def.type];
  // `v in xs` / `xs.Contains(v)` are an Any underneath: name them as written.
  const f = e.args[0];
  const named =
    e.op === 'Any' && f?.kind === 'lambda' && f.params[0] === CONTAINS_PARAM ? 'Contains (in)' : e.op;
  if (rule.collection && src.kind !== 'collection')
    return a.fail(
      `${named} needs a collection, not ${typeText(src)}`,
      span,
      src.kind === 'record' ? 'use Zip() to make a collection of records' : undefined,
    );
  checkArgs(a, e, def, scope);
  const item = src.kind === 'collection' ? src.item : src;
  return rule.type({ a, e, scope, src, item, span, lam: () => a.lambda(e.args[0]!, [item], scope) });
}

/** The argument count, and the integer arguments (`count`, `int`, `size`) of an operator, as its definition says. */
function checkArgs(a: ExprAnalyzer, e: OpExpr, def: OpDef, scope: ReadonlyMap<string, QType>): void {
  const max = def.args.length;
  const min = max - (def.optional ?? 0);
  const arity = () => {
    const want = min === max ? `${max}` : `${min} or ${max}`;
    a.fail(`${e.op} takes ${want} argument(s), not ${e.args.length}`, e.span);
  };
  if (e.args.length > max) arity();
  def.args.forEach((kind, i) => {
    if (kind !== 'count' && kind !== 'int' && kind !== 'size') return;
    const arg = e.args[i];
    const n = arg ? a.type(arg, scope) : undefined;
    if (n?.kind !== 'scalar' || n.type === 'float32' || n.type === 'float64')
      a.fail(`${e.op} takes an integer`, arg?.span ?? e.span);
    const count = kind === 'count';
    if (
      arg?.kind === 'literal' &&
      typeof arg.value === 'number' &&
      ((arg.value < 0 && count) || !Number.isSafeInteger(arg.value))
    )
      a.fail(
        count
          ? `${e.op} takes a count from 0 to 2^53 − 1, not ${arg.value}`
          : `${e.op} takes an integer within ±(2^53 − 1), not ${arg.value}`,
        arg.span ?? e.span,
      );
    if (
      kind === 'size' &&
      (arg?.kind !== 'literal' ||
        typeof arg.value !== 'number' ||
        !Number.isInteger(arg.value) ||
        arg.value < 1)
    )
      a.fail(`${e.op} takes a positive integer constant (the size of each combination)`, arg?.span ?? e.span);
  });
  if (e.args.length < min) arity();
}

/** `Zip({'pt': a, 'eta': b})` of parallel collections is a collection of records. */
function zip(a: ExprAnalyzer, src: QType, span?: SourceSpan): QType {
  if (src.kind !== 'record')
    return a.fail(`Zip needs a dict or tuple of collections, not ${typeText(src)}`, span);
  const fields = src.fields.map((f) => {
    if (f.type.kind !== 'collection')
      a.fail(`Zip needs collections, but ${f.name} is ${typeText(f.type)}`, span);
    return { name: f.name, type: (f.type as { item: QType }).item };
  });
  return T.collection({ kind: 'record', fields, ...(src.tuple ? { tuple: true } : {}) });
}

function toP4(a: ExprAnalyzer, t: QType, span?: SourceSpan): QType {
  if (t.kind === 'p4') return t;
  if (t.kind !== 'record')
    return a.fail(`ToFourMomentum needs a record with pt, eta, phi, mass, not ${typeText(t)}`, span);
  const names = new Set(t.fields.map((f) => f.name));
  if (!(names.has('pt') && names.has('phi')) && !(names.has('px') && names.has('py')))
    a.fail(`ToFourMomentum needs fields pt and phi (or px, py), found ${typeText(t)}`, span);
  return T.p4;
}
