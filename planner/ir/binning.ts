/**
 * Histogram binning written once and printed per target — the JS of `Histogram1D` (exec/sinks/histogram.ts,
 * which the compiled fill loops call), the WGSL of the GPU fill (exec/gpu/wgsl.ts), the SQL of the `hepq`
 * macros (exec/duckdb/hep-macros.ts) — so CPU, GPU and SQL give the same bin for the same value.
 *
 * The rule, over increasing edges e[0..n] (a regular axis: numpy's linspace(lo, hi, n + 1), its last edge
 * exactly hi): NaN has no bin (−2; NULL in SQL); x < e[0] is underflow (−1, −∞ included); x ≥ e[n] is overflow
 * (n, +∞ and x = hi included); otherwise the bin b with e[b] ≤ x < e[b + 1], so a value on an inner edge lands
 * in the bin that edge opens. A regular axis finds b from the scaled offset floor((x − lo)·n/(hi − lo)),
 * clamped to n − 1, then moves it where rounding put it across an edge (numpy's correction); variable edges
 * are searched (JS: bisection; WGSL: the same walk from the regular guess over the first and last edge;
 * SQL: the count of edges ≤ x).
 */
import { type Formula, printFormula, printTest, type Test } from './formulas.js';

const code = (c: string): Formula => ({ k: 'code', code: c });
type In = Formula | string;
const f = (x: In): Formula => (typeof x === 'string' ? code(x) : x);
const bin = (op: '+' | '-' | '*' | '/', a: In, b: In): Formula => ({ k: 'bin', op, a: f(a), b: f(b) });
const cmp = (op: '<' | '>=', a: In, b: In): Test => ({ k: 'cmp', op, a: f(a), b: f(b) });

export const BIN_FORMULAS = {
  /**
   * Edge k of a regular axis as numpy's linspace computes it: lo + k·((hi − lo)/bins) (the step first); the
   * caller makes edge `bins` exactly hi.
   */
  regularEdge: (k: In, lo: In, hi: In, bins: In): Formula =>
    bin('+', lo, bin('*', k, bin('/', bin('-', hi, lo), bins))),
  /** The first guess of a regular axis's bin: floor((x − lo)·scale), scale = bins/(hi − lo). */
  guess: (x: In, lo: In, scale: In): Formula => ({
    k: 'fn',
    fn: 'floor',
    args: [bin('*', bin('-', x, lo), scale)],
  }),
  /** No bin: NaN (and NULL in SQL). */
  none: (x: In): Test => ({ k: 'nan', a: f(x) }),
  /** Underflow: below the first edge. */
  under: (x: In, first: In): Test => cmp('<', x, first),
  /** Overflow: at or above the last edge. */
  over: (x: In, last: In): Test => cmp('>=', x, last),
  /** The guess b is one too high: x lies below its lower edge. */
  down: (x: In, lower: In): Test => cmp('<', x, lower),
  /** The guess b is one too low: x lies at or above the next bin's lower edge (which is not the last edge). */
  up: (x: In, next: In, nextIsInner: Test): Test => ({ k: 'and', a: nextIsInner, b: cmp('>=', x, next) }),
} as const;

const B = BIN_FORMULAS;
const js = (x: Formula) => printFormula(x, 'js');
const jsT = (x: Test) => printTest(x, 'js');

/** numpy's `linspace(lo, hi, bins + 1)` with the last edge exactly `hi`: the regular axis's edges. */
export function regularEdges(lo: number, hi: number, bins: number): Float64Array {
  const e = new Float64Array(bins + 1);
  for (let k = 0; k < bins; k++) e[k] = EDGE(k, lo, hi, bins);
  e[bins] = hi;
  return e;
}
const EDGE = new Function(
  'k',
  'lo',
  'hi',
  'bins',
  `return ${js(B.regularEdge('k', 'lo', 'hi', 'bins'))};`,
) as (k: number, lo: number, hi: number, bins: number) => number;

/** The fields a JS axis binds for its bin method (exec/sinks/histogram.ts's `Histogram1D`). */
export interface JsBinAxis {
  /** The bins + 1 increasing edges. */
  readonly edges: Float64Array;
  readonly bins: number;
  /** The first and last edge. */
  readonly lo: number;
  readonly hi: number;
  /** bins/(hi − lo) (a regular axis). */
  readonly scale: number;
  /** Variable edges: searched (bisection) instead of guessed from the scaled offset. */
  readonly variable: boolean;
}

/**
 * The JS body of the method `bin(x)` of a `JsBinAxis` (`this`): a regular axis guesses and corrects, a variable
 * one bisects. One method for every axis, so every histogram shares one compiled (and optimised) function.
 */
export function binMethodJs(): string {
  // NaN and underflow share the common path's one comparison (x ≥ lo fails for both; what is not below is NaN)
  return `if (!(x >= this.lo)) return ${jsT(B.under('x', 'this.lo'))} ? -1 : -2;
  const n = this.bins;
  if (${jsT(B.over('x', 'this.hi'))}) return n;
  const e = this.edges;
  if (this.variable) {
    let a = 0;
    let z = n;
    while (z - a > 1) {
      const m = (a + z) >> 1;
      if (x >= e[m]) a = m;
      else z = m;
    }
    return a;
  }
  let b = ${js({ k: 'fn', fn: 'min', args: [B.guess('x', 'this.lo', 'this.scale'), code('n - 1')] })} | 0;
  if (${jsT(B.down('x', 'e[b]'))}) b--;
  else if (${jsT(B.up('x', 'e[b + 1]', cmp('<', 'b + 1', 'n')))}) b++;
  return b;`;
}

/** `binMethodJs` compiled: the bin of x (−2 NaN, −1 underflow, `bins` overflow), called with the axis as `this`. */
export function compileBinMethod(): (this: JsBinAxis, x: number) => number {
  return new Function('x', binMethodJs()) as (this: JsBinAxis, x: number) => number;
}

/**
 * The WGSL function `fn <name>(v: f32) -> i32` over the storage array `edges` of `bins + 1` float32 thresholds:
 * the regular guess over the first and last threshold, then a walk to the bin (a variable axis walks further).
 */
export function binFunctionWgsl(name: string, edges: string, bins: number): string {
  const w = (x: Formula) => printFormula(x, 'wgsl');
  const wT = (x: Test) => printTest(x, 'wgsl');
  return `fn ${name}(v: f32) -> i32 {
  let nb = ${bins}i;
  if (${wT(B.none('v'))}) { return -2; }
  if (${wT(B.under('v', `${edges}[0]`))}) { return -1; }
  if (${wT(B.over('v', `${edges}[nb]`))}) { return nb; }
  let lo = ${edges}[0];
  let scale = f32(nb) / (${edges}[nb] - lo);
  var b = clamp(i32(${w(B.guess('v', 'lo', 'scale'))}), 0, nb - 1);
  loop { if (b > 0 && ${wT(B.down('v', `${edges}[b]`))}) { b -= 1; } else { break; } }
  loop { if (${wT(B.up('v', `${edges}[b + 1]`, cmp('<', 'b + 1', 'nb')))}) { b += 1; } else { break; } }
  return b;
}`;
}

const sql = (x: Formula) => printFormula(x, 'sql');
const sqlT = (x: Test) => printTest(x, 'sql');

/**
 * The SQL macros (bodies after `AS`) of the `hepq` schema: `hist_edge(k, lo, hi, bins)`, `hist_raw` (the
 * clamped guess), `hist_index(x, lo, hi, bins)` for a regular axis and `hist_index_edges(x, edges)` for a
 * list of increasing edges (NULL for NULL or NaN).
 */
export function binMacrosSql(schema: string): Record<string, string> {
  const raw = `${schema}.hist_raw(x, lo, hi, bins)`;
  const edge = (k: string) => `${schema}.hist_edge(${k}, lo, hi, bins)`;
  return {
    'hist_edge(k, lo, hi, bins)': `CASE WHEN ${sqlT(cmp('>=', 'k', 'bins'))} THEN hi ELSE ${sql(B.regularEdge('k', 'lo', 'hi', 'bins'))} END`,
    'hist_raw(x, lo, hi, bins)': `${sql({ k: 'fn', fn: 'min', args: [code('bins - 1'), B.guess('x', 'lo', bin('/', 'bins', bin('-', 'hi', 'lo')))] })}::BIGINT`,
    'hist_index(x, lo, hi, bins)': `CASE
     WHEN ${sqlT(B.none('x'))} THEN NULL
     WHEN ${sqlT(B.under('x', 'lo'))} THEN -1
     WHEN ${sqlT(B.over('x', 'hi'))} THEN bins
     WHEN ${sqlT(B.down('x', edge(raw)))} THEN ${raw} - 1
     WHEN ${sqlT(B.up('x', edge(`${raw} + 1`), cmp('<', `${raw} + 1`, 'bins')))} THEN ${raw} + 1
     ELSE ${raw} END`,
    'hist_index_edges(x, edges)': `CASE
     WHEN ${sqlT(B.none('x'))} THEN NULL
     WHEN ${sqlT(B.under('x', 'edges[1]'))} THEN -1
     WHEN ${sqlT(B.over('x', 'edges[len(edges)]'))} THEN len(edges) - 1
     ELSE len(list_filter(edges, lambda e: e <= x)) - 1 END`,
  };
}
