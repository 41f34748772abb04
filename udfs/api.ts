/** Function contracts (scalar and table functions) and the registry that refuses silent overrides. */
import { type BatchStream, type DataType, didYouMean, HepqError, type Schema } from '../exec/batch/index.js';

/** A pure numeric function of fixed arity, callable from generated loops (func_adl) and SQL alike. */
export interface ScalarFunction {
  readonly name: string;
  /** Accepted argument counts. */
  readonly arity: readonly number[];
  readonly returns: DataType;
  readonly description: string;
  /** Must be pure and allocation-free: generated code calls it once per value. */
  readonly fn: (...args: number[]) => number;
}

/** A function over a whole input stream (e.g. a HistFactory fit): bind checks arguments, execute streams. */
export interface TableFunction<Args = unknown> {
  readonly name: string;
  readonly description: string;
  /** Check the arguments against the input schema and give the output schema. */
  bind(args: Args, input: Schema): Schema;
  execute(args: Args, input: BatchStream, signal?: AbortSignal): BatchStream;
}

/** Named functions. Registering a name twice is an error unless `replace` is asked for explicitly. */
export class FunctionRegistry {
  private readonly scalars = new Map<string, ScalarFunction>();
  private readonly tables = new Map<string, TableFunction>();

  registerScalar(f: ScalarFunction, options: { replace?: boolean } = {}): this {
    if (this.scalars.has(f.name) && !options.replace)
      throw new HepqError('udfs/duplicate', `scalar function ${f.name} is already registered`, {
        hint: 'pass { replace: true } to override it deliberately',
      });
    this.scalars.set(f.name, f);
    return this;
  }

  registerTable(f: TableFunction, options: { replace?: boolean } = {}): this {
    if (this.tables.has(f.name) && !options.replace)
      throw new HepqError('udfs/duplicate', `table function ${f.name} is already registered`, {
        hint: 'pass { replace: true } to override it deliberately',
      });
    this.tables.set(f.name, f as TableFunction);
    return this;
  }

  scalar(name: string): ScalarFunction | undefined {
    return this.scalars.get(name);
  }

  table(name: string): TableFunction {
    const f = this.tables.get(name);
    if (f) return f;
    const near = didYouMean(name, this.tables.keys());
    throw new HepqError(
      'udfs/duplicate',
      `no table function ${name}`,
      near ? { hint: `did you mean ${near}?` } : {},
    );
  }

  scalarNames(): string[] {
    return [...this.scalars.keys()];
  }
}
