/**
 * A statistics stage after a query's histograms, written as the query's last method: `.Fit(config)`,
 * `.HypoTest(mu, config)` or `.UpperLimit(config)`. The front end only splits it off (with its constant
 * arguments) and lowers the rest as the query; the Session runs the query and hands its histograms to the
 * stats layer (builder → workspace → fit), so nothing of it reaches the planner or the code generators.
 */
import { HepqError, type SourceSpan } from '../exec/batch/index.js';
import type { Expr } from '../planner/ir/index.js';
import { kwargsOf, nameSpanOf } from './syntax.js';

export type StatsStageKind = 'fit' | 'hypotest' | 'upper_limit';

/** A JSON value written as a constant in the query (dicts, lists/tuples, strings, numbers, True/False/None). */
export type ConstantValue =
  | string
  | number
  | boolean
  | null
  | ConstantValue[]
  | { [k: string]: ConstantValue };

export interface StatsStage {
  readonly kind: StatsStageKind;
  /** The method as written (`Fit`, `HypoTest`, `UpperLimit`). */
  readonly method: string;
  /** The workspace builder's config: inline (a dict) or the path of a JSON/YAML file. */
  readonly config: ConstantValue;
  /** HypoTest: the POI value tested (default 1). */
  readonly mu?: number;
  /** UpperLimit: the CLs level (default 0.05). */
  readonly level?: number;
  readonly testStat?: 'q' | 'qtilde';
  /** Fit the Asimov data of the built model (overrides the config's `data`). */
  readonly asimov?: boolean;
  /** Labels naming a histogram's region, sample and variation (defaults region, dataset, variation). */
  readonly labels?: { readonly region?: string; readonly sample?: string; readonly variation?: string };
  /** Where the stage is written, for errors about it. */
  readonly span?: SourceSpan;
}

const STAGES: Readonly<Record<string, StatsStageKind>> = {
  Fit: 'fit',
  HypoTest: 'hypotest',
  UpperLimit: 'upper_limit',
};
const KEYWORDS: Readonly<Record<StatsStageKind, readonly string[]>> = {
  fit: ['config', 'asimov', 'labels'],
  hypotest: ['mu', 'config', 'asimov', 'labels', 'test_stat'],
  upper_limit: ['config', 'level', 'asimov', 'labels', 'test_stat'],
};
const USAGE: Readonly<Record<StatsStageKind, string>> = {
  fit: ".Fit(config) — config: {'regions': [...], 'samples': [...], ...} or 'config.json'",
  hypotest: '.HypoTest(mu, config) — e.g. .HypoTest(1.0, "config.yaml")',
  upper_limit: ".UpperLimit(config, level=0.05) — e.g. .UpperLimit('config.json')",
};

/**
 * Split a statistics stage off the query's final expression. `lookup` resolves names bound earlier in a
 * script (`cfg = {...}` then `.Fit(cfg)`).
 */
export function splitStatsStage(
  e: Expr,
  source: string,
  lookup: (name: string) => Expr | undefined = () => undefined,
): { query: Expr; stage?: StatsStage } {
  if (e.kind !== 'method' || STAGES[e.name] === undefined) return { query: e };
  const kind = STAGES[e.name]!;
  const span = nameSpanOf(e);
  const fail = (message: string, at: SourceSpan | undefined = span): never => {
    throw new HepqError('query/stats-stage', message, { span: at, source, hint: USAGE[kind] });
  };
  const constant = (x: Expr): ConstantValue => {
    switch (x.kind) {
      case 'literal':
        return x.value;
      case 'tuple':
        return x.items.map(constant);
      case 'dict':
        return Object.fromEntries(x.keys.map((k, i) => [k, constant(x.values[i]!)]));
      case 'unary':
        if (x.op === '-' && x.operand.kind === 'literal' && typeof x.operand.value === 'number')
          return -x.operand.value;
        break;
      case 'name': {
        const bound = lookup(x.name);
        if (bound) return constant(bound);
        break;
      }
    }
    return fail(`.${e.name}() takes constants (a dict, list, string or number) here`, x.span);
  };
  const kw = kwargsOf(e);
  for (const [k, v] of kw)
    if (!KEYWORDS[kind].includes(k))
      fail(`.${e.name}() has no keyword '${k}' (it takes ${KEYWORDS[kind].join(', ')})`, v.span);
  const positional = kind === 'hypotest' ? ['mu', 'config'] : ['config'];
  if (e.args.length > positional.length)
    fail(
      `.${e.name}() takes ${positional.join(', ')} as positional arguments`,
      e.args[positional.length]!.span,
    );
  const arg = (name: string): ConstantValue | undefined => {
    const i = positional.indexOf(name);
    const x = (i >= 0 ? e.args[i] : undefined) ?? kw.get(name);
    return x === undefined ? undefined : constant(x);
  };
  const config = arg('config');
  if (config === undefined) fail(`.${e.name}() needs the workspace builder's config`);
  if (typeof config !== 'string' && (config === null || typeof config !== 'object' || Array.isArray(config)))
    fail(`.${e.name}(): the config is a dict or the path of a JSON/YAML file`);
  const num = (name: string): number | undefined => {
    const v = arg(name);
    if (v !== undefined && typeof v !== 'number') fail(`.${e.name}(): ${name} must be a number`);
    return v as number | undefined;
  };
  const mu = num('mu');
  const level = num('level');
  if (level !== undefined && !(level > 0 && level < 1)) fail(`.${e.name}(): level must be between 0 and 1`);
  const testStat = arg('test_stat');
  if (testStat !== undefined && testStat !== 'q' && testStat !== 'qtilde')
    fail(`.${e.name}(): test_stat must be 'q' or 'qtilde'`);
  const asimov = arg('asimov');
  if (asimov !== undefined && typeof asimov !== 'boolean') fail(`.${e.name}(): asimov must be True or False`);
  const labels = arg('labels');
  if (
    labels !== undefined &&
    (labels === null ||
      typeof labels !== 'object' ||
      Array.isArray(labels) ||
      Object.entries(labels).some(
        ([k, v]) => !['region', 'sample', 'variation'].includes(k) || typeof v !== 'string',
      ))
  )
    fail(`.${e.name}(): labels is a dict of region/sample/variation → the histogram label naming it`);
  return {
    query: e.target,
    stage: {
      kind,
      method: e.name,
      config: config!,
      ...(mu !== undefined ? { mu } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(testStat !== undefined ? { testStat: testStat as 'q' | 'qtilde' } : {}),
      ...(asimov !== undefined ? { asimov: asimov as boolean } : {}),
      ...(labels !== undefined ? { labels: labels as StatsStage['labels'] } : {}),
      ...(span ? { span } : {}),
    },
  };
}
