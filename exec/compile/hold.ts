/** Holding collections: scratch buffers that make a collection indexable, parallel zips, captured elements. */
import type { Expr } from '../../planner/ir/index.js';
import { HepqError } from '../batch/index.js';
import type { ExprCompiler } from './compile-expr.js';
import type { Emitter } from './emitter.js';
import { cartesian } from './p4.js';
import {
  type CollValue,
  choose,
  leafTypes,
  leavesOf,
  onCartesian,
  rebuild,
  type Value,
  withCartesian,
} from './values.js';

/** Loop over an indexable collection by position. */
export function indexLoop(len: string, at: (em: Emitter, q: string) => Value): CollValue['loop'] {
  return (em, body) => {
    const q = em.fresh('q');
    em.block(`for (let ${q} = 0; ${q} < ${len}; ${q}++)`, () => body(at(em, q)));
  };
}

/** Copy a collection's elements into scratch buffers (kept across events) so it can be indexed. */
export function materialise(
  c: ExprCompiler,
  src: CollValue,
  e: Expr,
  requireCheap = false,
): CollValue & Required<Pick<CollValue, 'len' | 'at'>> {
  if (src.len && src.at && (src.cheap || !requireCheap))
    return src as CollValue & Required<Pick<CollValue, 'len' | 'at'>>;
  const em = c.em;
  const n = em.fresh('n');
  em.line(`let ${n} = 0;`);
  let template: Value | undefined;
  let bufs: (string | undefined)[] = [];
  const site = c.nextSite();
  const storeCart = c.cartesianSites.has(site);
  // Leaves nothing reads (learned in an earlier pass) are not stored at all.
  const skip = c.skipLeaves.get(site);
  src.loop(em, (el0) => {
    const el = storeCart ? withCartesian(el0, (p) => cartesian(p, em)) : el0;
    const leaves = leavesOf(el);
    if (!leaves) return c.fail('cannot hold this collection in memory (its elements are collections)', e);
    // A loop may emit its body more than once (Concat): every copy writes the same buffers.
    if (!template) {
      template = el;
      const types = leafTypes(el);
      bufs = leaves.map((_l, i) => {
        if (skip?.has(i)) return undefined;
        const b = em.fresh('S');
        em.prologue.push(`let ${b} = new ${types[i] === 'i' ? 'Int32Array' : 'Float64Array'}(16);`);
        return b;
      });
      c.bufferSites.push({ site, n, bufs });
    } else if (leaves.length !== bufs.length) c.fail('the elements of this collection differ in shape', e);
    const live = bufs.filter((b): b is string => b !== undefined);
    if (live.length)
      em.block(`if (${n} >= ${live[0]}.length)`, () => {
        for (const b of live) em.line(`${b} = H.grow(${b}, ${n});`);
      });
    for (let i = 0; i < leaves.length; i++) if (bufs[i]) em.line(`${bufs[i]}[${n}] = ${leaves[i]};`);
    em.line(`${n}++;`);
  });
  const t = template!;
  const mark = () => c.cartesianSites.add(site);
  const at = (_em: Emitter, q: string) =>
    onCartesian(
      rebuild(
        t,
        bufs.map((b) => (b ? `${b}[${q}]` : 'NaN')),
      ),
      mark,
    );
  return { k: 'coll', cheap: true, len: () => n, at, loop: indexLoop(n, at) };
}

/** Materialise when possible (elements with scalar leaves); otherwise keep the collection as it is. */
export function tryMaterialise(c: ExprCompiler, v: Value, e: Expr): Value {
  if (v.k !== 'coll' || v.cheap || v.pack) return v;
  try {
    return materialise(c, v, e, true);
  } catch (err) {
    if (err instanceof HepqError) return v;
    throw err;
  }
}

/** `Zip({'a': xs, 'b': ys})`: parallel collections as one collection of records. */
export function zipRecord(c: ExprCompiler, v: Value, e: Expr): CollValue {
  if (v.k !== 'record') return c.fail('Zip needs a dict or tuple of collections', e);
  const colls = v.values.map((x) =>
    x.k === 'coll' ? materialise(c, x, e) : c.fail('Zip needs collections', e),
  );
  const len = c.em.bind(colls[0]!.len(c.em), 'n');
  const at = (em: Emitter, q: string): Value => ({
    k: 'record',
    names: v.names,
    values: colls.map((x) => x.at(em, q)),
    ...(v.tuple ? { tuple: true } : {}),
  });
  return { k: 'coll', cheap: colls.every((x) => x.cheap), len: () => len, at, loop: indexLoop(len, at) };
}

/** Variables (declared in a slot before the loop) that receive an element's leaves inside it. */
export function capture(c: ExprCompiler, e: Expr) {
  const em = c.em;
  const decl = em.slot();
  const ind = em.indent();
  let vars: string[] | undefined;
  let template: Value | undefined;
  // Elements stored at several places (a Concat's parts) may rebuild differently: a combination of electrons
  // and one of muons keep the same indices into different collections. `site` says which place stored last.
  const templates: Value[] = [];
  let site: string | undefined;
  let firstSite: string[] = [];
  let firstInd = '';
  return {
    store(el: Value) {
      const leaves = leavesOf(el);
      if (!leaves) return c.fail('cannot keep this element (it is a whole collection)', e);
      if (!vars) {
        template = el;
        vars = leaves.map(() => em.fresh('v'));
        decl.push(`${ind}let ${vars.join(', ')};`);
      }
      if (leaves.length !== vars.length) return c.fail('the elements kept here differ in shape', e);
      templates.push(el);
      if (templates.length === 1) {
        firstSite = em.slot();
        firstInd = em.indent();
      }
      if (templates.length === 2) {
        site = em.fresh('site');
        decl.push(`${ind}let ${site} = 0;`);
        firstSite.push(`${firstInd}${site} = 0;`);
      }
      if (site) em.line(`${site} = ${templates.length - 1};`);
      for (let i = 0; i < leaves.length; i++) em.line(`${vars![i]} = ${leaves[i]};`);
    },
    /** After the scan: None (NaN leaves) when nothing was stored (`found` false). */
    orNone(found: string) {
      if (vars) em.line(`if (!${found}) { ${vars.map((v) => `${v} = NaN;`).join(' ')} }`);
    },
    value(): Value {
      if (!template) return c.fail('nothing to keep: the collection has no elements', e);
      let v = rebuild(template, vars!);
      for (let k = 1; k < templates.length; k++)
        v = chooseRebuilt(`(${site} === ${k})`, rebuild(templates[k]!, vars!), v);
      return v;
    },
  };
}

/**
 * `cond ? a : b` for two values rebuilt from the same leaves: they differ only in the collections their
 * combinations index (the leaves are the same variables), so only those become conditional.
 */
function chooseRebuilt(cond: string, a: Value, b: Value): Value {
  if (a.k === 'record' && b.k === 'record')
    return { ...a, values: a.values.map((x, i) => chooseRebuilt(cond, x, b.values[i]!)) };
  if (a.k !== 'coll' || b.k !== 'coll' || !a.len || !a.at || !b.at) return a;
  const [aAt, bAt, len] = [a.at, b.at, a.len];
  const at = (em: Emitter, q: string): Value => {
    const v = choose(cond, aAt(em, q), bAt(em, q));
    if (!v) throw new HepqError('exec/result-shape', 'the elements kept here differ in shape');
    return v;
  };
  return {
    k: 'coll',
    len,
    at,
    loop: (em, body) => indexLoop(em.bind(len(em), 'n'), at)(em, body),
    ...(a.pack && b.pack
      ? {
          pack: {
            leaves: a.pack.leaves,
            rebuild: (ls: readonly string[]) => chooseRebuilt(cond, a.pack!.rebuild(ls), b.pack!.rebuild(ls)),
          },
        }
      : {}),
  };
}
