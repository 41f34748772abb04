/** `explain`: what a prepared query will do — its plan, the scan (columns, bytes, filters, batches). */
import type { ConnectorTable } from '../connectors/api.js';
import { type FunctionLookup, pushableFilters, type QueryProfile, type QueryResult } from '../exec/index.js';
import { typeText } from '../planner/analyze/index.js';
import { explainCost, explainTrace } from '../planner/index.js';
import { explain as explainPlan } from '../planner/ir/index.js';
import type { Placement, PreparedQuery } from './session.js';

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 3 : 1)} MB`;
const int = (n: number) => n.toLocaleString('en-US');

/** Compressed and decompressed bytes of the query's branches over the whole table. */
function bytesRead(p: PreparedQuery): { zip: number; raw: number } {
  const read = new Set(p.columns);
  let zip = 0;
  let raw = 0;
  for (const c of p.table.statistics().columns)
    if (read.has(c.name)) {
      zip += c.compressedBytes;
      raw += c.uncompressedBytes;
    }
  return { zip, raw };
}

function scanLines(table: ConnectorTable, columns: readonly string[], p: PreparedQuery): string[] {
  const stats = table.statistics();
  const byName = new Map(stats.columns.map((c) => [c.name, c]));
  const lines: string[] = [];
  const files = p.files.length === 1 ? p.files[0]! : `${p.files.length} files`;
  lines.push(
    `Scan ${table.name} of ${files}: ${int(stats.entries)} entries in ${int(Math.max(1, stats.clusters.length - 1))} clusters`,
  );
  const { zip, raw } = bytesRead(p);
  const all = stats.columns.reduce((a, c) => a + c.compressedBytes, 0);
  lines.push(
    `  columns read: ${columns.length} of ${table.schema().fields.length} — ${mb(zip)} compressed (${all ? ((100 * zip) / all).toFixed(1) : '0'}% of the tree), ${mb(raw)} decompressed`,
  );
  for (const c of columns) {
    const s = byName.get(c);
    lines.push(`    ${c}${s ? `  ${mb(s.compressedBytes)} → ${mb(s.uncompressedBytes)}` : ''}`);
  }
  const filters = pushableFilters(p.plan, table);
  if (filters.length)
    lines.push(
      `  pushed filters: ${filters.map((f) => `${f.column} ${f.op} ${f.value}`).join(' and ')} — clusters where no entry passes are skipped before their other columns are read (still evaluated per event)`,
    );
  return lines;
}

export function explainQuery(
  p: PreparedQuery,
  placement: Placement,
  functions?: FunctionLookup,
  extra: readonly string[] = [],
): string {
  const lines = [
    p.trace.length ? 'Logical plan (optimized)' : 'Logical plan',
    ...explainPlan(p.plan)
      .split('\n')
      .map((l) => `  ${l}`),
  ];
  lines.push(...explainTrace(p.trace));
  lines.push(`Result: ${p.analyzed.scalar ? 'one value' : 'rows'} of ${typeText(p.analyzed.rowType)}`);
  lines.push(...scanLines(p.table, p.columns, p));
  const cost = explainCost(p.plan, {
    schema: p.table.schema(),
    statistics: p.table.statistics(),
    ...(functions ? { functions } : {}),
    threads: placement.threads,
  });
  if (cost) lines.push(...cost.split('\n'));
  lines.push(
    placement.threads > 1
      ? `Execution: ${placement.threads} worker threads — ${placement.reason}; results merged in entry order`
      : `Execution: this thread — ${placement.reason}`,
  );
  lines.push(...extra);
  return lines.join('\n');
}

/** The measured part of `explain analyze`. */
export function explainAnalyzed(
  p: PreparedQuery,
  prof: QueryProfile,
  ms: number,
  result: QueryResult,
): string {
  const stats = p.table.statistics();
  const share = stats.entries ? prof.entries / stats.entries : 0;
  const whole = bytesRead(p);
  const zip = whole.zip * share;
  const raw = whole.raw * share;
  const lines = [
    `Analyze: ${int(prof.entries)} of ${int(stats.entries)} entries scanned in ${int(prof.batches)} batches, ${ms.toFixed(1)} ms in all (${ms > 0 ? ((prof.entries / ms) * 1e-3).toFixed(2) : '∞'} M entries/s)`,
    `  scan (read + decompress): ${prof.scanMs.toFixed(1)} ms, about ${mb(zip)} read → ${mb(raw)} decompressed`,
    `  compiled loop: ${prof.runMs.toFixed(1)} ms`,
    '  rows reaching each stage:',
  ];
  let prev = prof.stages[0]?.rows ?? 0;
  for (const [i, s] of prof.stages.entries()) {
    const sel =
      i > 0 && prof.stages[i - 1]!.label === 'Where' && prev > 0
        ? `  (${((100 * s.rows) / prev).toFixed(1)}% passed the Where)`
        : '';
    lines.push(
      `    ${i === 0 ? 'events' : `after ${prof.stages[i - 1]!.label}`}: ${int(s.rows)} → ${s.label}${sel}`,
    );
    prev = s.rows;
  }
  const what =
    result.kind === 'rows'
      ? `${int(result.batches.reduce((a, b) => a + (b.selection?.length ?? b.length), 0))} rows`
      : result.kind === 'value'
        ? 'one value'
        : result.kind === 'histogram'
          ? `a histogram of ${int(result.histogram.counts.reduce((a, b) => a + b, 0))} entries in range`
          : `${int(result.histograms.histograms.length)} histograms`;
  lines.push(`  result: ${what}`);
  return lines.join('\n');
}
