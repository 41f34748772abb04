/** `explainCost`: the cost model's view of a plan as lines for `explain` (bytes, rates, filters, placement). */
import { availableParallelism } from 'node:os';
import { mb, ms } from '../../exec/core/index.js';
import { compilePlan } from '../../exec/index.js';
import { analyzePlan } from '../analyze/index.js';
import { exprText, type LogicalPlan } from '../ir/index.js';
import { type CostInput, CostModel, SECONDS_PER_UNIT } from './model.js';

const num = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

/** The columns a plan reads: those the executor's generated code touches (the analyzer's list as fallback). */
export function columnsRead(plan: LogicalPlan, input: CostInput): readonly string[] {
  const fns = input.functions ? { functions: input.functions } : {};
  const analyzed = analyzePlan(plan, input.schema, fns);
  try {
    return compilePlan(analyzed.plan, input.schema, fns).columns;
  } catch {
    return analyzed.columns;
  }
}

/** Lines describing the estimated cost of `plan`: per-stage work, bytes and decompression, placement. */
export function explainCost(plan: LogicalPlan, input: CostInput & { readonly threads?: number }): string {
  const model = new CostModel(input);
  const lines = ['Cost (estimates)'];
  for (const s of model.stages(plan)) {
    const what =
      s.stage.kind === 'where'
        ? `Where ${exprText(s.stage.predicate)}`
        : s.stage.kind === 'select'
          ? 'Select'
          : s.stage.kind === 'select-many'
            ? 'SelectMany'
            : s.stage.kind === 'hist'
              ? 'Hist'
              : s.stage.kind === 'reduce'
                ? `Reduce ${s.stage.op}`
                : s.stage.kind === 'limit'
                  ? 'Limit'
                  : s.stage.kind;
    const sel = s.selectivity !== undefined ? `, keeps ${num(s.selectivity)} (${s.source})` : '';
    lines.push(`  ${what}: ${num(s.units)} units × ${num(s.fraction)} of events${sel}`);
  }
  const columns = columnsRead(plan, input);
  const work = model.work(plan, columns);
  const stats = input.statistics;
  if (stats) {
    lines.push(
      `  reads ${columns.length} columns of ${stats.entries.toLocaleString('en-US')} entries: ${mb(work.compressedBytes)} compressed → ${mb(work.uncompressedBytes)}, decompression ≈ ${ms(work.decompressSeconds)}`,
    );
    lines.push(
      `  CPU ≈ ${num(work.unitsPerEvent)} units/event ≈ ${ms(work.events * work.unitsPerEvent * SECONDS_PER_UNIT)}`,
    );
    const threads = input.threads ?? availableParallelism();
    const clusters = Math.max(1, stats.clusters.length - 1);
    const best = model.placements(plan, work, threads, Math.min(clusters, threads * 4));
    lines.push(
      `  placement: ${best.map((b) => `${b.target}${b.threads > 1 ? `×${b.threads}` : ''} ≈ ${ms(b.seconds)}`).join(', ')}`,
    );
  }
  return lines.join('\n');
}
