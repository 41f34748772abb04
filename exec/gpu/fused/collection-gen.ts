/** Per-event collection operators in WGSL: reductions, quantifiers, Zip, OrderBy(...).First()/Last(), tuple operators. */
import { type Expr, type LambdaExpr, typeOf } from '../../../planner/ir/index.js';
import { asNum, compileExpr } from './expr-gen.js';
import { bindOne, type Gen } from './gen.js';
import { cart, p4Val } from './p4.js';
import {
  boundNumType,
  type CollVal,
  cast,
  type Env,
  type NumType,
  type NumVal,
  num,
  type RecVal,
  unsupported,
  type Val,
} from './values.js';

const retype = (v: NumVal, t: NumType): NumVal => (v.ty === t ? v : num(cast(v, t), t));

/** Count, Sum, Min or Max of a collection; `e` is the bound expression it computes (Sum's type is its type). */
export function reduce(g: Gen, op: string, c: CollVal, e: Expr): NumVal {
  if (op === 'Count') {
    // Counted in i32, as the bound type (a Python int) is in the kernel.
    const t = boundNumType(e);
    if (!c.steps.length && !c.choose) return retype(num(`(${c.bounds.end} - ${c.bounds.start})`, 'i32'), t);
    const n = g.fresh('n');
    g.line(`var ${n} = 0i;`);
    g.loop(c, () => g.line(`${n} += 1i;`));
    return retype(num(n, 'i32'), t);
  }
  if (op === 'Sum') {
    const s = g.fresh('sum');
    // A sum of four-vectors (a record in the kernel) is not fused.
    if (typeOf(e).kind !== 'scalar') unsupported('Sum of a record');
    const ty = boundNumType(e);
    g.line(`var ${s} = ${ty === 'f32' ? '0.0' : '0i'};`);
    g.loop(c, (el) => g.line(`${s} += ${cast(asNum(el, 'Sum'), ty)};`));
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

export function quantifier(g: Gen, op: 'Any' | 'All', c: CollVal, l: LambdaExpr, env: Env): NumVal {
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

/** `Zip({'a': xs, 'b': ys})`: one collection of records over the first member's index range. */
export function zip(g: Gen, d: RecVal): CollVal {
  const members = d.keys!.map((k) => [k, d.field(k)] as const);
  const colls = members.map(([k, v]) => {
    if (v?.k !== 'coll' || v.choose || v.steps.some((s) => s.kind !== 'map'))
      unsupported(`Zip member ${k} that is not a plain collection`);
    return v as CollVal;
  });
  return {
    k: 'coll',
    bounds: colls[0]!.bounds,
    steps: [],
    element: (j) => {
      const items = new Map(members.map(([k], i) => [k, g.elementAt(colls[i]!, [j])] as const));
      return { k: 'rec', what: 'a zipped record', keys: d.keys, field: (f) => items.get(f) };
    },
  };
}

/**
 * `OrderBy(key).First()` / `.Last()` (or plain `First()` / `Last()`): an argmin (argmax) scan keeping the indices
 * of the best element, which is rebuilt after the loop; ties go as in a stable sort (First keeps the earliest,
 * Last the latest). An empty collection gives None, as on the CPU: every number of the element is NaN (integers
 * widen to float, as the CPU's do), so no histogram bin counts it and comparisons with it are false.
 */
export function orderedPick(
  g: Gen,
  c: CollVal,
  key: LambdaExpr | undefined,
  env: Env,
  order: { readonly descending: boolean; readonly last: boolean },
): Val {
  const k = Math.max(c.choose ?? 1, 1);
  const best = g.fresh('best');
  const found = g.fresh('found');
  const at = Array.from({ length: k }, () => g.fresh('at'));
  g.line(`var ${best} = 0.0;`);
  g.line(`var ${found} = false;`);
  // An empty collection reads its (unused) element at its own start: no index past the event's range.
  const start = g.bind(c.bounds.start, 'fs');
  for (const a of at) g.line(`var ${a} = ${start};`);
  // As the CPU's scan: ascending First strict <, ascending Last >=, descending First strict >, descending Last <=.
  const cmp = order.last ? (order.descending ? '<=' : '>=') : order.descending ? '>' : '<';
  g.loop(c, (el, idx) => {
    const set = [...at.map((a, i) => `${a} = ${idx[i]};`), `${found} = true;`];
    if (!key) {
      g.line(order.last ? set.join(' ') : `if (!${found}) { ${set.join(' ')} }`);
      return;
    }
    const v = cast(asNum(compileExpr(g, key.body, bindOne(key, el, env)), 'OrderBy'), 'f32');
    // As the CPU: a NaN key loses to any number that follows it.
    const better = `${v} ${cmp} ${best} || (${best} != ${best} && ${v} == ${v})`;
    g.line(`if (!${found} || ${better}) { ${best} = ${v}; ${set.join(' ')} }`);
  });
  return noneUnless(g, g.elementAt(c, at), found);
}

/** `v` where `found` holds, None (NaN numbers) elsewhere; records and four-vectors field by field. */
function noneUnless(g: Gen, v: Val, found: string): Val {
  const nan = (code: string) => g.bind(`select(nan_f32(), ${code}, ${found})`, 'nf');
  switch (v.k) {
    case 'num':
      // None is no boolean: the CPU's NaN is false in a condition, a float's NaN would be true here.
      if (v.ty === 'bool') return unsupported('First() of booleans (None is not a boolean on the device)');
      return num(nan(cast(v, 'f32')), 'f32');
    case 'rec': {
      if (v.p4) {
        const { polar: p, cart: c } = v.p4;
        return p4Val(g, {
          ...(p ? { polar: { pt: nan(p.pt), eta: nan(p.eta), phi: nan(p.phi), m: nan(p.m) } } : {}),
          ...(c ? { cart: { px: nan(c.px), py: nan(c.py), pz: nan(c.pz), e: nan(c.e) } } : {}),
        });
      }
      const items = v.items?.map((x) => noneUnless(g, x, found));
      return {
        ...v,
        ...(items ? { items } : {}),
        field: (f) => {
          const x = v.field(f);
          return x && noneUnless(g, x, found);
        },
      };
    }
    case 'coll':
      return unsupported('First() of a collection of collections');
  }
}

export function lambdaArg(args: readonly Expr[], op: string): LambdaExpr {
  const l = args[0];
  if (l?.kind !== 'lambda') unsupported(`${op} without a lambda`);
  return l;
}

/**
 * `a.Concat(b)`: one index range over both parts' elements of the event; element j reads each part at its
 * clamped index and selects the part j falls in (records meet in their shared fields, as on the CPU).
 */
export function concat(g: Gen, parts: readonly CollVal[]): CollVal {
  if (parts.some((p) => p.choose || p.steps.some((s) => s.kind === 'where')))
    unsupported('Concat of filtered collections or combinations');
  const starts = parts.map((p) => g.bind(p.bounds.start, 'cs'));
  const counts = parts.map((p, i) => g.bind(`(${p.bounds.end} - ${starts[i]})`, 'cn'));
  const bases: string[] = [];
  let total = '0i';
  for (const n of counts) {
    bases.push(total);
    total = g.bind(`${total} + ${n}`, 'cb');
  }
  return {
    k: 'coll',
    bounds: { start: '0i', end: total },
    steps: [],
    element: (j) => {
      const conds = parts.map((_, i) => `(${j} >= ${bases[i]} && ${j} < ${bases[i]} + ${counts[i]})`);
      const vals = parts.map((p, i) =>
        g.elementAt(p, [
          g.bind(`${starts[i]} + clamp(${j} - ${bases[i]}, 0i, max(${counts[i]} - 1i, 0i))`, 'ci'),
        ]),
      );
      return merge(g, vals, conds);
    },
  };
}

/** The value of the part whose condition holds (the last part otherwise), field by field. */
function merge(g: Gen, vals: readonly Val[], conds: readonly string[]): Val {
  if (vals.every((v) => v.k === 'num')) {
    const ns = vals as readonly NumVal[];
    const t = ns.every((v) => v.ty === 'bool') ? 'bool' : ns.some((v) => v.ty === 'f32') ? 'f32' : 'i32';
    let code = cast(ns[ns.length - 1]!, t);
    for (let i = ns.length - 2; i >= 0; i--) code = `select(${code}, ${cast(ns[i]!, t)}, ${conds[i]})`;
    return num(code, t);
  }
  if (vals.every((v) => v.k === 'rec' && v.p4)) {
    const cs = vals.map((v) => cart(g, (v as RecVal).p4!));
    const comp = (k: 'px' | 'py' | 'pz' | 'e') => {
      const m = merge(
        g,
        cs.map((c) => num(c[k], 'f32')),
        conds,
      ) as NumVal;
      return g.bind(m.code, k);
    };
    return p4Val(g, { cart: { px: comp('px'), py: comp('py'), pz: comp('pz'), e: comp('e') } });
  }
  if (vals.every((v) => v.k === 'rec' && !v.p4 && !v.items)) {
    const recs = vals as readonly RecVal[];
    const keys = recs[0]!.keys?.filter((k) => recs.every((r) => !r.keys || r.keys.includes(k)));
    return {
      k: 'rec',
      what: 'a concatenated record',
      ...(keys ? { keys } : {}),
      field: (f) => {
        const fs = recs.map((r) => r.field(f));
        return fs.every((x) => x !== undefined) ? merge(g, fs as Val[], conds) : undefined;
      },
    };
  }
  return unsupported('Concat of values of different kinds');
}
