/**
 * A func_adl logical plan (bound and optimized, planner/ir) as one DuckDB statement, or a refusal with the
 * operator and why. Pure: the statement reads a relation `ev` whose columns are the table's columns by their
 * hepq names; `sqlStatement` puts the source under it (`hepq.root(file, tree)`, `read_parquet([…])` with the
 * nested layout mapped), casting float32 columns to DOUBLE so arithmetic is the loop's float64.
 */

import { type HistPlan, isCategorised, type LogicalPlan, planChain } from '../../planner/ir/index.js';
import type { DataType, Schema } from '../batch/index.js';
import type { FunctionLookup } from '../compile/compile-expr.js';
import { EventModel } from '../event-model.js';
import { type Env, type ExprContext, translateExpr } from './exprs.js';
import { itemRecord } from './items.js';
import {
  ident,
  indices,
  Names,
  type Num,
  numberSql,
  type Records,
  Refusal,
  refuse,
  type Scalar,
  scalar,
  type V,
} from './values.js';

export interface PlanSqlOptions {
  /** The table's schema (hepq's column names and types). */
  readonly schema: Schema;
  readonly functions?: FunctionLookup;
  /** The columns the compiled pipeline reads (a group's other members are not read). */
  readonly columns?: readonly string[];
  readonly range?: { readonly start: number; readonly stop: number };
}

/** What the statement returns, for the Session to shape as the loop's result. */
export type SqlShape =
  | { readonly kind: 'rows'; readonly columns: number }
  | {
      readonly kind: 'value';
      readonly op: 'Count' | 'Sum' | 'Min' | 'Max' | 'Any' | 'All';
      /** A Sum of floats: column v holds every value in entry order, added by the loop's left fold (`valueResult`). */
      readonly fold?: boolean;
    }
  | {
      readonly kind: 'histogram';
      readonly bins: number;
      readonly lo: number;
      readonly hi: number;
      readonly edges?: readonly number[];
      /**
       * Unweighted: columns b, n, one row per bin reached (−1 underflow, `bins` overflow, NULL none); weighted:
       * columns b, w, one row per fill in entry order.
       */
      readonly weighted: boolean;
    };

export interface PlanSql {
  /** The statement over the relation `ev` (see `sqlStatement`). */
  readonly body: string;
  readonly shape: SqlShape;
  /** The table's columns the statement reads, with the cast that makes them the loop's numbers. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly cast?: string }>;
  readonly range?: { readonly start: number; readonly stop: number };
}

export type Translation =
  | { readonly ok: true; readonly sql: PlanSql }
  | { readonly ok: false; readonly reason: string; readonly span?: { start: number; end: number } };

/** Where the statement's events come from: a FROM item and each hepq column as SQL over it. */
export interface SqlSource {
  readonly from: string;
  readonly column?: (name: string) => string;
}

/** The whole statement: `WITH ev AS (the source's columns, cast) <body>`. */
export function sqlStatement(p: PlanSql, source: SqlSource): string {
  const col = source.column ?? ident;
  const cols = p.columns.map(
    (c) => `${c.cast ? `CAST(${col(c.name)} AS ${c.cast})` : col(c.name)} AS ${ident(c.name)}`,
  );
  const r = p.range;
  const limit = r ? ` LIMIT ${Math.max(0, r.stop - r.start)} OFFSET ${r.start}` : '';
  return `WITH ev AS (SELECT ${cols.length ? cols.join(', ') : '1 AS "_"'} FROM ${source.from}${limit})\n${p.body}`;
}

/** The cast that gives a column the compiled loop's arithmetic (float64 for floats, no int32 overflow). */
function castOf(t: DataType): string | undefined {
  const prim = (x: DataType) =>
    x.kind !== 'primitive'
      ? undefined
      : x.type === 'float32'
        ? 'DOUBLE'
        : ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'].includes(x.type)
          ? 'BIGINT'
          : undefined;
  if (t.kind === 'list' || t.kind === 'fixed-list') {
    const c = prim(t.item);
    return c ? `${c}[]` : undefined;
  }
  return prim(t);
}

/** A relation (SQL) and what one of its rows is. */
interface Stream {
  readonly rel: string;
  readonly row: V;
}

/** Translate a plan, or say why not. */
export function planToSql(plan: LogicalPlan, options: PlanSqlOptions): Translation {
  try {
    return { ok: true, sql: translate(plan, options) };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason, ...(e.span ? { span: e.span } : {}) };
    throw e;
  }
}

function translate(plan: LogicalPlan, options: PlanSqlOptions): PlanSql {
  // per-event expressions hoisted into columns of the relation before the step that uses them (deduplicated)
  const pending = new Map<string, string>();
  const names = new Names();
  const hoist = (sql: string) => {
    const known = pending.get(sql);
    if (known) return known;
    const name = names.next('h');
    pending.set(sql, name);
    return name;
  };
  const ctx: ExprContext = {
    hoist,
    lambdas: { depth: 0 },
    model: new EventModel(options.schema),
    names,
    used: new Set(),
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.columns ? { keep: new Set(options.columns) } : {}),
  };
  const chain = planChain(plan).reverse(); // source first
  const source = chain[0]!;
  if (source.kind !== 'source') return refuse(`a plan that starts with ${source.kind}`);
  let s: Stream = { rel: 'ev', row: { k: 'event' } };
  const rel = (): string => {
    if (pending.size) {
      const cols = [...pending].map(([sql, name]) => `${sql} AS ${ident(name)}`);
      s = { rel: `(SELECT *, ${cols.join(', ')} FROM ${s.rel})`, row: s.row };
      pending.clear();
    }
    return s.rel;
  };
  let result: { body: string; shape: SqlShape } | undefined;
  for (let i = 1; i < chain.length; i++) {
    const node = chain[i]!;
    const env = (lam: { params: readonly string[] }): Env => new Map([[lam.params[0]!, s.row]]);
    switch (node.kind) {
      case 'metadata':
        break;
      case 'where': {
        const p = translateExpr(ctx, node.predicate.body, env(node.predicate));
        if (p.k !== 'scalar' || p.t !== 'bool')
          return refuse('an event-level Where whose predicate is not a boolean', node);
        s = { rel: `(SELECT * FROM ${rel()} WHERE ${p.sql})`, row: s.row };
        break;
      }
      case 'select': {
        const v = translateExpr(ctx, node.selector.body, env(node.selector));
        s = materialize(ctx, rel(), v, false, node);
        break;
      }
      case 'select-many': {
        const v = translateExpr(ctx, node.selector.body, env(node.selector));
        if (v.k !== 'list' && v.k !== 'records')
          return refuse(`SelectMany of a ${v.k} (a collection is needed)`, node);
        s = materialize(ctx, rel(), v, true, node);
        break;
      }
      case 'limit': {
        const limit = node.take === undefined ? '' : ` LIMIT ${node.take}`;
        s = { rel: `(SELECT * FROM ${s.rel}${limit} OFFSET ${node.skip})`, row: s.row };
        break;
      }
      case 'order-by':
        return refuse('an event-level OrderBy (DuckDB sorts ties in another order than the loop)', node);
      case 'reduce':
        result = reduceSql(ctx, s, rel, node.op, node.args[0], node);
        break;
      case 'hist':
        result = histSql(ctx, s, rel, node);
        break;
      case 'source':
        return refuse('a second source', node);
    }
  }
  if (!result) {
    // whole events (a Where without a Select): every column of the table, as the loop's selection gives them
    const leaves = s.row.k === 'event' ? wholeEvents(ctx, options.schema) : outputLeaves(s.row);
    result = {
      body: `SELECT ${leaves.map((l, i) => `${l} AS c${i}`).join(', ')} FROM ${s.rel}`,
      shape: { kind: 'rows', columns: leaves.length },
    };
  }
  const columns = options.schema.fields
    .filter((f) => ctx.used.has(f.name))
    .map((f) => {
      const cast = castOf(f.type);
      return cast ? { name: f.name, cast } : { name: f.name };
    });
  return {
    body: result.body,
    shape: result.shape,
    columns,
    ...(options.range ? { range: options.range } : {}),
  };
}

/** A row's values as named columns of a new relation (SelectMany: the collection unnested, one row per item). */
function materialize(ctx: ExprContext, rel: string, v: V, unnest: boolean, at: LogicalPlan): Stream {
  const cols: string[] = [];
  const add = (sql: string) => {
    const name = ctx.names.next('c');
    cols.push(`${unnest ? `UNNEST(${sql})` : sql} AS ${name}`);
    return ident(name);
  };
  const go = (x: V, top: boolean): V => {
    switch (x.k) {
      case 'scalar':
        return { ...x, sql: add(x.sql) };
      case 'list':
        return unnest && top ? scalar(add(x.sql), x.t) : { ...x, sql: add(x.sql) };
      case 'records': {
        if (x.combo) {
          // combinations as a column: the items' lists whole and the k-lists of their indices
          if (unnest) return refuse('combinations (Choose) as a stream', at);
          const fields = [...x.fields].map(([f, c]) => [f, { sql: add(c.sql), t: c.t }] as const);
          return { ...x, fields: new Map(fields), idx: add(indices(x)) };
        }
        const fields = [...x.fields].map(([f, c]) => {
          const sql = x.idx ? `list_select(${c.sql}, ${x.idx})` : c.sql;
          return [f, { sql: add(sql), t: c.t }] as const;
        });
        if (fields.length === 0) add(`list_transform(${indices(x)}, lambda i: NULL)`);
        const kept: Records = {
          k: 'records',
          fields: new Map(fields),
          ...(x.p4 ? { p4: true } : {}),
          ...(x.p4Fields ? { p4Fields: x.p4Fields } : {}),
        };
        return unnest && top ? itemRecord(ctx, kept, undefined, at) : kept;
      }
      case 'record':
        if (unnest) return refuse('SelectMany of a record', at);
        return { k: 'record', fields: new Map([...x.fields].map(([f, y]) => [f, go(y, false)])) };
      case 'tuple':
        if (unnest) return refuse('SelectMany of a tuple', at);
        return { k: 'tuple', items: x.items.map((y) => go(y, false)) };
      case 'event':
        return refuse('Select of the whole event', at);
      case 'p4': {
        if (unnest) return refuse('SelectMany of a four-vector', at);
        const p: V = x.polar
          ? {
              k: 'p4',
              polar: { pt: add(x.polar.pt), eta: add(x.polar.eta), phi: add(x.polar.phi), m: add(x.polar.m) },
            }
          : {
              k: 'p4',
              cart: { px: add(x.cart!.px), py: add(x.cart!.py), pz: add(x.cart!.pz), e: add(x.cart!.e) },
            };
        return x.nan ? { ...p, nan: true } : p;
      }
    }
  };
  const row = go(v, true);
  return { rel: `(SELECT ${cols.join(', ')} FROM ${rel})`, row };
}

/** Every column of the table, where each is a number or a list of numbers. */
function wholeEvents(ctx: ExprContext, schema: Schema): string[] {
  return schema.fields.map((f) => {
    const plain =
      f.type.kind === 'primitive' ||
      ((f.type.kind === 'list' || f.type.kind === 'fixed-list') && f.type.item.kind === 'primitive');
    if (!plain || f.type.kind === 'fixed-list')
      return refuse(
        `whole events with the column ${f.name} (only numbers and lists of numbers are translated)`,
      );
    ctx.used.add(f.name);
    return ident(f.name);
  });
}

/** The output columns of a rows query, in the loop's order (dict keys, tuple items, or the one value). */
function outputLeaves(v: V): string[] {
  switch (v.k) {
    case 'scalar':
    case 'list':
      return [v.sql];
    case 'record':
      return [...v.fields.values()].map((x) => oneLeaf(x));
    case 'tuple':
      return v.items.map((x) => oneLeaf(x));
    default:
      return refuse(`a row that is a ${v.k === 'records' ? 'collection of records' : v.k}`);
  }
}

function oneLeaf(v: V): string {
  if (v.k === 'scalar' || v.k === 'list') return v.sql;
  return refuse(
    `a ${v.k === 'records' ? 'collection of records' : v.k} inside a row (nested columns are not translated)`,
  );
}

function rowScalar(ctx: ExprContext, s: Stream, lam: unknown, at: LogicalPlan, what: string): Scalar {
  let v = s.row;
  if (lam && typeof lam === 'object' && (lam as { kind?: string }).kind === 'lambda') {
    const l = lam as { params: readonly string[]; body: Parameters<typeof translateExpr>[1] };
    v = translateExpr(ctx, l.body, new Map([[l.params[0]!, s.row]]));
  }
  if (v.k !== 'scalar')
    return refuse(`${what} of a ${v.k === 'records' ? 'collection of records' : v.k} per row`, at);
  return v;
}

function reduceSql(
  ctx: ExprContext,
  s: Stream,
  rel: () => string,
  op: string,
  arg: unknown,
  at: LogicalPlan,
): { body: string; shape: SqlShape } {
  switch (op) {
    case 'Count':
      return { body: `SELECT count(*) AS v FROM ${rel()}`, shape: { kind: 'value', op } };
    case 'Sum': {
      const x = rowScalar(ctx, s, arg, at, 'Sum');
      // floats: DuckDB's parallel sum adds in another order, so every value comes back in entry order and the
      // loop's own left fold from 0 adds them (integers add exactly in any order)
      if (x.t !== 'int')
        return { body: `SELECT ${x.sql} AS v FROM ${rel()}`, shape: { kind: 'value', op, fold: true } };
      return { body: `SELECT sum(${x.sql}) AS v FROM ${rel()}`, shape: { kind: 'value', op } };
    }
    case 'Min':
    case 'Max': {
      const x = rowScalar(ctx, s, arg, at, op);
      if (x.t === 'bool') return refuse(`${op} of booleans`, at);
      return {
        body: `SELECT ${op.toLowerCase()}(${x.sql}) AS v FROM ${rel()}`,
        shape: { kind: 'value', op },
      };
    }
    case 'Any':
    case 'All': {
      const x = rowScalar(ctx, s, arg, at, op);
      if (x.t !== 'bool') return refuse(`${op} of a value that is not boolean`, at);
      const f = op === 'Any' ? 'coalesce(bool_or(' : 'coalesce(bool_and(';
      return {
        body: `SELECT ${f}${x.sql}), ${op === 'Any' ? 'FALSE' : 'TRUE'}) AS v FROM ${rel()}`,
        shape: { kind: 'value', op },
      };
    }
    default:
      return refuse(`the event-level ${op} (it depends on the order of the whole stream)`, at);
  }
}

function histSql(
  ctx: ExprContext,
  s: Stream,
  rel: () => string,
  node: HistPlan,
): { body: string; shape: SqlShape } {
  if (node.axes.length !== 1) return refuse('a 2-D histogram', node);
  if (isCategorised(node))
    return refuse('a categorised histogram (categories, several weights or variations)', node);
  const axis = node.axes[0]!;
  const env: Env = new Map([[axis.value.params[0]!, s.row]]);
  const x = translateExpr(ctx, axis.value.body, env);
  if (x.k !== 'scalar' && x.k !== 'list') return refuse(`a histogram of a ${x.k}`, node);
  if (x.t === 'bool') return refuse('a histogram of booleans', node);
  let w: Scalar | undefined;
  if (node.weight) {
    const v = translateExpr(ctx, node.weight.body, new Map([[node.weight.params[0]!, s.row]]));
    if (v.k !== 'scalar' || v.t === 'bool') return refuse('a weight that is not a number per row', node);
    w = v.t === 'float' ? v : scalar(`(${v.sql})::DOUBLE`, 'float');
  }
  const xs = x.k === 'list' ? `UNNEST(${x.sql})` : x.sql;
  const inner = `SELECT ${xs} AS x${w ? `, ${w.sql} AS w` : ''} FROM ${rel()}`;
  const xd = x.t === 'float' ? 'x' : 'x::DOUBLE';
  const bin = axis.edges
    ? `hepq.hist_index_edges(${xd}, [${axis.edges.map((e) => numberSql(e, false)).join(', ')}])`
    : `hepq.hist_index(${xd}, ${numberSql(axis.lo, false)}, ${numberSql(axis.hi, false)}, ${axis.bins})`;
  // Unweighted: counts per bin (exact). Weighted: every fill's bin and weight in entry order, added by the loop's
  // Histogram1D (compensated sums in the same order: the same bits; DuckDB's parallel fsum might differ in the last).
  return {
    body: w
      ? `SELECT ${bin} AS b, w FROM (${inner})`
      : `SELECT b, count(*) AS n FROM (SELECT ${bin} AS b FROM (${inner})) WHERE b IS NOT NULL GROUP BY b ORDER BY b`,
    shape: {
      kind: 'histogram',
      bins: axis.bins,
      lo: axis.lo,
      hi: axis.hi,
      ...(axis.edges ? { edges: axis.edges } : {}),
      weighted: w !== undefined,
    },
  };
}

export type { Num };
