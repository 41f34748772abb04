/**
 * The JS loop backend's operator table: one emitter for every func_adl operator of planner/ir/ops (the
 * `OpTable` type makes a missing operator a compile error). Most emitters get their source already compiled
 * as a collection; Zip, ToFourMomentum and Range take theirs as it is (a record, a pair of bounds).
 */
import { isUnsupported, type OpTable, typeOf } from '../../planner/ir/index.js';
import { asColl, chooseK, commonFields, intArg, type OpExpr, selectEach, sumP4 } from './collection-ops.js';
import type { ExprCompiler, Scope } from './compile-expr.js';
import type { Emitter } from './emitter.js';
import { indexLoop, materialise, zipRecord } from './hold.js';
import { toP4 } from './p4.js';
import { orderedPick, pick } from './pick-ops.js';
import { boundScalarType, type CollValue, choose, scalar, scalarTypeOf, type Value } from './values.js';

/** What an emitter over a collection sees: the compiler, the operator, its compiled source, its lambda. */
interface OpInput {
  readonly c: ExprCompiler;
  readonly e: OpExpr;
  readonly scope: Scope;
  readonly em: Emitter;
  readonly src: CollValue;
  /** The first argument (a lambda) applied to an element. */
  readonly lam: (el: Value) => Value;
}
type JsOp =
  | { readonly coll: (x: OpInput) => Value }
  | { readonly raw: (c: ExprCompiler, e: OpExpr, scope: Scope) => Value };

const where = ({ c, e, src, lam }: OpInput): Value => ({
  k: 'coll',
  loop: (em2, body) =>
    src.loop(em2, (el) => {
      const p = c.num(lam(el), e.args[0]!);
      em2.block(`if (${p})`, () => body(el));
    }),
});

const concat = ({ c, e, scope, em, src: srcAll }: OpInput): Value => {
  const [src, other] = commonFields(
    c,
    srcAll,
    asColl(c, c.compile(e.args[0]!, scope), e.args[0]!, 'Concat'),
    typeOf(e),
  );
  const loop: CollValue['loop'] = (em2, body) => {
    src.loop(em2, body);
    other.loop(em2, body);
  };
  if (src.len && src.at && other.len && other.at) {
    const la = em.bind(src.len(em), 'n');
    const lb = em.bind(other.len(em), 'n');
    const at = (em2: Emitter, q: string) => {
      const a = src.at!(em2, q);
      const b = other.at!(em2, `(${q} - ${la})`);
      return (
        choose(`(${q} < ${la})`, a, b) ?? c.fail('Concat of collections whose elements differ in shape', e)
      );
    };
    return { k: 'coll', loop, len: () => `(${la} + ${lb})`, at };
  }
  return { k: 'coll', loop };
};

const count = ({ e, em, src }: OpInput): Value => {
  const t = boundScalarType(e);
  if (src.len) return scalar(em.bind(src.len(em), 'n'), t);
  const n = em.fresh('n');
  em.line(`let ${n} = 0;`);
  src.loop(em, () => em.line(`${n}++;`));
  return scalar(n, t);
};

const sum = ({ c, e, em, src }: OpInput): Value => {
  if (typeOf(e).kind === 'p4') return sumP4(src, em);
  const s = em.fresh('s');
  em.line(`let ${s} = 0;`);
  src.loop(em, (el) => em.line(`${s} += ${c.num(el, e)};`));
  return scalar(s, boundScalarType(e));
};

const extremum = ({ c, e, em, src }: OpInput): Value => {
  const m = em.fresh('m');
  const cmp = e.op === 'Min' ? '<' : '>';
  em.line(`let ${m} = NaN;`);
  src.loop(em, (el) => {
    const x = em.bind(c.num(el, e), 'x');
    em.line(`if (!(${x} ${cmp === '<' ? '>=' : '<='} ${m})) ${m} = ${x};`);
  });
  // Empty collections give None (NaN here); integer results are held as floats so NaN fits.
  return scalar(m, boundScalarType(e) === 'float32' ? 'float32' : 'float64');
};

const quantifier = ({ c, e, em, src, lam }: OpInput): Value => {
  const r = em.fresh('b');
  const exit = em.fresh('L');
  const any = e.op === 'Any';
  em.line(`let ${r} = ${any ? 'false' : 'true'};`);
  em.block(`${exit}:`, () =>
    src.loop(em, (el) => {
      const p = c.num(lam(el), e.args[0]!);
      em.block(`if (${any ? '' : '!'}(${p}))`, () => {
        em.line(`${r} = ${any ? 'true' : 'false'};`);
        em.line(`break ${exit};`);
      });
    }),
  );
  return scalar(r, boundScalarType(e));
};

const slice = ({ c, e, scope, em, src }: OpInput): Value => {
  const n = intArg(c, e, scope);
  if (src.len && src.at) {
    const len = em.bind(src.len(em), 'n');
    const take = e.op === 'Take';
    const newLen = em.bind(
      take ? `Math.min(${len}, Math.max(0, ${n}))` : `Math.max(0, ${len} - Math.max(0, ${n}))`,
      'n',
    );
    const at = (em2: Emitter, q: string) => src.at!(em2, take ? q : `(${q} + Math.max(0, ${n}))`);
    return { k: 'coll', cheap: src.cheap === true, len: () => newLen, at, loop: indexLoop(newLen, at) };
  }
  return {
    k: 'coll',
    loop: (em2, body) => {
      const cnt = em2.fresh('i');
      const exit = em2.fresh('L');
      em2.line(`let ${cnt} = 0;`);
      em2.block(`${exit}:`, () =>
        src.loop(em2, (el) => {
          if (e.op === 'Take') {
            em2.line(`if (${cnt} >= ${n}) break ${exit};`);
            em2.line(`${cnt}++;`);
            body(el);
          } else em2.block(`if (${cnt}++ >= ${n})`, () => body(el));
        }),
      );
    },
  };
};

const orderBy = ({ c, e, em, src, lam }: OpInput): Value => {
  const m = materialise(c, src, e, true);
  const len = em.bind(m.len(em), 'n');
  const keys = em.fresh('K');
  const perm = em.fresh('P');
  em.prologue.push(`let ${keys} = new Float64Array(16);`, `let ${perm} = new Int32Array(16);`);
  em.block(`if (${len} > ${keys}.length)`, () => {
    em.line(`${keys} = H.grow(${keys}, ${len});`);
    em.line(`${perm} = H.grow(${perm}, ${len});`);
  });
  const q = em.fresh('q');
  em.block(`for (let ${q} = 0; ${q} < ${len}; ${q}++)`, () => {
    em.line(`${keys}[${q}] = ${c.num(lam(m.at(em, q)), e.args[0]!)};`);
  });
  em.line(`H.argsort(${keys}, ${perm}, ${len}, ${e.op === 'OrderByDescending'});`);
  const at = (em2: Emitter, i: string) => m.at(em2, em2.bind(`${perm}[${i}]`, 'o'));
  return { k: 'coll', cheap: true, len: () => len, at, loop: indexLoop(len, at) };
};

const range = (c: ExprCompiler, e: OpExpr, scope: Scope): Value => {
  const em = c.em;
  const src = c.compile(e.source, scope);
  const bounds = src.k === 'record' ? src.values.map((v) => c.num(v, e)) : [];
  const [lo, hi] = bounds.length >= 2 ? [bounds[0]!, bounds[1]!] : ['0', bounds[0] ?? '0'];
  const start = em.bind(lo, 'r');
  const len = em.bind(`Math.max(0, ${hi} - ${start})`, 'n');
  // The integers' type is the bound one (the analyzer's Python ints).
  const item = typeOf(e);
  const type = scalarTypeOf(item.kind === 'collection' ? item.item : item);
  const at = (_em: Emitter, q: string) => scalar(`(${start} + ${q})`, type);
  return { k: 'coll', cheap: true, len: () => len, at, loop: indexLoop(len, at) };
};

/** `xs.Aggregate(seed, lambda acc, x: …)`: a running accumulator, a float when the seed or a step is one (the bound type). */
const aggregate = ({ c, e, scope, em, src }: OpInput): Value => {
  const seedArg = e.args[0]!;
  const step = e.args[1]!;
  const init = c.num(c.compile(seedArg, scope), seedArg);
  const t = boundScalarType(e);
  const acc = em.fresh('acc');
  em.line(`let ${acc} = ${init};`);
  src.loop(em, (el) => em.line(`${acc} = ${c.num(c.apply(step, [scalar(acc, t), el], scope), step)};`));
  return scalar(acc, t);
};

const pickOne = ({ c, e, scope, src }: OpInput): Value => pick(c, src, e, scope);

export const JS_OPS: OpTable<JsOp> = {
  Select: { coll: ({ c, src, lam }) => selectEach(c, src, lam) },
  ToFourMomenta: { coll: ({ c, src }) => selectEach(c, src, (el, em2) => toP4(el, em2)) },
  Where: { coll: where },
  SelectMany: {
    coll: ({ c, e, src, lam }) => ({
      k: 'coll',
      loop: (em2, body) =>
        src.loop(em2, (el) => asColl(c, lam(el), e.args[0]!, 'SelectMany').loop(em2, body)),
    }),
  },
  Concat: { coll: concat },
  Count: { coll: count },
  Sum: { coll: sum },
  Min: { coll: extremum },
  Max: { coll: extremum },
  Any: { coll: quantifier },
  All: { coll: quantifier },
  First: { coll: pickOne },
  FirstOrDefault: { coll: pickOne },
  Last: { coll: pickOne },
  ElementAt: { coll: pickOne },
  Take: { coll: slice },
  Skip: { coll: slice },
  OrderBy: { coll: orderBy },
  OrderByDescending: { coll: orderBy },
  Choose: { coll: ({ c, e, src }) => chooseK(c, materialise(c, src, e, true), e) },
  Zip: { raw: (c, e, scope) => zipRecord(c, c.compile(e.source, scope), e) },
  ToFourMomentum: { raw: (c, e, scope) => c.fourMomentum(c.compile(e.source, scope), e) },
  Range: { raw: range },
  Aggregate: { coll: aggregate },
};

/** Compiles one operator application through `JS_OPS`. */
export function compileOp(c: ExprCompiler, e: OpExpr, scope: Scope): Value {
  const impl = JS_OPS[e.op];
  if (isUnsupported(impl))
    return c.fail(`${e.op} is not supported by the JS backend: ${impl.unsupported}`, e);
  if ('raw' in impl) return impl.raw(c, e, scope);
  // First/Last of an ordering is an argmin/argmax scan: no sort, no buffers.
  if ((e.op === 'First' || e.op === 'Last') && e.source.kind === 'op' && e.source.op.startsWith('OrderBy'))
    return orderedPick(c, e.source, e.op, scope);
  const src = asColl(c, c.compile(e.source, scope), e.source, e.op);
  return impl.coll({ c, e, scope, em: c.em, src, lam: (el) => c.apply(e.args[0]!, [el], scope) });
}
