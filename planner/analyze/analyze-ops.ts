/** Typing of the func_adl sequence operators inside lambdas (Select, Where, Count, Choose, Zip, …). */
import type { SourceSpan } from '../../exec/batch/index.js';
import { CONTAINS_PARAM, type Expr } from '../ir/index.js';
import type { ExprAnalyzer } from './analyze-expr.js';
import { hintFor } from './analyze-expr.js';
import { arithmeticType, isBoolish, isNumeric, type QType, T, typeText, unify } from './types.js';

/** The type of a sequence operator applied to a collection (and of Zip, Range, four-vector construction). */
export function typeOp(a: ExprAnalyzer, e: Expr & { kind: 'op' }, scope: ReadonlyMap<string, QType>): QType {
  const src = a.type(e.source, scope);
  const span = e.span;
  if (e.op === 'Zip') return zip(a, src, span);
  if (e.op === 'ToFourMomentum') return toP4(a, src, span);
  if (e.op === 'Range') {
    const bounds = src.kind === 'record' ? src.fields.map((f) => f.type) : [src];
    if (!bounds.length || bounds.length > 2 || !bounds.every(isNumeric))
      a.fail(`Range takes one or two numbers, not ${typeText(src)}`, span);
    return T.collection(T.i64);
  }
  if (e.op === 'ToFourMomenta') {
    if (src.kind === 'record') {
      const z = zip(a, src, span);
      return T.collection(toP4(a, (z as { item: QType }).item, span));
    }
    if (src.kind !== 'collection')
      a.fail(`ToFourMomenta needs a collection of records, not ${typeText(src)}`, span);
    return T.collection(toP4(a, src.item, span));
  }
  // `v in xs` / `xs.Contains(v)` are an Any underneath: name them as written.
  const f = e.args[0];
  const named =
    e.op === 'Any' && f?.kind === 'lambda' && f.params[0] === CONTAINS_PARAM ? 'Contains (in)' : e.op;
  if (src.kind !== 'collection')
    return a.fail(
      `${named} needs a collection, not ${typeText(src)}`,
      span,
      src.kind === 'record' ? 'use Zip() to make a collection of records' : undefined,
    );
  const item = src.item;
  const lam = () => a.lambda(e.args[0]!, [item], scope);
  switch (e.op) {
    case 'Select':
      return T.collection(lam());
    case 'SelectMany': {
      const r = lam();
      if (r.kind !== 'collection')
        a.fail(`the lambda of SelectMany must return a collection, not ${typeText(r)}`, e.args[0]!.span);
      return r;
    }
    case 'Where': {
      const r = lam();
      if (!isBoolish(r))
        a.fail(
          `the lambda of Where must return true/false, not ${typeText(r)}`,
          e.args[0]!.span,
          hintFor(r, T.bool),
        );
      return src;
    }
    case 'Any':
    case 'All': {
      const r = lam();
      if (!isBoolish(r))
        a.fail(`the lambda of ${e.op} must return true/false, not ${typeText(r)}`, e.args[0]!.span);
      return T.bool;
    }
    case 'OrderBy':
    case 'OrderByDescending': {
      const r = lam();
      if (!isNumeric(r)) a.fail(`an ordering key must be a number, not ${typeText(r)}`, e.args[0]!.span);
      return src;
    }
    case 'Count':
      return T.i64;
    case 'Sum':
      // Four-vectors add up (the event's total momentum); an empty sum is the zero vector.
      if (item.kind === 'p4') return item;
      if (item.kind !== 'scalar') a.fail(`Sum needs numbers or four-vectors, not ${typeText(src)}`, span);
      return arithmeticType((item as { type: 'int64' }).type, (item as { type: 'int64' }).type, '+');
    case 'Min':
    case 'Max':
      if (item.kind !== 'scalar') a.fail(`${e.op} needs numbers, not ${typeText(src)}`, span);
      return item;
    case 'First':
    case 'FirstOrDefault':
    case 'Last':
      return item;
    case 'ElementAt':
    case 'Take':
    case 'Skip':
    case 'Choose': {
      const n = e.args[0] ? a.type(e.args[0], scope) : undefined;
      if (n?.kind !== 'scalar' || n.type === 'float32' || n.type === 'float64')
        a.fail(`${e.op} takes an integer`, e.args[0]?.span ?? span);
      if (e.op === 'Choose') {
        const k = e.args[0];
        if (k?.kind !== 'literal' || typeof k.value !== 'number' || !Number.isInteger(k.value) || k.value < 1)
          a.fail('Choose takes a positive integer constant (the size of each combination)', k?.span ?? span);
        return T.collection(src);
      }
      return e.op === 'ElementAt' ? item : src;
    }
    case 'Concat': {
      const o = a.type(e.args[0]!, scope);
      const u = unify(src, o);
      return u ?? a.fail(`cannot concatenate ${typeText(src)} and ${typeText(o)}`, span);
    }
    default:
      return a.fail(`${e.op} is not supported here`, span);
  }
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
