/** Scan filters a connector may apply early, taken from the leading event-level `Where`s of a plan. */
import type { ConnectorTable, ScanFilter } from '../connectors/api.js';
import type { Expr, LogicalPlan } from '../planner/ir/index.js';
import { planChain } from '../planner/ir/index.js';

const FLIP: Record<ScanFilter['op'], ScanFilter['op']> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

/** `e.col op number` (or `number op e.col`), and each side of an `and`, as scan filters. */
function filtersOf(e: Expr, param: string, out: ScanFilter[]): void {
  if (e.kind === 'bool' && e.op === 'and') {
    for (const o of e.operands) filtersOf(o, param, out);
    return;
  }
  if (e.kind !== 'compare') return;
  const col = (x: Expr) =>
    x.kind === 'attr' && x.target.kind === 'name' && x.target.name === param ? x.name : undefined;
  const num = (x: Expr) => (x.kind === 'literal' && typeof x.value === 'number' ? x.value : undefined);
  const [lc, rn, rc, ln] = [col(e.left), num(e.right), col(e.right), num(e.left)];
  if (lc !== undefined && rn !== undefined) out.push({ column: lc, op: e.op, value: rn });
  else if (rc !== undefined && ln !== undefined) out.push({ column: rc, op: FLIP[e.op], value: ln });
}

/**
 * Filters on plain columns from the `Where`s that come straight after the source, kept only where the table
 * declares it can apply them. The executor still evaluates every predicate, so an inexact filter is safe.
 */
export function pushableFilters(plan: LogicalPlan, table: ConnectorTable): ScanFilter[] {
  const chain = planChain(plan).reverse().slice(1);
  const out: ScanFilter[] = [];
  for (const p of chain) {
    if (p.kind === 'metadata') continue;
    if (p.kind !== 'where') break;
    filtersOf(p.predicate.body, p.predicate.params[0]!, out);
  }
  const columns = new Set(
    table
      .schema()
      .fields.filter((f) => f.type.kind === 'primitive')
      .map((f) => f.name),
  );
  return out.filter((f) => columns.has(f.column) && table.supportsFilter(f) !== 'unsupported');
}
