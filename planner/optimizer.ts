/**
 * The optimizer driver: runs the rules of `rules/` in order to a bounded fixpoint, times each, lets a
 * caller pick a subset by name, and re-checks every rewrite against the schema (a rewrite that changes the
 * result type or no longer type-checks is refused and recorded, never returned). The plan returned is bound
 * (every expression carries its type): the re-check of the last rewrite is its binding.
 */
import { HepqError } from '../exec/batch/index.js';
import { analyzePlan, typeText } from './analyze/index.js';
import { type CostInput, CostModel, explainCost as explainCostLines } from './cost/index.js';
import type { LogicalPlan } from './ir/index.js';
import { DEFAULT_RULES, type Rule } from './rules/index.js';

export interface OptimizeContext extends CostInput {
  /** Names of the rules to run (default: all, in the registered order). */
  readonly rules?: readonly string[];
  /** Names of rules not to run (e.g. a user's `--no-rule filter-order`). */
  readonly disable?: readonly string[];
  /** Rewrites at most (a guard against rules that would undo each other). */
  readonly maxRewrites?: number;
}

export interface TraceEntry {
  readonly rule: string;
  readonly detail: string;
  /** Milliseconds the successful application took. */
  readonly ms?: number;
}

export interface OptimizeResult {
  readonly plan: LogicalPlan;
  readonly trace: TraceEntry[];
}

/** The registered rules, in order (a registry that refuses a second rule of the same name). */
export const RULES: readonly Rule[] = DEFAULT_RULES;
const RULE_NAMES = new Set(RULES.map((r) => r.name));
if (RULE_NAMES.size !== RULES.length)
  throw new HepqError('planner/internal', 'two optimizer rules share a name');

function selected(names?: readonly string[], disable: readonly string[] = []): readonly Rule[] {
  for (const n of [...(names ?? []), ...disable])
    if (!RULE_NAMES.has(n))
      throw new HepqError('planner/unknown-rule', `no optimizer rule named ${n}`, {
        hint: `rules: ${[...RULE_NAMES].join(', ')}`,
      });
  return RULES.filter((r) => (!names || names.includes(r.name)) && !disable.includes(r.name));
}

/** The plan bound to the schema (`analyzePlan`), and the type signature a rewrite must keep: the row type and whether the result is one value. */
function bind(plan: LogicalPlan, ctx: OptimizeContext): { bound: LogicalPlan; signature: string } {
  const a = analyzePlan(plan, ctx.schema, ctx.functions ? { functions: ctx.functions } : {});
  return { bound: a.plan, signature: `${a.scalar ? 'value' : 'rows'} of ${typeText(a.rowType)}` };
}

/**
 * Optimize a type-checked plan. The result, bound, computes exactly the same rows, values or histogram; the trace
 * lists each rewrite (`rule`, what it did) in the order applied.
 */
export function optimize(plan: LogicalPlan, ctx: OptimizeContext): OptimizeResult {
  const rules = selected(ctx.rules, ctx.disable);
  const cost = new CostModel(ctx);
  const trace: TraceEntry[] = [];
  const first = bind(plan, ctx);
  const want = first.signature;
  // The rules see the plan as given; the result is the last accepted rewrite re-bound (or the input bound).
  let bound = first.bound;
  const limit = ctx.maxRewrites ?? 100;
  let current = plan;
  let rewrites = 0;
  const refused = new Set<string>();
  for (let changed = true; changed && rewrites < limit; ) {
    changed = false;
    for (const rule of rules) {
      if (refused.has(rule.name)) continue;
      // Each rule rewrites one site per call; run it until it has nothing left (bounded).
      for (let again = true; again && rewrites < limit; ) {
        const t0 = performance.now();
        const r = rule.apply(current, { cost });
        const ms = performance.now() - t0;
        again = false;
        if (!r) break;
        rewrites++;
        let got: ReturnType<typeof bind>;
        try {
          got = bind(r.plan, ctx);
        } catch (e) {
          trace.push({
            rule: rule.name,
            detail: `refused: the rewrite no longer type-checks (${(e as Error).message})`,
          });
          refused.add(rule.name);
          break;
        }
        if (got.signature !== want) {
          trace.push({
            rule: rule.name,
            detail: `refused: the rewrite changes the result from ${want} to ${got.signature}`,
          });
          refused.add(rule.name);
          break;
        }
        trace.push({ rule: rule.name, detail: r.detail, ms });
        current = r.plan;
        bound = got.bound;
        changed = again = true;
      }
    }
  }
  if (rewrites >= limit) trace.push({ rule: 'driver', detail: `stopped after ${limit} rewrites` });
  return { plan: bound, trace };
}

/** The cost model's lines for `explain` (per-stage work and selectivity, bytes, decompression, placement). */
export function explainCost(plan: LogicalPlan, ctx: OptimizeContext & { readonly threads?: number }): string {
  return explainCostLines(plan, ctx);
}

/** Name and description of every rule, for `explain` and documentation. */
export function describeRules(): Array<{ name: string; description: string }> {
  return RULES.map((r) => ({ name: r.name, description: r.description }));
}

/** The trace as lines for `explain`: one per rewrite, `rule: what it did`. */
export function explainTrace(trace: readonly TraceEntry[]): string[] {
  if (!trace.length) return ['Optimizer: no rewrite'];
  return ['Optimizer', ...trace.map((t) => `  ${t.rule}: ${t.detail}`)];
}
