/**
 * A small arithmetic formula IR: physics formulas (four-vector components and properties, ΔR, φ wrapping) are
 * written once here and printed per target — JavaScript for the compiled loops (exec/compile/p4.ts), WGSL for
 * the fused kernels (exec/gpu/fused/p4.ts), SQL for DuckDB. Inputs are the targets' own code (bound names),
 * so a formula prints to one expression; the printer keeps the tree's shape (no reassociation: floating-point
 * results stay the same) and adds only the parentheses precedence needs.
 */

export type Fn =
  | 'sqrt'
  | 'cos'
  | 'sin'
  | 'sinh'
  | 'asinh'
  | 'atan2'
  | 'log'
  | 'max'
  | 'min'
  | 'floor'
  | 'hypot';

export type Formula =
  | { readonly k: 'code'; readonly code: string }
  | { readonly k: 'num'; readonly value: number }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/'; readonly a: Formula; readonly b: Formula }
  | { readonly k: 'neg'; readonly a: Formula }
  | { readonly k: 'fn'; readonly fn: Fn; readonly args: readonly Formula[] }
  | { readonly k: 'if'; readonly test: Test; readonly yes: Formula; readonly no: Formula };

export type Test =
  | { readonly k: 'cmp'; readonly op: '<' | '>=' | '=='; readonly a: Formula; readonly b: Formula }
  | { readonly k: 'or'; readonly a: Test; readonly b: Test }
  | { readonly k: 'and'; readonly a: Test; readonly b: Test }
  /** x is NaN (SQL: NULL or NaN). */
  | { readonly k: 'nan'; readonly a: Formula };

export type Target = 'js' | 'wgsl' | 'sql';

/** An input: target code (a bound name, a literal) or a formula. */
type In = Formula | string;
const f = (x: In): Formula => (typeof x === 'string' ? { k: 'code', code: x } : x);
const bin = (op: '+' | '-' | '*' | '/', a: In, b: In): Formula => ({ k: 'bin', op, a: f(a), b: f(b) });
const fn = (name: Fn, ...args: In[]): Formula => ({ k: 'fn', fn: name, args: args.map(f) });
const num = (value: number): Formula => ({ k: 'num', value });
const sq = (x: In): Formula => bin('*', x, x);
const cmp = (op: '<' | '>=' | '==', a: In, b: In): Test => ({ k: 'cmp', op, a: f(a), b: f(b) });
const when = (test: Test, yes: In, no: In): Formula => ({
  k: 'if',
  test,
  yes: f(yes),
  no: f(no),
});
const sum = (...xs: Formula[]): Formula => xs.reduce((a, b) => bin('+', a, b));

const PI = Math.PI;

/** Four-vector formulas (the conventions of func_adl_uproot / vector: mass negative for spacelike vectors). */
export const P4_FORMULAS = {
  px: (pt: In, phi: In) => bin('*', pt, fn('cos', phi)),
  py: (pt: In, phi: In) => bin('*', pt, fn('sin', phi)),
  pz: (pt: In, eta: In) => bin('*', pt, fn('sinh', eta)),
  energy: (px: In, py: In, pz: In, m: In) => fn('sqrt', sum(sq(px), sq(py), sq(pz), sq(m))),
  // not Math.hypot in JS: its overflow-safe builtin costs ~7× a square root, and a momentum's squares cannot overflow
  pt: (px: In, py: In) => fn('sqrt', sum(sq(px), sq(py))),
  phi: (px: In, py: In) => fn('atan2', py, px),
  /** η = asinh(pz / pt); 0 when pz is 0 (a zero vector, whose pz / pt is 0 / 0). */
  eta: (pz: In, pt: In) => when(cmp('==', pz, num(0)), num(0), fn('asinh', bin('/', pz, pt))),
  m2: (e: In, px: In, py: In, pz: In) => bin('-', bin('-', bin('-', sq(e), sq(px)), sq(py)), sq(pz)),
  /** √m² with the sign of m² (a spacelike vector has a negative mass). */
  mass: (m2: In) =>
    when(cmp('<', m2, num(0)), { k: 'neg', a: fn('sqrt', { k: 'neg', a: f(m2) }) }, fn('sqrt', m2)),
  p: (px: In, py: In, pz: In) => fn('sqrt', sum(sq(px), sq(py), sq(pz))),
  rapidity: (e: In, pz: In) => bin('*', num(0.5), fn('log', bin('/', bin('+', e, pz), bin('-', e, pz)))),
  mt: (e: In, pz: In) => fn('sqrt', fn('max', num(0), bin('-', sq(e), sq(pz)))),
  /** E·pt/|p| (0 for a vector at rest). */
  Et: (e: In, pt: In, p: In) => when(cmp('==', p, num(0)), num(0), bin('/', bin('*', e, pt), p)),
  deltaR: (deta: In, dphi: In) => fn('sqrt', bin('+', sq(deta), sq(dphi))),
  difference: (a: In, b: In) => bin('-', a, b),
  /** A φ difference wrapped into [−π, π): d − 2π·floor((d + π) / 2π) when outside, d itself inside. */
  wrapPhi: (d: In) =>
    when(
      { k: 'or', a: cmp('>=', d, num(PI)), b: cmp('<', d, num(-PI)) },
      bin('-', d, bin('*', num(2 * PI), fn('floor', bin('/', bin('+', d, num(PI)), num(2 * PI))))),
      d,
    ),
} as const;

const PREC = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

function numText(v: number, t: Target): string {
  const s = String(v);
  return t === 'wgsl' && Number.isInteger(v) ? `${s}.0` : s;
}

function fnText(name: Fn, args: readonly string[], t: Target): string {
  if (name === 'hypot' && t !== 'js') return `sqrt(${args[0]} * ${args[0]} + ${args[1]} * ${args[1]})`;
  if (t === 'js') return `Math.${name}(${args.join(', ')})`;
  if (name === 'max' && t === 'sql') return `greatest(${args.join(', ')})`;
  if (name === 'min' && t === 'sql') return `least(${args.join(', ')})`;
  return `${name}(${args.join(', ')})`;
}

function testText(x: Test, t: Target): string {
  if (x.k === 'or') return `${testText(x.a, t)} ${t === 'sql' ? 'OR' : '||'} ${testText(x.b, t)}`;
  // `and` binds tighter than `or` in every target; an `or` inside an `and` gets parentheses
  if (x.k === 'and') {
    const side = (y: Test) => (y.k === 'or' ? `(${testText(y, t)})` : testText(y, t));
    return `${side(x.a)} ${t === 'sql' ? 'AND' : '&&'} ${side(x.b)}`;
  }
  if (x.k === 'nan') {
    const a = print(x.a, t);
    // NaN is the one value unequal to itself (WGSL has no isNan); SQL's NULL is no value either
    return t === 'sql' ? `(${a} IS NULL OR isnan(${a}))` : `${a} ${t === 'js' ? '!==' : '!='} ${a}`;
  }
  const op = x.op === '==' ? { js: '===', wgsl: '==', sql: '=' }[t] : x.op;
  return `${print(x.a, t)} ${op} ${print(x.b, t)}`;
}

/** A test as a boolean expression of the target language. */
export function printTest(x: Test, t: Target): string {
  return testText(x, t);
}

/** The formula as an expression of the target language. */
export function printFormula(x: Formula, t: Target): string {
  return print(x, t);
}

function print(x: Formula, t: Target, parent = 0, right = false): string {
  switch (x.k) {
    case 'code':
      return x.code;
    case 'num':
      return numText(x.value, t);
    case 'neg':
      return `-${print(x.a, t, 3)}`;
    case 'fn':
      return fnText(
        x.fn,
        x.args.map((a) => print(a, t)),
        t,
      );
    case 'bin': {
      const p = PREC[x.op];
      const s = `${print(x.a, t, p)} ${x.op} ${print(x.b, t, p, true)}`;
      return p < parent || (right && p === parent) ? `(${s})` : s;
    }
    case 'if': {
      const [c, a, b] = [testText(x.test, t), print(x.yes, t), print(x.no, t)];
      if (t === 'js') return `(${c} ? ${a} : ${b})`;
      if (t === 'wgsl') return `select(${b}, ${a}, ${c})`;
      return `CASE WHEN ${c} THEN ${a} ELSE ${b} END`;
    }
  }
}
