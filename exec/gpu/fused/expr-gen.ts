/** WGSL generation of func_adl expressions: arithmetic, exact comparisons with literals, per-event collection loops. */

import type { CompareOp, Expr, LambdaExpr } from '../../../planner/ir/index.js';
import { HepqError, type Schema } from '../../batch/index.js';
import { above32, up32 } from '../binning.js';
import type { Slot, SlotType } from './columns.js';
import { p4Add, p4Method, p4Val, toP4 } from './p4.js';
import {
  type CollVal,
  cast,
  type Env,
  f32Lit,
  type NumType,
  type NumVal,
  num,
  type RecVal,
  type Val,
} from './values.js';

function unsupported(what: string): never {
  throw new HepqError('gpu-unsupported', what);
}

/** The statement buffer and column slots of one kernel being generated. */
export class Gen {
  private readonly lines: string[] = [];
  private depth = 1;
  private n = 0;
  private readonly bySlot = new Map<string, Slot>();

  constructor(readonly schema: Schema) {}

  fresh(prefix: string): string {
    return `${prefix}${this.n++}`;
  }
  line(s: string): number {
    this.lines.push(`${'  '.repeat(this.depth)}${s}`);
    return this.lines.length - 1;
  }
  /** `let name = code;` in the current scope; returns the name. */
  bind(code: string, prefix: string): string {
    if (/^[A-Za-z_][A-Za-z0-9_]*$|^-?[0-9.]+$/.test(code)) return code;
    const n = this.fresh(prefix);
    this.line(`let ${n} = ${code};`);
    return n;
  }
  /** Set when a kernel can raise a runtime error (First of an empty collection): the flag binding is declared. */
  usesErrorFlag = false;
  replace(at: number, s: string): void {
    this.lines[at] = `${this.lines[at]!.match(/^ */)![0]}${s}`;
  }
  block(head: string, f: () => void): void {
    this.line(`${head} {`);
    this.depth++;
    f();
    this.depth--;
    this.line('}');
  }
  body(): string {
    return this.lines.join('\n');
  }

  /** The kernel variable of a column slot (bound once however often it is read). */
  slot(ref: { column: string; field?: string; role?: 'values' | 'offsets'; type: SlotType }): string {
    const role = ref.role ?? 'values';
    const key = `${role}:${ref.column}${ref.field !== undefined ? `.${ref.field}` : ''}`;
    let s = this.bySlot.get(key);
    if (!s) {
      s = {
        key,
        column: ref.column,
        ...(ref.field !== undefined ? { field: ref.field } : {}),
        role,
        type: ref.type,
        name: `c${this.bySlot.size}`,
      };
      this.bySlot.set(key, s);
    }
    return s.name;
  }
  slots(): Slot[] {
    return [...this.bySlot.values()];
  }
  private read(ref: { column: string; field?: string }, ty: NumType, index: string): NumVal {
    const v = this.slot({ ...ref, type: ty === 'bool' ? 'i32' : ty });
    return ty === 'bool' ? num(`(${v}[${index}] != 0)`, 'bool') : num(`${v}[${index}]`, ty);
  }
  scalarSlot(ref: { column: string; field?: string }, ty: NumType): NumVal {
    return this.read(ref, ty, 'ev');
  }
  elementSlot(ref: { column: string; field?: string }, ty: NumType, j: string): NumVal {
    return this.read(ref, ty, j);
  }
  collection(offsets: string, element: (j: string) => Val): CollVal {
    return { k: 'coll', offsets, element, steps: [] };
  }

  /** The element of `c` at index variables `idx` after its Select/map steps (Where steps not applied). */
  elementAt(c: CollVal, idx: readonly string[]): Val {
    const k = c.choose ?? 0;
    let el: Val = k
      ? { k: 'rec', what: `a ${k}-combination`, items: idx.map((x) => c.element(x)), field: () => undefined }
      : c.element(idx[0]!);
    for (const st of c.steps) {
      if (st.kind === 'map') el = st.f(el);
      else if (st.kind === 'select') el = compileExpr(this, st.lambda.body, bindOne(st.lambda, el, st.env));
    }
    return el;
  }

  /** Emits the loop over the current event's elements of `c` (after its Where/Select steps) around `body`. */
  loop(c: CollVal, body: (el: Val, idx: readonly string[]) => void): void {
    const s = this.fresh('s');
    const e = this.fresh('e');
    this.line(`let ${s} = ${c.offsets}[ev];`);
    this.line(`let ${e} = ${c.offsets}[ev + 1u];`);
    const k = c.choose ?? 0;
    const idx: string[] = [];
    const nest = (level: number): void => {
      const j = this.fresh('j');
      const from = level === 0 ? s : `${idx[level - 1]} + 1`;
      idx.push(j);
      this.block(`for (var ${j} = ${from}; ${j} < ${e}; ${j}++)`, () => {
        if (level + 1 < Math.max(k, 1)) return nest(level + 1);
        let el: Val = k
          ? {
              k: 'rec',
              what: `a ${k}-combination`,
              items: idx.map((x) => c.element(x)),
              field: () => undefined,
            }
          : c.element(j);
        for (const st of c.steps) {
          if (st.kind === 'map') {
            el = st.f(el);
            continue;
          }
          const v = compileExpr(this, st.lambda.body, bindOne(st.lambda, el, st.env));
          if (st.kind === 'select') el = v;
          else {
            if (v.k !== 'num') unsupported('a Where predicate that is not a boolean');
            this.line(`if (!${cast(v, 'bool')}) { continue; }`);
          }
        }
        body(el, [...idx]);
      });
    };
    nest(0);
  }
}

function bindOne(l: LambdaExpr, v: Val, env: Env): Env {
  if (l.params.length !== 1) unsupported(`a lambda of ${l.params.length} parameters here`);
  return new Map(env).set(l.params[0]!, v);
}

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

function asNum(v: Val, what: string): NumVal {
  if (v.k !== 'num') unsupported(`${what} of a ${v.k === 'coll' ? 'collection' : 'record'}`);
  return v;
}

/** Numeric join type: f32 when either side is f32, else i32. */
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

function reduce(g: Gen, op: string, c: CollVal): NumVal {
  if (op === 'Count') {
    if (!c.steps.length && !c.choose) return num(`(${c.offsets}[ev + 1u] - ${c.offsets}[ev])`, 'i32');
    const n = g.fresh('n');
    g.line(`var ${n} = 0i;`);
    g.loop(c, () => g.line(`${n} += 1i;`));
    return num(n, 'i32');
  }
  if (op === 'Sum') {
    const s = g.fresh('sum');
    const at = g.line('');
    let ty = 'i32' as 'f32' | 'i32';
    g.loop(c, (el) => {
      const v = asNum(el, 'Sum');
      ty = v.ty === 'f32' ? 'f32' : 'i32';
      g.line(`${s} += ${cast(v, ty)};`);
    });
    g.replace(at, `var ${s} = ${ty === 'f32' ? '0.0' : '0i'};`);
    return num(s, ty);
  }
  if (op === 'Min' || op === 'Max') {
    // func_adl gives None (NaN) for an empty collection; results are floats like the CPU's.
    const m = g.fresh('m');
    const found = g.fresh('found');
    g.line(`var ${m} = 0.0;`);
    g.line(`var ${found} = false;`);
    g.loop(c, (el) => {
      const x = cast(asNum(el, op), 'f32');
      g.line(`if (!${found} || ${x} ${op === 'Min' ? '<' : '>'} ${m}) { ${m} = ${x}; ${found} = true; }`);
    });
    return num(`select(nan_f32(), ${m}, ${found})`, 'f32');
  }
  return unsupported(`${op} here`);
}

function quantifier(g: Gen, op: 'Any' | 'All', c: CollVal, l: LambdaExpr, env: Env): NumVal {
  const r = g.fresh('q');
  g.line(`var ${r} = ${op === 'Any' ? 'false' : 'true'};`);
  g.loop(c, (el) => {
    const p = asNum(compileExpr(g, l.body, bindOne(l, el, env)), op);
    g.line(
      op === 'Any'
        ? `if (${cast(p, 'bool')}) { ${r} = true; }`
        : `if (!${cast(p, 'bool')}) { ${r} = false; }`,
    );
  });
  return num(r, 'bool');
}

/** `Zip({'a': xs, 'b': ys})`: one collection of records over the first member's offsets. */
function zip(g: Gen, d: RecVal): CollVal {
  const members = d.keys!.map((k) => [k, d.field(k)] as const);
  const colls = members.map(([k, v]) => {
    if (v?.k !== 'coll' || v.choose || v.steps.some((s) => s.kind !== 'map'))
      unsupported(`Zip member ${k} that is not a plain collection`);
    return v as CollVal;
  });
  return g.collection(colls[0]!.offsets, (j) => {
    const items = new Map(members.map(([k], i) => [k, g.elementAt(colls[i]!, [j])] as const));
    return { k: 'rec', what: 'a zipped record', keys: d.keys, field: (f) => items.get(f) };
  });
}

/**
 * `OrderBy(key).First()` (or plain `First()`): an argmin scan keeping the indices of the best element, which is
 * rebuilt after the loop. An empty collection raises the kernel's error flag, as the CPU raises an error.
 */
function orderedFirst(g: Gen, c: CollVal, key: LambdaExpr | undefined, env: Env, descending: boolean): Val {
  const k = Math.max(c.choose ?? 1, 1);
  const best = g.fresh('best');
  const found = g.fresh('found');
  const at = Array.from({ length: k }, () => g.fresh('at'));
  g.line(`var ${best} = 0.0;`);
  g.line(`var ${found} = false;`);
  for (const a of at) g.line(`var ${a} = 0i;`);
  g.loop(c, (el, idx) => {
    const set = [...at.map((a, i) => `${a} = ${idx[i]};`), `${found} = true;`];
    if (!key) {
      g.line(`if (!${found}) { ${set.join(' ')} }`);
      return;
    }
    const v = cast(asNum(compileExpr(g, key.body, bindOne(key, el, env)), 'OrderBy'), 'f32');
    g.line(`if (!${found} || ${v} ${descending ? '>' : '<'} ${best}) { ${best} = ${v}; ${set.join(' ')} }`);
  });
  g.usesErrorFlag = true;
  g.line(`if (!${found}) { atomicMax(&err_flag[0], 1u); return; }`);
  return g.elementAt(c, at);
}

/** Operators over a tuple's items (`t.Select(lambda j: j.btag).Max()` over a Choose(3) combination), unrolled. */
function tupleOp(g: Gen, op: string, items: readonly Val[], args: readonly Expr[], env: Env): Val {
  switch (op) {
    case 'Select': {
      const l = lambdaArg(args, op);
      const out = items.map((it) => compileExpr(g, l.body, bindOne(l, it, env)));
      return { k: 'rec', what: 'a tuple', items: out, field: () => undefined };
    }
    case 'Count':
      return num(`${items.length}i`, 'i32');
    case 'Sum':
    case 'Max':
    case 'Min': {
      const xs = items.map((it) => asNum(it, op));
      const t = xs.some((x) => x.ty === 'f32') || op !== 'Sum' ? 'f32' : 'i32';
      const codes = xs.map((x) => cast(x, t));
      if (op === 'Sum') return num(`(${codes.join(' + ')})`, t);
      return num(
        codes.reduce((a, b) => `${op === 'Max' ? 'max' : 'min'}(${a}, ${b})`),
        'f32',
      );
    }
    default:
      return unsupported(`${op} of a tuple`);
  }
}

function lambdaArg(args: readonly Expr[], op: string): LambdaExpr {
  const l = args[0];
  if (l?.kind !== 'lambda') unsupported(`${op} without a lambda`);
  return l;
}

/** Compiles `e` under `env` to a staged value; statements it needs are emitted into `g` first. */
export function compileExpr(g: Gen, e: Expr, env: Env): Val {
  switch (e.kind) {
    case 'literal':
      if (typeof e.value === 'number') {
        const isInt = Number.isInteger(e.value) && e.integer !== false && Math.abs(e.value) < 2 ** 31;
        return num(isInt ? `${e.value}i` : f32Lit(e.value), isInt ? 'i32' : 'f32', e.value);
      }
      if (typeof e.value === 'boolean') return num(String(e.value), 'bool');
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
      const t = v.ty === 'bool' ? 'i32' : v.ty;
      return num(`(-${cast(v, t)})`, t, v.lit === undefined ? undefined : -v.lit);
    }
    case 'binary': {
      const l = compileExpr(g, e.left, env);
      const r = compileExpr(g, e.right, env);
      if (l.k === 'rec' && r.k === 'rec' && l.p4 && r.p4 && (e.op === '+' || e.op === '-'))
        return p4Val(g, p4Add(g, l.p4, r.p4, e.op));
      const a = asNum(l, e.op);
      const b = asNum(r, e.op);
      const t = join(a, b);
      const [x, y] = [cast(a, t), cast(b, t)];
      const [fx, fy] = [cast(a, 'f32'), cast(b, 'f32')];
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
      const t = a.ty === 'bool' && b.ty === 'bool' ? 'bool' : join(a, b);
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
      if (e.name === 'len' && args[0]?.k === 'coll') return reduce(g, 'Count', args[0]);
      if (
        (e.name === 'sum' || e.name === 'min' || e.name === 'max') &&
        args.length === 1 &&
        args[0]!.k === 'coll'
      )
        return reduce(g, e.name === 'sum' ? 'Sum' : e.name === 'min' ? 'Min' : 'Max', args[0]);
      if ((e.name === 'min' || e.name === 'max') && args.length === 2) {
        const [a, b] = [asNum(args[0]!, e.name), asNum(args[1]!, e.name)];
        const t = join(a, b);
        return num(`${e.name}(${cast(a, t)}, ${cast(b, t)})`, t);
      }
      return unsupported(`the function ${e.name}`);
    }
    case 'op': {
      if (
        e.op === 'First' &&
        e.source.kind === 'op' &&
        (e.source.op === 'OrderBy' || e.source.op === 'OrderByDescending')
      ) {
        const c = compileExpr(g, e.source.source, env);
        if (c.k !== 'coll') return unsupported(`${e.source.op} of a value that is not a collection`);
        return orderedFirst(
          g,
          c,
          lambdaArg(e.source.args, e.source.op),
          env,
          e.source.op === 'OrderByDescending',
        );
      }
      const src = compileExpr(g, e.source, env);
      if (e.op === 'ToFourMomentum') return p4Val(g, toP4(g, src));
      if (e.op === 'Zip' && src.k === 'rec' && src.keys) return zip(g, src);
      if (src.k === 'rec' && src.items) return tupleOp(g, e.op, src.items, e.args, env);
      if (src.k !== 'coll') return unsupported(`${e.op} of a value that is not a collection`);
      switch (e.op) {
        case 'ToFourMomenta':
          return { ...src, steps: [...src.steps, { kind: 'map', f: (el) => p4Val(g, toP4(g, el)) }] };
        case 'First':
          return orderedFirst(g, src, undefined, env, false);
        case 'Where':
        case 'Select':
          if (src.choose && e.op === 'Select') unsupported('Select over combinations');
          return {
            ...src,
            steps: [
              ...src.steps,
              { kind: e.op === 'Where' ? 'where' : 'select', lambda: lambdaArg(e.args, e.op), env },
            ],
          };
        case 'Choose': {
          const a = e.args[0];
          const k = a?.kind === 'literal' && typeof a.value === 'number' ? a.value : 0;
          if (src.steps.length || src.choose || k < 1 || k > 3)
            unsupported('Choose(k) other than k ≤ 3 of a column collection');
          return { ...src, choose: k };
        }
        case 'Count':
        case 'Sum':
        case 'Min':
        case 'Max':
          if (e.args.length) unsupported(`${e.op} with arguments`);
          return reduce(g, e.op, src);
        case 'Any':
        case 'All':
          return quantifier(g, e.op, src, lambdaArg(e.args, e.op), env);
        default:
          return unsupported(`the ${e.op} operator`);
      }
    }
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
