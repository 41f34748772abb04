/**
 * Emits the fill of a categorised `Hist` into the generated loop: per variation of the row, the category
 * predicates, the bin (computed once) and one `addAt` per (category combination × weight).
 */
import { exprText, type HistPlan, type LambdaExpr } from '../../planner/ir/index.js';
import { HepqError } from '../batch/index.js';
import { Histogram1D, Histogram2D } from '../sinks/histogram.js';
import type { ExprCompiler } from './compile-expr.js';
import type { Emitter } from './emitter.js';
import { commonReductions, substituteCommon } from './hist-common.js';
import { tryMaterialise } from './hold.js';
import type { Value } from './values.js';

/** The histograms a categorised fill writes into (shared with the generated code as `R.hs`). */
export interface HistSetSink {
  readonly categories: readonly string[];
  readonly hists: (Histogram1D | Histogram2D)[];
  readonly labels: Readonly<Record<string, string>>[];
}

/** Every combination of one label per category axis, first axis outermost. */
function combinations(axes: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const labels of axes) out = out.flatMap((c) => labels.map((l) => [...c, l]));
  return out;
}

/** An empty histogram with the binning of `p`'s axes (regular or variable edges, 1-D or 2-D). */
export function newHistogram(p: HistPlan): Histogram1D | Histogram2D {
  const [x, y] = p.axes;
  const spec = (a: typeof x & {}): [number, number, number, (readonly number[])?] =>
    a.edges ? [a.bins, a.lo, a.hi, a.edges] : [a.bins, a.lo, a.hi];
  return y ? new Histogram2D(spec(x!), spec(y)) : new Histogram1D(...spec(x!));
}

/** Build the sink (every histogram, in a fixed label order) for a categorised plan node. */
export function histSetSink(p: HistPlan): HistSetSink {
  const cats = p.categories ?? [];
  const varLabels = variationLabels(p);
  const categories = [...cats.map((c) => c.name), ...(varLabels ? ['variation'] : [])];
  const hists: (Histogram1D | Histogram2D)[] = [];
  const labels: Record<string, string>[] = [];
  for (const combo of combinations(cats.map((c) => c.labels.map((l) => l.name))))
    for (const v of varLabels ?? [undefined]) {
      const l: Record<string, string> = {};
      cats.forEach((c, i) => {
        l[c.name] = combo[i]!;
      });
      if (v !== undefined) l.variation = v;
      labels.push(l);
      hists.push(newHistogram(p));
    }
  return { categories, hists, labels };
}

/** The labels of the `variation` axis (weights, then object variations), or undefined when it has none. */
function variationLabels(p: HistPlan): string[] | undefined {
  if (!p.weights?.length && !p.variations?.length) return undefined;
  return [...(p.weights?.map((w) => w.name) ?? ['nominal']), ...(p.variations ?? []).map((v) => v.name)];
}

/**
 * Compute the reductions several of `lambdas` share once, as extra fields of the row (`hist-common.ts`); the
 * lambdas are rewritten to read them. The row is unchanged when it is not a record or nothing is shared.
 */
function hoistCommon(
  c: ExprCompiler,
  em: Emitter,
  row: Value,
  lambdas: readonly LambdaExpr[],
): { row: Value; rewrite: (l: LambdaExpr) => LambdaExpr } {
  const none = { row, rewrite: (l: LambdaExpr) => l };
  const param = lambdas[0]?.params[0];
  if (row.k !== 'record' || !param || !lambdas.every((l) => l.params.length === 1 && l.params[0] === param))
    return none;
  const fields = new Map<string, string>();
  const names = [...row.names];
  const values = [...row.values];
  for (const e of commonReductions(lambdas, param)) {
    const body = substituteCommon(e, param, fields);
    const v = c.apply({ kind: 'lambda', params: [param], body }, [{ ...row, names, values }], new Map());
    if (v.k !== 'scalar') continue;
    const name = `__common${fields.size}`;
    fields.set(exprText(e), name);
    names.push(name);
    values.push({ k: 'scalar', code: em.bind(v.code, 'common'), type: v.type });
  }
  if (!fields.size) return none;
  return {
    row: { ...row, names, values },
    rewrite: (l) => ({ ...l, body: substituteCommon(l.body, param, fields) }),
  };
}

/** Emit the fills of `p` for the row `v` into `R.hs`. */
export function emitHistSet(c: ExprCompiler, em: Emitter, p: HistPlan, v: Value, sink: HistSetSink): void {
  const apply = (l: LambdaExpr, row: Value) => c.apply(l, [row], new Map());
  const cats = p.categories ?? [];
  const varLabels = variationLabels(p);
  const nVar = varLabels?.length ?? 1;
  const nominalWeights = p.weights?.length
    ? p.weights.map((w) => ({ name: w.name, fn: w.fn as LambdaExpr | undefined }))
    : [{ name: 'nominal', fn: p.weight }];
  const versions: {
    row: Value;
    weights: { name: string; fn?: LambdaExpr }[];
    /** The fields a variation replaced, and the variation (for errors). */
    replaced?: { fields: readonly boolean[]; fn: LambdaExpr };
  }[] = [{ row: v, weights: nominalWeights }];
  for (const vr of p.variations ?? []) {
    if (v.k !== 'record')
      throw new HepqError(
        'exec/variation',
        'variations replace fields of the row: Select a dict before Hist',
        {
          span: vr.fn.span,
        },
      );
    const r = apply(vr.fn, v);
    if (r.k !== 'record')
      throw new HepqError('exec/variation', `variation ${vr.name} must return a dict`, { span: vr.fn.span });
    const values = v.names.map((n, k) => {
      const j = r.names.indexOf(n);
      return j >= 0 ? r.values[j]! : v.values[k]!;
    });
    versions.push({
      row: { ...v, values },
      weights: [{ name: vr.name, fn: nominalWeights[0]!.fn }],
      replaced: { fields: v.names.map((n) => r.names.includes(n)), fn: vr.fn },
    });
  }
  const combos = combinations(cats.map((cat) => cat.labels.map((l) => l.name)));
  const varIndex = (name: string) => varLabels?.indexOf(name) ?? 0;

  for (const version of versions) {
    em.block('', () => {
      // A variation's replaced collections (smeared, scaled jets) are held once per event, as the Select's are:
      // the region, weight and observable lambdas would otherwise re-derive them at every use.
      const held =
        version.replaced && version.row.k === 'record'
          ? {
              ...version.row,
              values: version.row.values.map((x, k) =>
                version.replaced!.fields[k] ? tryMaterialise(c, x, version.replaced!.fn) : x,
              ),
            }
          : version.row;
      const { row, rewrite } = hoistCommon(c, em, held, [
        ...cats.flatMap((cat) => cat.labels.map((l) => l.fn)),
        ...p.axes.map((a) => a.value),
        ...version.weights.flatMap((w) => (w.fn ? [w.fn] : [])),
      ]);
      const apply = (l: LambdaExpr, r: Value) => c.apply(rewrite(l), [r], new Map());
      const preds = cats.map((cat) =>
        cat.labels.map((l) => em.bind(`!!(${c.num(apply(l.fn, row), l.fn)})`, 'cat')),
      );
      const guard = preds.map((ps) => `(${ps.join(' || ')})`).join(' && ');
      const fill = () => {
        const ws = version.weights.map((w) => ({
          k: varIndex(w.name),
          code: w.fn ? em.bind(c.num(apply(w.fn, row), w.fn), 'w') : '1',
        }));
        const axes = p.axes.map((a) => apply(a.value, row));
        const body = (bin: string) => {
          // Nested ifs over the category axes: an event fills every label whose predicate holds.
          const nest = (axis: number, comboBase: number, stride: number): void => {
            if (axis === cats.length) {
              for (const w of ws) em.line(`R.hs[${comboBase * nVar + w.k}].addAt(${bin}, ${w.code});`);
              return;
            }
            const n = cats[axis]!.labels.length;
            const inner = stride / n;
            for (let l = 0; l < n; l++)
              em.block(`if (${preds[axis]![l]})`, () => nest(axis + 1, comboBase + l * inner, inner));
          };
          nest(0, 0, combos.length);
        };
        if (axes.length === 1) {
          const a = axes[0]!;
          if (a.k === 'coll') a.loop(em, (el) => body(em.bind(`R.hs[0].bin(${c.num(el, p)})`, 'b')));
          else body(em.bind(`R.hs[0].bin(${c.num(a, p)})`, 'b'));
        } else body(em.bind(`R.hs[0].bin(${c.num(axes[0]!, p)}, ${c.num(axes[1]!, p)})`, 'b'));
      };
      if (cats.length) em.block(`if (${guard})`, fill);
      else fill();
    });
  }
  void sink;
}
