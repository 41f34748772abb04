/** Binds a logical plan to a table schema: types every lambda, checks operator shapes, collects used columns. */
import { assertNever, type Schema } from '../../exec/batch/index.js';
import { EventModel, type FunctionLookup } from '../../exec/index.js';
import {
  type Expr,
  isBoolish,
  isNumeric,
  type LambdaExpr,
  type LogicalPlan,
  MAX_HIST_BINS,
  mapPlanExprs,
  type QType,
  type ReduceOp,
  T,
  typeText,
} from '../ir/index.js';
import { ExprAnalyzer } from './analyze-expr.js';

export interface AnalyzedPlan {
  /** The plan bound: every expression the analyzer typed carries its `type` (see `typeOf`). */
  readonly plan: LogicalPlan;
  /** The type of one item of the result stream (or of the bare result of a terminal aggregate). */
  readonly rowType: QType;
  /** Whether the result is one value (Count, Sum, …, Hist) rather than a stream of rows. */
  readonly scalar: boolean;
  /** Columns the query reads, in schema order. */
  readonly columns: readonly string[];
}

export interface AnalyzeOptions {
  /** The query text, so errors can draw a caret under the offending part. */
  readonly source?: string;
  /** Registered scalar functions queries may call. */
  readonly functions?: FunctionLookup;
}

/** Whether a variation may put a value of type `b` where the row has `a` (numbers may change width). */
function compatible(a: QType, b: QType): boolean {
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.kind === 'collection' && b.kind === 'collection') return compatible(a.item, b.item);
  return typeText(a) === typeText(b);
}

/** Type-check a plan against a schema. Throws a located `HepqError` on unknown names and type errors. */
export function analyzePlan(plan: LogicalPlan, schema: Schema, options: AnalyzeOptions = {}): AnalyzedPlan {
  const model = new EventModel(schema);
  const a = new ExprAnalyzer(model, options.source, options.functions);
  const bound = new Map<Expr, Expr>();
  const apply = (f: LambdaExpr, row: QType) => {
    const t = a.lambda(f, [row], new Map());
    bound.set(f, a.bound(f));
    return t;
  };

  const visit = (p: LogicalPlan): { row: QType; scalar: boolean } => {
    if (p.kind === 'source') return { row: T.event, scalar: false };
    const input = visit(p.input);
    if (input.scalar)
      a.fail(`nothing can follow a terminal ${p.input.kind === 'hist' ? 'histogram' : 'aggregate'}`, p.span);
    const row = input.row;
    switch (p.kind) {
      case 'select': {
        const t = apply(p.selector, row);
        if (t.kind === 'event') a.fail('Select must return values, not the whole event', p.selector.span);
        return { row: t, scalar: false };
      }
      case 'select-many': {
        const t = apply(p.selector, row);
        if (t.kind !== 'collection')
          a.fail(`the lambda of SelectMany must return a collection, not ${typeText(t)}`, p.selector.span);
        return { row: (t as { item: QType }).item, scalar: false };
      }
      case 'where': {
        const t = apply(p.predicate, row);
        if (!isBoolish(t))
          a.fail(
            `the lambda of Where must return true/false, not ${typeText(t)}`,
            p.predicate.body.span ?? p.predicate.span,
            t.kind === 'collection'
              ? 'reduce the collection first, e.g. .Count() > 0 or .Any(lambda x: ...)'
              : undefined,
          );
        return { row, scalar: false };
      }
      case 'metadata':
      case 'limit':
        return { row, scalar: false };
      case 'order-by': {
        const t = apply(p.key, row);
        if (!isNumeric(t)) a.fail(`an ordering key must be a number, not ${typeText(t)}`, p.key.span);
        return { row, scalar: false };
      }
      case 'reduce':
        return {
          row: reduceType(p.op, row, p.args[0]?.kind === 'lambda' ? apply(p.args[0], row) : undefined),
          scalar: true,
        };
      case 'hist': {
        // Checked before anything is allocated: a histogram's arrays are sized by its bins.
        let total = 1;
        for (const axis of p.axes) {
          if (!Number.isInteger(axis.bins) || axis.bins < 1)
            a.fail(`a histogram axis needs a whole number of bins >= 1, not ${axis.bins}`, p.span);
          if (!Number.isFinite(axis.lo) || !Number.isFinite(axis.hi) || !(axis.hi > axis.lo))
            a.fail(`a histogram range needs finite lo < hi, not (${axis.lo}, ${axis.hi})`, p.span);
          total *= axis.bins;
        }
        if (total > MAX_HIST_BINS)
          a.fail(
            `a histogram of ${total} bins is over the limit of ${MAX_HIST_BINS}`,
            p.span,
            'fewer bins, or a narrower range at the same bin width',
          );
        for (const axis of p.axes) {
          const t = apply(axis.value, row);
          const leaf = t.kind === 'collection' ? t.item : t;
          if (!isNumeric(leaf))
            a.fail(`a histogram axis must be a number, not ${typeText(t)}`, axis.value.span);
        }
        if (p.weight) {
          const w = apply(p.weight, row);
          if (!isNumeric(w)) a.fail(`a histogram weight must be a number, not ${typeText(w)}`, p.weight.span);
        }
        for (const w of p.weights ?? []) {
          const t = apply(w.fn, row);
          if (!isNumeric(t)) a.fail(`weight ${w.name} must be a number, not ${typeText(t)}`, w.fn.span);
        }
        for (const c of p.categories ?? [])
          for (const l of c.labels) {
            const t = apply(l.fn, row);
            if (!isBoolish(t))
              a.fail(`the predicate of ${c.name}=${l.name} must be a boolean, not ${typeText(t)}`, l.fn.span);
          }
        for (const v of p.variations ?? []) {
          if (row.kind !== 'record')
            a.fail('variations replace fields of the row: Select a dict before Hist', v.fn.span);
          const t = apply(v.fn, row);
          const fields = row.kind === 'record' ? row.fields : [];
          if (t.kind === 'record')
            for (const f of t.fields) {
              const orig = fields.find((x) => x.name === f.name);
              if (!orig) {
                const near = fields.map((x) => x.name);
                a.fail(
                  `variation ${v.name} replaces ${f.name}, which the row does not have`,
                  v.fn.span,
                  `the row's fields are ${near.join(', ')}`,
                );
              } else if (!compatible(orig.type, f.type))
                a.fail(
                  `variation ${v.name} makes ${f.name} ${typeText(f.type)}, the row has ${typeText(orig.type)}`,
                  v.fn.span,
                );
            }
        }
        return { row: T.f64, scalar: true };
      }
      default:
        return assertNever(p, 'plan');
    }

    function reduceType(op: ReduceOp, t: QType, lam?: QType): QType {
      switch (op) {
        case 'Count':
          return T.i64;
        case 'Any':
        case 'All':
          if (lam && !isBoolish(lam))
            a.fail(`the lambda of ${op} must return true/false, not ${typeText(lam)}`, p.span);
          return T.bool;
        case 'Sum':
        case 'Min':
        case 'Max':
          if (!isNumeric(t)) a.fail(`${op} over the events needs numbers, not ${typeText(t)}`, p.span);
          return op === 'Sum' ? T.f64 : t;
        case 'First':
        case 'Last':
        case 'ElementAt':
          return t;
        default:
          return assertNever(op, 'reduce operator');
      }
    }
  };

  const { row, scalar } = visit(plan);
  const columns = schema.fields.map((f) => f.name).filter((n) => a.used.has(n));
  return { plan: mapPlanExprs(plan, (e) => bound.get(e) ?? e), rowType: row, scalar, columns };
}
