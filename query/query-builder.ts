/** The library's fluent func_adl API over TypeScript lambdas: `from(files).Where(e => …).Select(e => …)`. */
import { HepqError } from '../exec/batch/index.js';
import {
  ex,
  type HistAxis,
  type HistCategory,
  type LambdaExpr,
  type LogicalPlan,
  type NamedLambda,
  plan,
  type ReduceOp,
} from '../planner/ir/index.js';
import { type Constant, type LowerOptions, lowerLambdaExpr } from './lower-func-adl.js';
import { lambdaFromFunction } from './ts-lambda.js';

// biome-ignore lint/suspicious/noExplicitAny: query lambdas see the event as an untyped record
export type QueryLambda = ((x: any) => unknown) | string;

export interface Hist2DOptions {
  readonly bins: readonly [number, number];
  readonly range: readonly [readonly [number, number], readonly [number, number]];
  readonly weight?: QueryLambda;
}

/** Category axes, several weights and object-level variations of a categorised `Hist` (see `../README.md`). */
export interface HistCategoryOptions {
  /** axis name → label → predicate: an event fills every label whose predicate holds */
  readonly category?: Readonly<Record<string, Readonly<Record<string, QueryLambda>>>>;
  /** name → weight (the first is the nominal one); replaces `weight` */
  readonly weights?: Readonly<Record<string, QueryLambda>>;
  /** name → a lambda returning the row's fields it replaces (`e => ({ jets: e.jets.Select(p => p * 1.03) })`) */
  readonly variation?: Readonly<Record<string, QueryLambda>>;
}

export interface HistOptions extends HistCategoryOptions {
  /** regular binning: `bins` over `range`… */
  readonly bins?: number;
  readonly range?: readonly [number, number];
  /** …or variable bin edges */
  readonly edges?: readonly number[];
  readonly weight?: QueryLambda;
}

/**
 * An immutable query under construction. Lambdas are not called: their source is parsed, so only the
 * expression subset func_adl allows may appear, and free variables must be passed as `constants`.
 */
export class QueryBuilder {
  constructor(
    readonly plan: LogicalPlan,
    private readonly options: LowerOptions = {},
  ) {}

  /** A builder whose lambdas may mention these captured constants. */
  withConstants(constants: Readonly<Record<string, Constant>>): QueryBuilder {
    return new QueryBuilder(this.plan, { constants: { ...this.options.constants, ...constants } });
  }

  private lam(fn: QueryLambda, op: string): LambdaExpr {
    const { source, lambda } = lambdaFromFunction(fn);
    return lowerLambdaExpr(source, lambda, op, this.options);
  }

  private next(p: LogicalPlan): QueryBuilder {
    return new QueryBuilder(p, this.options);
  }

  Select(fn: QueryLambda): QueryBuilder {
    return this.next(plan.select(this.plan, this.lam(fn, 'Select')));
  }
  SelectMany(fn: QueryLambda): QueryBuilder {
    return this.next(plan.selectMany(this.plan, this.lam(fn, 'SelectMany')));
  }
  Where(fn: QueryLambda): QueryBuilder {
    return this.next(plan.where(this.plan, this.lam(fn, 'Where')));
  }
  Take(n: number): QueryBuilder {
    return this.next(plan.limit(this.plan, 0, n));
  }
  Skip(n: number): QueryBuilder {
    return this.next(plan.limit(this.plan, n));
  }
  OrderBy(fn: QueryLambda): QueryBuilder {
    return this.next(plan.orderBy(this.plan, this.lam(fn, 'OrderBy'), false));
  }
  OrderByDescending(fn: QueryLambda): QueryBuilder {
    return this.next(plan.orderBy(this.plan, this.lam(fn, 'OrderByDescending'), true));
  }
  private reduce(op: ReduceOp): QueryBuilder {
    return this.next(plan.reduce(this.plan, op));
  }
  Count(): QueryBuilder {
    return this.reduce('Count');
  }
  Sum(): QueryBuilder {
    return this.reduce('Sum');
  }
  Min(): QueryBuilder {
    return this.reduce('Min');
  }
  Max(): QueryBuilder {
    return this.reduce('Max');
  }
  First(): QueryBuilder {
    return this.reduce('First');
  }
  Last(): QueryBuilder {
    return this.reduce('Last');
  }
  ElementAt(n: number): QueryBuilder {
    return this.next(plan.reduce(this.plan, 'ElementAt', [ex.lit(n, undefined, true)]));
  }
  Any(fn: QueryLambda): QueryBuilder {
    return this.next(plan.reduce(this.plan, 'Any', [this.lam(fn, 'Any')]));
  }
  All(fn: QueryLambda): QueryBuilder {
    return this.next(plan.reduce(this.plan, 'All', [this.lam(fn, 'All')]));
  }
  /** Recorded in the plan; does not change the rows. */
  MetaData(data: Readonly<Record<string, Constant>>): QueryBuilder {
    const keys = Object.keys(data);
    return this.next(
      plan.metadata(
        this.plan,
        ex.dict(
          keys,
          keys.map((k) => ex.lit(data[k]!)),
        ),
      ),
    );
  }
  Hist2D(x: QueryLambda, y: QueryLambda, options: Hist2DOptions): QueryBuilder {
    const axes = [x, y].map((fn, i) => {
      const [lo, hi] = options.range[i]!;
      const bins = options.bins[i]!;
      if (!(bins >= 1) || !(hi > lo))
        throw new HepqError('query/invalid', 'Hist2D needs bins >= 1 and hi > lo on both axes');
      return { value: this.lam(fn, 'Hist2D'), bins, lo, hi };
    });
    return this.next(
      plan.hist(this.plan, axes, options.weight ? this.lam(options.weight, 'Hist2D') : undefined),
    );
  }
  Hist(fn: QueryLambda, options: HistOptions): QueryBuilder {
    const value = this.lam(fn, 'Hist');
    let axis: HistAxis;
    if (options.edges) {
      const e = options.edges;
      if (e.length < 2 || e.some((v, i) => i > 0 && !(v > e[i - 1]!)))
        throw new HepqError('query/invalid', 'Hist edges need at least two strictly increasing numbers');
      axis = { value, bins: e.length - 1, lo: e[0]!, hi: e.at(-1)!, edges: [...e] };
    } else {
      const [lo, hi] = options.range ?? [Number.NaN, Number.NaN];
      if (!(options.bins! >= 1) || !(hi > lo))
        throw new HepqError(
          'query/invalid',
          'Hist needs bins >= 1 and range [lo, hi] with hi > lo, or edges',
        );
      axis = { value, bins: options.bins!, lo, hi };
    }
    const named = (
      r: Readonly<Record<string, QueryLambda>> | undefined,
      what: string,
    ): NamedLambda[] | undefined =>
      r ? Object.entries(r).map(([name, f]) => ({ name, fn: this.lam(f, what) })) : undefined;
    const categories: HistCategory[] | undefined = options.category
      ? Object.entries(options.category).map(([name, labels]) => ({ name, labels: named(labels, 'Hist')! }))
      : undefined;
    const weights = named(options.weights, 'Hist');
    const variations = named(options.variation, 'Hist');
    return this.next(
      plan.hist(this.plan, [axis], options.weight ? this.lam(options.weight, 'Hist') : undefined, undefined, {
        ...(categories ? { categories } : {}),
        ...(weights ? { weights } : {}),
        ...(variations ? { variations } : {}),
      }),
    );
  }
}

/** Start a query over a dataset (files may be empty when the caller supplies the table). */
export function from(files: string | readonly string[] = [], tree?: string): QueryBuilder {
  return new QueryBuilder(plan.source(typeof files === 'string' ? [files] : files, tree));
}
