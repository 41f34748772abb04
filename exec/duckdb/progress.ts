/**
 * DuckDB's query progress, polled while a statement runs (`duckdb_query_progress`: rows processed of the rows
 * its scans will read, as DuckDB's own shell draws its bar), for `hepq sql` and the REPL's progress bar.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface SqlProgress {
  readonly done: number;
  readonly total: number;
  readonly unit: string;
}

/** Turn on progress tracking on a connection without DuckDB's own printing; false where settings are locked. */
export async function enableProgress(con: DuckDBConnection): Promise<boolean> {
  try {
    await con.run('SET enable_progress_bar = true');
    await con.run('SET enable_progress_bar_print = false');
    return true;
  } catch {
    return false; // a sandboxed engine (lock_configuration): no bar, the query runs as before
  }
}

/** Report `con`'s progress every `ms` until the returned function is called (only once rows are being scanned). */
export function pollProgress(con: DuckDBConnection, report: (p: SqlProgress) => void, ms = 100): () => void {
  let last = -1;
  const timer = setInterval(() => {
    const p = con.progress;
    const total = Number(p.total_rows_to_process);
    const done = Math.min(total, Number(p.rows_processed));
    // Nothing until rows move: root()'s branches are read before DuckDB scans them (no progress DuckDB can
    // see), and a bar standing at 0% all that time would mislead.
    if (p.percentage < 0 || total <= 0 || done <= 0 || done === last) return;
    last = done;
    report({ done, total, unit: 'rows' });
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}
