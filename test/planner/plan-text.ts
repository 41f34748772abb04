/** Helpers for plan-text tests of the optimizer: parse, optimize with chosen rules, and explain. */
import type { TableStatistics } from '../../connectors/api.js';
import { DEFAULT_RATES } from '../../planner/cost/index.js';
import { explain, type LambdaExpr } from '../../planner/ir/index.js';
import { type OptimizeContext, optimize } from '../../planner/optimizer.js';
import { parseQuery } from '../../query/index.js';
import { NANO_SCHEMA } from '../func-adl/nano-schema.js';

/**
 * Statistics for NANO_SCHEMA worked out by hand: 1000 events; list columns carry 4 bytes of offsets an event,
 * so Jet_* (float32) at 4 + 4·6 = 28 bytes an event average 6 jets, Muon_* and Electron_* (8 bytes) 1 each.
 */
export const NANO_STATS: TableStatistics = {
  entries: 1000,
  clusters: [0, 500, 1000],
  columns: NANO_SCHEMA.fields.map((f) => {
    const perEvent =
      f.type.kind !== 'list'
        ? 4
        : f.name.startsWith('Jet_')
          ? 28
          : f.name.startsWith('Muon_') || f.name.startsWith('Electron_')
            ? 8
            : 12;
    return { name: f.name, compressedBytes: perEvent * 500, uncompressedBytes: perEvent * 1000 };
  }),
};

export function context(extra: Partial<OptimizeContext> = {}): OptimizeContext {
  return { schema: NANO_SCHEMA, statistics: NANO_STATS, rates: DEFAULT_RATES, ...extra };
}

/** The explain() text of the query after the given rules (all by default). */
export function optimized(
  query: string,
  rules?: readonly string[],
  selectivity?: (p: LambdaExpr) => number | undefined,
): string {
  const r = optimize(
    parseQuery(query),
    context({ ...(rules ? { rules } : {}), ...(selectivity ? { selectivity } : {}) }),
  );
  for (const t of r.trace) if (t.detail.startsWith('refused')) throw new Error(`${t.rule}: ${t.detail}`);
  return explain(r.plan);
}

/** Plan text written as lines (root first), each input indented two more spaces, ending at the source. */
export function planText(...lines: string[]): string {
  return [...lines, 'Source files=[]'].map((l, i) => `${'  '.repeat(i)}${l}`).join('\n');
}
