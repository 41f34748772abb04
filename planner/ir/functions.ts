/** The free functions func_adl lambdas may call, with their arities (shared by the analyzer and the executor). */

/** Numeric functions of one or more numbers returning a number. */
export const MATH_FUNCTIONS: Readonly<Record<string, { readonly arity: readonly number[] }>> = {
  abs: { arity: [1] },
  fabs: { arity: [1] },
  sqrt: { arity: [1] },
  exp: { arity: [1] },
  log: { arity: [1] },
  log10: { arity: [1] },
  log2: { arity: [1] },
  sin: { arity: [1] },
  cos: { arity: [1] },
  tan: { arity: [1] },
  arcsin: { arity: [1] },
  arccos: { arity: [1] },
  arctan: { arity: [1] },
  asin: { arity: [1] },
  acos: { arity: [1] },
  atan: { arity: [1] },
  arctan2: { arity: [2] },
  atan2: { arity: [2] },
  sinh: { arity: [1] },
  cosh: { arity: [1] },
  tanh: { arity: [1] },
  arcsinh: { arity: [1] },
  arccosh: { arity: [1] },
  arctanh: { arity: [1] },
  asinh: { arity: [1] },
  acosh: { arity: [1] },
  atanh: { arity: [1] },
  floor: { arity: [1] },
  ceil: { arity: [1] },
  round: { arity: [1] },
  hypot: { arity: [2] },
  power: { arity: [2] },
  pow: { arity: [2] },
  float: { arity: [1] },
  int: { arity: [1] },
  isnan: { arity: [1] },
  isinf: { arity: [1] },
  isfinite: { arity: [1] },
  DeltaPhi: { arity: [2] },
  DeltaR: { arity: [4] },
};

/** Python builtins that reduce a collection (`sum(xs)`) or compare scalars (`min(a, b)`). */
export const BUILTIN_REDUCTIONS = new Set(['sum', 'min', 'max', 'any', 'all']);

/** Four-vector properties readable as `p.pt`, `p.mass`, … (and as methods `p.pt()`). */
export const P4_PROPERTIES = new Set([
  'pt',
  'eta',
  'phi',
  'mass',
  'm',
  'E',
  'e',
  'energy',
  't',
  'px',
  'py',
  'pz',
  'x',
  'y',
  'z',
  'p',
  'rapidity',
  'mt',
  'Et',
]);
/** Four-vector methods taking another four-vector. */
export const P4_METHODS = new Set([
  'deltaR',
  'DeltaR',
  'deltaphi',
  'deltaPhi',
  'DeltaPhi',
  'deltaeta',
  'deltaEta',
]);

export function knownFunctionNames(): string[] {
  return [...Object.keys(MATH_FUNCTIONS), ...BUILTIN_REDUCTIONS, 'len', 'Zip', 'Range'];
}
