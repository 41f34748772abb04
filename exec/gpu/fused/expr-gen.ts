/** WGSL generation of func_adl expressions: arithmetic, exact comparisons with literals, records, four-vectors. */
import type { CompareOp, Expr } from '../../../planner/ir/index.js';
import { above32, up32 } from '../binning.js';
import { reduce, zip } from './collection-gen.js';
import type { Gen } from './gen.js';
import { compileOp } from './op-table.js';
import { p4Add, p4Method, p4Val, toP4 } from './p4.js';
import { boundNumType, cast, type Env, f32Lit, type NumVal, num, unsupported, type Val } from './values.js';

const F1: Record<string, string> = {
  abs: 'abs',
  fabs: 'abs',
  sqrt: 'sqrt',
  exp: 'exp',
  log: 'log',
  log2: 'log2',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  arcsin: 'asin',
  asin: 'asin',
  arccos: 'acos',
  acos: 'acos',
  arctan: 'atan',
  atan: 'atan',
  sinh: 'sinh',
  cosh: 'cosh',
  tanh: 'tanh',
  floor: 'floor',
  ceil: 'ceil',
  float: '',
};

export function asNum(v: Val, what: string): NumVal {
  if (v.k !== 'num') unsupported(`${what} of a ${v.k === 'coll' ? 'collection' : 'record'}`);
  return v;
}

/**
 * The type two numbers meet in for a comparison or a two-argument min/max: f32 when either is, else i32. Not the
 * analyzer's common type on purpose: the kernel reads a uint32 column as i32, and the analyzer's choice of a
 * uint32 and an int is a wide int (it may not fit 32 bits), which the kernel holds as f32 — exact only to 2^24.
 */
function join(a: NumVal, b: NumVal): 'f32' | 'i32' {
  return a.ty === 'f32' || b.ty === 'f32' ? 'f32' : 'i32';
}

const FLIP: Record<CompareOp, CompareOp> = {
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
  '==': '==',
  '!=': '!=',
};

/**
 * A comparison exact against float64 semantics where one side is a literal: float32 data is compared with the
 * float32 threshold that splits it as the float64 literal does; integers with the rounded bound.
 */
function compare(op: CompareOp, a: NumVal, b: NumVal): NumVal {
  if (a.lit !== undefined && b.lit === undefined) return compare(FLIP[op], b, a);
  if (b.lit !== undefined && a.ty !== 'bool') {
    const c = b.lit;
    if (a.ty === 'f32') {
      const exact = Math.fround(c) === c;
      switch (op) {
        case '>':
          return num(`(${a.code} >= ${f32Lit(above32(c))})`, 'bool');
        case '>=':
          return num(`(${a.code} >= ${f32Lit(up32(c))})`, 'bool');
        case '<':
          return num(`(${a.code} < ${f32Lit(up32(c))})`, 'bool');
        case '<=':
          return num(`(${a.code} < ${f32Lit(above32(c))})`, 'bool');
        case '==':
          return num(exact ? `(${a.code} == ${f32Lit(c)})` : 'false', 'bool');
        case '!=':
          return num(exact ? `(${a.code} != ${f32Lit(c)})` : 'true', 'bool');
      }
    }
    if (Math.abs(c) < 2 ** 31) {
      const i = (x: number) => `${x}i`;
      switch (op) {
        case '>':
          return num(`(${a.code} > ${i(Math.floor(c))})`, 'bool');
        case '>=':
          return num(`(${a.code} >= ${i(Math.ceil(c))})`, 'bool');
        case '<':
          return num(`(${a.code} < ${i(Math.ceil(c))})`, 'bool');
        case '<=':
          return num(`(${a.code} <= ${i(Math.floor(c))})`, 'bool');
        case '==':
          return num(Number.isInteger(c) ? `(${a.code} == ${i(c)})` : 'false', 'bool');
        case '!=':
          return num(Number.isInteger(c) ? `(${a.code} != ${i(c)})` : 'true', 'bool');
      }
    }
  }
  const t = a.ty === 'bool' && b.ty === 'bool' ? 'bool' : join(a, b);
  return num(`(${cast(a, t)} ${op} ${cast(b, t)})`, 'bool');
}

/** Compiles `e` under `env` to a staged value; statements it needs are emitted into `g` first. */
export function compileExpr(g: Gen, e: Expr, env: Env): Val {
  switch (e.kind) {
    case 'literal':
      // The bound type: `2` is an i32, `2.0` and a wide integer literal (2^31 or more) an f32.
      if (typeof e.value === 'number') {
        const t = boundNumType(e);
        return num(t === 'i32' ? `${e.value}i` : f32Lit(e.value), t, e.value);
      }
      if (typeof e.value === 'boolean') return num(String(e.value), boundNumType(e));
      return unsupported(`the literal ${JSON.stringify(e.value)}`);
    case 'name': {
      const v = env.get(e.name);
      return v ?? unsupported(`the name ${e.name}`);
    }
    case 'attr': {
      const t = compileExpr(g, e.target, env);
      const f = t.k === 'rec' ? t.field(e.name) : undefined;
      return f ?? unsupported(`.${e.name} of ${t.k === 'rec' ? t.what : 'a value'}`);
    }
    case 'method': {
      const t = compileExpr(g, e.target, env);
      if (t.k === 'rec' && t.p4 && e.args.length === 1) {
        const r = p4Method(g, t.p4, e.name, toP4(g, compileExpr(g, e.args[0]!, env)));
        if (r) return r;
      }
      if (t.k === 'rec' && e.args.length === 0) {
        const f = t.field(e.name);
        if (f) return f;
      }
      return unsupported(`the method ${e.name}()`);
    }
    case 'index': {
      const t = compileExpr(g, e.target, env);
      const i = e.index.kind === 'literal' && typeof e.index.value === 'number' ? e.index.value : -1;
      if (t.k === 'rec' && t.items && t.items[i]) return t.items[i]!;
      return unsupported('indexing other than a tuple by a constant');
    }
    case 'unary': {
      const v = asNum(compileExpr(g, e.operand, env), e.op);
      if (e.op === 'not') return num(`(!${cast(v, 'bool')})`, 'bool');
      if (e.op === '+') return v;
      const t = boundNumType(e);
      return num(`(-${cast(v, t)})`, t, v.lit === undefined ? undefined : -v.lit);
    }
    case 'binary': {
      const l = compileExpr(g, e.left, env);
      const r = compileExpr(g, e.right, env);
      if (l.k === 'rec' && r.k === 'rec' && l.p4 && r.p4 && (e.op === '+' || e.op === '-'))
        return p4Val(g, p4Add(g, l.p4, r.p4, e.op));
      const a = asNum(l, e.op);
      const b = asNum(r, e.op);
      // The bound type: i32 for integers (Python's int), f32 for floats (`/` and `**` always give floats).
      const t = boundNumType(e);
      const [x, y] = [cast(a, t), cast(b, t)];
      const [fx, fy] = [cast(a, 'f32'), cast(b, 'f32')];
      // An integer divisor of zero must stop the query (as on the CPU); WGSL would give a value, so only literal
      // non-zero divisors are compiled here.
      if (
        (e.op === '//' || e.op === '%') &&
        t !== 'f32' &&
        !(e.right.kind === 'literal' && e.right.value !== 0)
      )
        unsupported('integer // or % by a computed divisor (a zero must stop the query)');
      switch (e.op) {
        case '+':
        case '-':
        case '*':
          return num(`(${x} ${e.op} ${y})`, t);
        case '/':
          return num(`(${fx} / ${fy})`, 'f32');
        case '//':
          return t === 'f32' ? num(`floor(${fx} / ${fy})`, 'f32') : num(`i32(floor(${fx} / ${fy}))`, 'i32');
        case '%':
          return t === 'f32'
            ? num(`(${fx} - ${fy} * floor(${fx} / ${fy}))`, 'f32')
            : num(`(${x} - ${y} * i32(floor(${fx} / ${fy})))`, 'i32');
        case '**':
          return num(`pow(${fx}, ${fy})`, 'f32');
      }
      return unsupported('this operator');
    }
    case 'compare':
      return compare(
        e.op,
        asNum(compileExpr(g, e.left, env), e.op),
        asNum(compileExpr(g, e.right, env), e.op),
      );
    case 'bool': {
      const parts = e.operands.map((o) => cast(asNum(compileExpr(g, o, env), e.op), 'bool'));
      return num(`(${parts.join(e.op === 'and' ? ' && ' : ' || ')})`, 'bool');
    }
    case 'conditional': {
      const c = cast(asNum(compileExpr(g, e.test, env), 'if'), 'bool');
      const a = asNum(compileExpr(g, e.then, env), 'if');
      const b = asNum(compileExpr(g, e.otherwise, env), 'if');
      const t = boundNumType(e);
      return num(`select(${cast(b, t)}, ${cast(a, t)}, ${c})`, t);
    }
    case 'call': {
      const args = e.args.map((a) => compileExpr(g, a, env));
      if (e.name in F1 && args.length === 1) {
        const v = asNum(args[0]!, e.name);
        if (e.name === 'abs' || e.name === 'fabs')
          return v.ty === 'i32' ? num(`abs(${v.code})`, 'i32') : num(`abs(${cast(v, 'f32')})`, 'f32');
        return num(F1[e.name] ? `${F1[e.name]}(${cast(v, 'f32')})` : cast(v, 'f32'), 'f32');
      }
      if ((e.name === 'atan2' || e.name === 'arctan2') && args.length === 2)
        return num(
          `atan2(${cast(asNum(args[0]!, 'atan2'), 'f32')}, ${cast(asNum(args[1]!, 'atan2'), 'f32')})`,
          'f32',
        );
      if ((e.name === 'pow' || e.name === 'power') && args.length === 2)
        return num(
          `pow(${cast(asNum(args[0]!, 'pow'), 'f32')}, ${cast(asNum(args[1]!, 'pow'), 'f32')})`,
          'f32',
        );
      if (e.name === 'hypot' && args.length === 2) {
        const [a, b] = [cast(asNum(args[0]!, 'hypot'), 'f32'), cast(asNum(args[1]!, 'hypot'), 'f32')];
        return num(`sqrt(${a} * ${a} + ${b} * ${b})`, 'f32');
      }
      if (e.name === 'Zip' && args.length === 1 && args[0]!.k === 'rec' && args[0]!.keys)
        return zip(g, args[0]!);
      if (e.name === 'len' && args[0]?.k === 'coll') return reduce(g, 'Count', args[0], e);
      if (
        (e.name === 'sum' || e.name === 'min' || e.name === 'max') &&
        args.length === 1 &&
        args[0]!.k === 'coll'
      )
        return reduce(g, e.name === 'sum' ? 'Sum' : e.name === 'min' ? 'Min' : 'Max', args[0], e);
      if ((e.name === 'min' || e.name === 'max') && args.length === 2) {
        const [a, b] = [asNum(args[0]!, e.name), asNum(args[1]!, e.name)];
        const t = join(a, b);
        return num(`${e.name}(${cast(a, t)}, ${cast(b, t)})`, t);
      }
      return unsupported(`the function ${e.name}`);
    }
    case 'op':
      return compileOp(g, e, env);
    case 'dict': {
      const vals = new Map(e.keys.map((k, i) => [k, compileExpr(g, e.values[i]!, env)] as const));
      return { k: 'rec', what: 'a dict', keys: e.keys, field: (f) => vals.get(f) };
    }
    case 'tuple': {
      const items = e.items.map((x) => compileExpr(g, x, env));
      return { k: 'rec', what: 'a tuple', items, field: () => undefined };
    }
    case 'lambda':
      return unsupported('a lambda here');
  }
}
