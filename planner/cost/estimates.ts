/**
 * Per-event estimates of func_adl expressions: CPU work in abstract units (about one simple operation each),
 * average collection lengths from the table statistics, and heuristic selectivities of predicates.
 */
import type { TableStatistics } from '../../connectors/api.js';
import type { Schema } from '../../exec/batch/index.js';
import { EventModel } from '../../exec/index.js';
import {
  type CostRule,
  type Expr,
  exprChildren,
  type LambdaExpr,
  MATH_FUNCTIONS,
  opDef,
} from '../ir/index.js';

/** Cost and, for collections, the average item count of an expression's value. */
interface Estimate {
  readonly cost: number;
  readonly len?: number;
}

/** Average items per event when the statistics say nothing. */
export const DEFAULT_LENGTH = 4;
/** Fraction of a collection an inner `Where` keeps, and a comparison's selectivity, without better knowledge. */
const INNER_WHERE = 0.5;
const RANGE_SELECTIVITY = 1 / 3;
const EQ_SELECTIVITY = 0.1;
const DEFAULT_SELECTIVITY = 0.5;

const ITEM_BYTES: Record<string, number> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, float16: 2 };
const itemBytes = (t: string) => ITEM_BYTES[t] ?? (t.endsWith('64') ? 8 : 4);

/** What a cost rule sees: the operator, its source's estimate and length, its lambda's and other arguments' costs. */
interface CostInput {
  readonly e: Expr & { kind: 'op' };
  readonly src: Estimate;
  /** The source's average length (a default when unknown). */
  readonly n: number;
  /** The cost of one evaluation of the lambda argument's body (0 without one). */
  readonly body: () => number;
  /** The cost of the arguments that are not lambdas. */
  readonly args: number;
  /** The estimate of the first argument (Concat's other collection). */
  readonly other: () => Estimate;
}

/** The cost model's side of each `CostRule` of planner/ir/ops: one entry per rule, checked exhaustive. */
const COST_RULES: Record<CostRule, (x: CostInput) => Estimate> = {
  constant: ({ src }) => ({ cost: src.cost + 1 }),
  filter: ({ src, n, body }) => ({ cost: src.cost + n * (1 + body()), len: n * INNER_WHERE }),
  map: ({ src, n, body }) => ({ cost: src.cost + n * (1 + body()), len: n }),
  p4s: ({ src, n }) => ({ cost: src.cost + n * (1 + 4), len: n }),
  flatMap: ({ src, n, body }) => ({
    cost: src.cost + n * (1 + body()) * DEFAULT_LENGTH,
    len: n * DEFAULT_LENGTH,
  }),
  scan: ({ src, n, body }) => ({ cost: src.cost + n * (1 + body()) }),
  sort: ({ src, n, body }) => ({
    cost: src.cost + n * (1 + body()) * Math.max(1, Math.log2(Math.max(2, n))),
    len: n,
  }),
  combinations: ({ e, src, n }) => {
    const k = e.args[0]?.kind === 'literal' && typeof e.args[0].value === 'number' ? e.args[0].value : 2;
    // E[C(N, k)] = λ^k / k! when N is Poisson with mean λ (C(mean, k) would undercount small means).
    let combos = 1;
    for (let i = 0; i < k; i++) combos *= n / (i + 1);
    return { cost: src.cost + combos * k, len: combos };
  },
  concat: ({ src, n, other }) => {
    const o = other();
    return {
      cost: src.cost + o.cost + n + (o.len ?? DEFAULT_LENGTH),
      len: n + (o.len ?? DEFAULT_LENGTH),
    };
  },
  view: ({ src, n, args }) => ({ cost: src.cost + args + 1, len: n }),
  // One item (a scan when it follows an OrderBy).
  pick: ({ src, args }) => ({ cost: src.cost + args + 1 }),
  p4: ({ src }) => ({ cost: src.cost + 4 }),
};

/** Estimates for one table: column lengths come from its statistics and schema. */
export class ExprEstimator {
  private readonly model: EventModel;
  private readonly lengths = new Map<string, number>();

  constructor(schema: Schema, stats?: TableStatistics) {
    this.model = new EventModel(schema);
    if (!stats || stats.entries <= 0) return;
    for (const c of stats.columns) {
      const f = this.model.column(c.name);
      // Zero bytes means the connector could not tell (baskets it does not size); the default applies.
      if (f?.type.kind !== 'list' || f.type.item.kind !== 'primitive' || c.uncompressedBytes <= 0) continue;
      const perEvent = c.uncompressedBytes / stats.entries;
      // Offsets (4 bytes an entry) travel with the items in both ROOT baskets and Arrow-style columns.
      this.lengths.set(c.name, Math.max(0, (perEvent - 4) / itemBytes(f.type.item.type)));
    }
  }

  /** Average items per event of a list column (or of a `Jet_*` group, or a count column `nJet`). */
  columnLength(name: string): number | undefined {
    const direct = this.lengths.get(name);
    if (direct !== undefined) return direct;
    const g = this.model.group(name);
    if (g) for (const col of g.fields.values()) if (this.lengths.has(col)) return this.lengths.get(col);
    if (/^[nN][A-Z]/.test(name)) return this.columnLength(name.slice(1));
    const f = this.model.column(name);
    return f && (f.type.kind === 'list' || f.type.kind === 'fixed-list') ? DEFAULT_LENGTH : undefined;
  }

  /** CPU units one evaluation of a lambda's body costs, its parameter bound to the event. */
  lambdaCost(l: LambdaExpr): number {
    return this.estimate(l.body, new Map(l.params.map((p) => [p, { event: true }]))).cost;
  }

  /** Average items one evaluation of a collection-valued lambda yields (rows per event of a SelectMany). */
  lambdaLength(l: LambdaExpr): number {
    return this.estimate(l.body, new Map(l.params.map((p) => [p, { event: true }]))).len ?? DEFAULT_LENGTH;
  }

  /** Estimated fraction of events for which a predicate lambda holds. */
  selectivity(l: LambdaExpr): number {
    return this.sel(l.body, new Map(l.params.map((p) => [p, { event: true }])));
  }

  private estimate(e: Expr, scope: ReadonlyMap<string, { event?: boolean; len?: number }>): Estimate {
    const sum = (xs: readonly Expr[]) => xs.reduce((a, x) => a + this.estimate(x, scope).cost, 0);
    switch (e.kind) {
      case 'literal':
        return { cost: 0 };
      case 'name': {
        const len = scope.get(e.name)?.len;
        return len !== undefined ? { cost: 0, len } : { cost: 0 };
      }
      case 'attr':
      case 'method': {
        if (e.target.kind === 'name' && scope.get(e.target.name)?.event) {
          const len = this.columnLength(
            e.kind === 'method' ? (e.args[0]?.kind === 'literal' ? String(e.args[0].value) : e.name) : e.name,
          );
          return { cost: 1, ...(len !== undefined ? { len } : {}) };
        }
        const t = this.estimate(e.target, scope);
        const extra = e.kind === 'method' ? sum(e.args) + 10 : 1;
        return { cost: t.cost + extra, ...(t.len !== undefined ? { len: t.len } : {}) };
      }
      case 'op':
        return this.op(e, scope);
      case 'call': {
        const args = e.args.map((a) => this.estimate(a, scope));
        const base = args.reduce((a, x) => a + x.cost, 0);
        const len = args.find((a) => a.len !== undefined)?.len;
        if (e.name === 'Zip') return { cost: base + 1, ...(len !== undefined ? { len } : {}) };
        if (['sum', 'min', 'max', 'any', 'all', 'len'].includes(e.name)) return { cost: base + (len ?? 1) };
        return { cost: base + (e.name in MATH_FUNCTIONS ? 5 : 20) };
      }
      case 'lambda':
        return { cost: this.estimate(e.body, scope).cost };
      case 'dict':
      case 'tuple': {
        const items = e.kind === 'dict' ? e.values : e.items;
        const ests = items.map((x) => this.estimate(x, scope));
        const len = ests.find((a) => a.len !== undefined)?.len;
        return { cost: ests.reduce((a, x) => a + x.cost, 0), ...(len !== undefined ? { len } : {}) };
      }
      default:
        return { cost: 1 + sum(exprChildren(e)) };
    }
  }

  private op(
    e: Expr & { kind: 'op' },
    scope: ReadonlyMap<string, { event?: boolean; len?: number }>,
  ): Estimate {
    const src = this.estimate(e.source, scope);
    const n = src.len ?? DEFAULT_LENGTH;
    const lam = e.args.find((a) => a.kind === 'lambda');
    const body = () => {
      if (lam?.kind !== 'lambda') return 0;
      const inner = new Map(scope);
      for (const p of lam.params) inner.set(p, {});
      return this.estimate(lam.body, inner).cost;
    };
    const args = e.args
      .filter((a) => a.kind !== 'lambda')
      .reduce((a, x) => a + this.estimate(x, scope).cost, 0);
    return COST_RULES[opDef(e.op).cost]({
      e,
      src,
      n,
      body,
      args,
      other: () => this.estimate(e.args[0]!, scope),
    });
  }

  private sel(e: Expr, scope: ReadonlyMap<string, { event?: boolean; len?: number }>): number {
    switch (e.kind) {
      case 'literal':
        return e.value ? 1 : 0;
      case 'bool': {
        const s = e.operands.map((o) => this.sel(o, scope));
        return e.op === 'and' ? s.reduce((a, x) => a * x, 1) : 1 - s.reduce((a, x) => a * (1 - x), 1);
      }
      case 'unary':
        return e.op === 'not' ? 1 - this.sel(e.operand, scope) : DEFAULT_SELECTIVITY;
      case 'compare':
        return this.compareSel(e, scope);
      case 'op':
        if (e.op === 'Any' || e.op === 'All') {
          const n = this.estimate(e.source, scope).len ?? DEFAULT_LENGTH;
          const lam = e.args[0];
          const inner = lam?.kind === 'lambda' ? this.sel(lam.body, new Map()) : DEFAULT_SELECTIVITY;
          return e.op === 'Any' ? 1 - (1 - inner) ** n : inner ** n;
        }
        return DEFAULT_SELECTIVITY;
      default:
        return DEFAULT_SELECTIVITY;
    }
  }

  /** A comparison: a count against a constant follows a Poisson law of the average length; others by operator. */
  private compareSel(
    e: Expr & { kind: 'compare' },
    scope: ReadonlyMap<string, { event?: boolean; len?: number }>,
  ): number {
    const num = (x: Expr) => (x.kind === 'literal' && typeof x.value === 'number' ? x.value : undefined);
    let op = e.op;
    let other = e.left;
    let k = num(e.right);
    if (k === undefined) {
      k = num(e.left);
      other = e.right;
      op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const)[e.op];
    }
    const lambda = k === undefined ? undefined : this.countMean(other, scope);
    if (lambda !== undefined && k !== undefined) {
      const cdf = (m: number) => poissonCdf(Math.floor(m), lambda); // P(N <= m)
      switch (op) {
        case '>=':
          return clamp(1 - cdf(Math.ceil(k) - 1));
        case '>':
          return clamp(1 - cdf(Math.floor(k)));
        case '<=':
          return clamp(cdf(Math.floor(k)));
        case '<':
          return clamp(cdf(Math.ceil(k) - 1));
        case '==':
          return Number.isInteger(k) ? clamp(cdf(k) - cdf(k - 1)) : 0;
        case '!=':
          return Number.isInteger(k) ? clamp(1 - (cdf(k) - cdf(k - 1))) : 1;
      }
    }
    if (op === '==') return EQ_SELECTIVITY;
    if (op === '!=') return 1 - EQ_SELECTIVITY;
    return RANGE_SELECTIVITY;
  }

  /** The mean of a count-valued expression: `xs.Count()`, `len(xs)`, or a NanoAOD count column `e.nJet`. */
  private countMean(
    e: Expr,
    scope: ReadonlyMap<string, { event?: boolean; len?: number }>,
  ): number | undefined {
    if (e.kind === 'op' && e.op === 'Count') return this.estimate(e.source, scope).len ?? DEFAULT_LENGTH;
    if (e.kind === 'call' && e.name === 'len' && e.args[0]) return this.estimate(e.args[0], scope).len;
    if (
      e.kind === 'attr' &&
      e.target.kind === 'name' &&
      scope.get(e.target.name)?.event &&
      /^n[A-Z]/.test(e.name)
    ) {
      const f = this.model.column(e.name);
      if (f && f.type.kind !== 'primitive') return undefined;
      return this.columnLength(e.name.slice(1));
    }
    return undefined;
  }
}

const clamp = (x: number) => Math.min(1, Math.max(0, x));

/** P(N <= m) for N ~ Poisson(lambda). */
export function poissonCdf(m: number, lambda: number): number {
  if (m < 0) return 0;
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= m; i++) {
    term *= lambda / i;
    sum += term;
  }
  return Math.min(1, sum);
}
