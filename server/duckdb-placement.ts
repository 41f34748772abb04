/**
 * DuckDB as a placement of func_adl queries: the Session's side of it. `candidate` gives `place()` the plan as one
 * SQL statement (exec/duckdb-plan) or the reason it cannot be one; `run` executes a duckdb-placed plan on
 * the session's SQL engine and shapes the answer as the compiled loop's result (same names, types, histogram).
 */

import { SYNTHETIC_PREFIX } from '../connectors/synthetic/index.js';
import { HepqError } from '../exec/batch/index.js';
import {
  histogramResult,
  type PlanSql,
  parquetSource,
  planToSql,
  rootSource,
  rowsResult,
  type SqlSource,
  sqlStatement,
  valueResult,
} from '../exec/duckdb-plan/index.js';
import { compilePlan, type QueryResult } from '../exec/index.js';
import { planChain } from '../planner/ir/index.js';
import type { PlaceInput } from '../planner/physical/index.js';
import type { FunctionRegistry } from '../udfs/api.js';
import type { PreparedQuery } from './session.js';
import type { SqlEngine } from './sql/index.js';

const PARQUET = /\.(parquet|parq|pq)(\?.*)?$/i;

type Candidate = NonNullable<PlaceInput['duckdb']>;

export class SessionDuckdb {
  /** Each prepared query's translation (what its statement returns is needed again to shape the result). */
  private readonly translated = new WeakMap<PreparedQuery, PlanSql>();

  constructor(
    private readonly engine: () => Promise<SqlEngine>,
    private readonly functions: FunctionRegistry,
  ) {}

  /**
   * The plan as a statement for `place()`, or why not. With `full` the source is the real one (a Parquet file's
   * layout asked of DuckDB, which starts the engine); without, Parquet columns are named as flat (explain and
   * cost only: `statement` gives the real text once DuckDB is chosen).
   */
  async candidate(
    p: PreparedQuery,
    range: { readonly start?: number; readonly stop?: number } | undefined,
    full: boolean,
  ): Promise<Candidate> {
    const why = whyNoSource(p.files);
    if (why) return { refused: why };
    const entries = p.table.statistics().entries;
    const start = Math.max(0, range?.start ?? 0);
    const stop = Math.max(start, Math.min(entries, range?.stop ?? entries));
    let t: ReturnType<typeof planToSql>;
    try {
      t = planToSql(p.plan, {
        schema: p.table.schema(),
        functions: this.functions,
        columns: p.columns,
        ...(start > 0 || stop < entries ? { range: { start, stop } } : {}),
      });
    } catch (e) {
      // placing runs for every query under auto: a translator bug costs DuckDB the query, not the query itself
      return { refused: `the translation failed (${e instanceof Error ? e.message : String(e)})` };
    }
    if (!t.ok) return { refused: t.reason };
    if (p.files.length > 1 && !PARQUET.test(p.files[0]!) && ordered(t.sql, p))
      return {
        refused:
          'several ROOT files with a result in entry order (rows, Take/Skip, an entry range, weighted sums, sums of floats): a UNION ALL of root() keeps no order',
      };
    this.translated.set(p, t.sql);
    return { sql: sqlStatement(t.sql, full ? await this.source(p) : provisional(p)) };
  }

  private async source(p: PreparedQuery): Promise<SqlSource> {
    if (!PARQUET.test(p.files[0]!)) return rootSource(p.files, p.table.name);
    const files = p.files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
    const d = await (await this.engine()).run(`DESCRIBE SELECT * FROM read_parquet([${files}])`);
    const raw = d.columns[0]!.map((name, i) => ({ name: String(name), type: String(d.columns[1]![i]) }));
    return parquetSource(p.files, raw);
  }

  /** Run a duckdb-placed query: the statement on the session's engine, the answer as the loop's result. */
  async run(p: PreparedQuery, sql: string, signal?: AbortSignal): Promise<QueryResult> {
    const t = this.translated.get(p);
    if (!t) throw new HepqError('exec/internal', 'internal: a duckdb-placed query that was not translated');
    const r = await (await this.engine()).run(sql, signal ? { signal } : {});
    switch (t.shape.kind) {
      case 'value':
        return valueResult(r, t.shape.fold === true);
      case 'histogram':
        return histogramResult(t.shape, r);
      case 'rows': {
        const { terminal } = compilePlan(p.plan, p.table.schema(), {
          functions: this.functions,
          source: p.text,
        });
        // whole events: the table's schema, as the loop's selection of the scanned batches has it
        if (terminal.kind === 'selection') return rowsResult(p.table.schema(), 'dict', r);
        if (terminal.kind !== 'rows')
          throw new HepqError(
            'exec/internal',
            `internal: the loop ends in ${terminal.kind} where DuckDB returns rows`,
          );
        const schema = { fields: terminal.names.map((name, i) => ({ name, type: terminal.nodes[i]!.type })) };
        return rowsResult(schema, terminal.shape, r);
      }
    }
  }
}

/** Why the query's input has no DuckDB source (undefined: one ROOT file, or local Parquet files). */
function whyNoSource(files: readonly string[]): string | undefined {
  if (files.some((f) => f.startsWith(SYNTHETIC_PREFIX)))
    return 'generated events (synthetic:) are not a file DuckDB reads';
  const parquet = files.filter((f) => PARQUET.test(f)).length;
  if (parquet === files.length) {
    if (files.some((f) => /^https?:\/\//.test(f)))
      return "Parquet over http(s) needs DuckDB's httpfs extension, which is not installed here";
    return undefined;
  }
  if (parquet > 0) return 'a mix of ROOT and Parquet files';
  return undefined;
}

/**
 * Whether the statement's result depends on the order of the events: rows, an event-level Take/Skip, a range, a
 * weighted histogram (its sums are added in entry order, as the loop's).
 */
function ordered(sql: PlanSql, p: PreparedQuery): boolean {
  return (
    sql.shape.kind === 'rows' ||
    (sql.shape.kind === 'histogram' && sql.shape.weighted) ||
    (sql.shape.kind === 'value' && sql.shape.fold === true) ||
    sql.range !== undefined ||
    planChain(p.plan).some((n) => n.kind === 'limit')
  );
}

/** A source good enough to show and cost the statement before DuckDB is chosen (Parquet columns as flat names). */
function provisional(p: PreparedQuery): SqlSource {
  if (!PARQUET.test(p.files[0]!)) return rootSource(p.files, p.table.name);
  return parquetSource(p.files, []);
}
