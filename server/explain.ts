/** `explain`: what a prepared query will do — its logical plan, estimates and the physical plan that runs. */

import { mb } from '../exec/core/index.js';
import type { FunctionLookup, QueryProfile, QueryResult } from '../exec/index.js';
import { typeText } from '../planner/analyze/index.js';
import { ratesSoFar } from '../planner/cost/index.js';
import { explainCost, explainTrace } from '../planner/index.js';
import { explain as explainPlan } from '../planner/ir/index.js';
import { explainPhysical, type PhysicalPlan } from '../planner/physical/index.js';
import type { PreparedQuery } from './session.js';

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

/** The logical plan with its source naming the files and tree the query actually reads. */
function boundPlanText(p: PreparedQuery): string {
  const text = explainPlan(p.plan);
  const files = `files=[${p.files.map((f) => `'${f}'`).join(', ')}] tree='${p.table.name}'`;
  return text.replace(/Source files=\[[^\n]*\]( tree='[^'\n]*')?$/m, (m) =>
    m.includes('files=[]') ? `Source ${files}` : m,
  );
}

/**
 * What a prepared query will do: the logical plan (optimized, with the rewrites that made it), the result's
 * type, the cost model's per-stage estimates, and the physical plan that runs — scan, pipeline, sink, target
 * and why.
 */
export function explainQuery(p: PreparedQuery, physical: PhysicalPlan, functions?: FunctionLookup): string {
  const lines = [
    p.trace.length ? 'Logical plan (optimized)' : 'Logical plan',
    ...boundPlanText(p)
      .split('\n')
      .map((l) => `  ${l}`),
  ];
  lines.push(...explainTrace(p.trace));
  lines.push(`Result: ${p.analyzed.scalar ? 'one value' : 'rows'} of ${typeText(p.analyzed.rowType)}`);
  const cost = explainCost(p.plan, {
    schema: p.table.schema(),
    statistics: p.table.statistics(),
    compression: (c) => p.table.statistics().columns.find((x) => x.name === c)?.codec,
    rates: ratesSoFar(), // calibrated when the physical plan needed it; measuring only for explain costs 0.1–0.3 s
    ...(functions ? { functions } : {}),
  });
  // The candidates' seconds are the physical plan's estimates (below), not repeated here.
  if (cost) lines.push(...cost.split('\n').filter((l) => !l.startsWith('  placement:')));
  lines.push(explainPhysical(physical));
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
