/**
 * Four-vectors in translated SQL, as the compiled loop computes them (exec/compile/p4.ts): the formulas of
 * planner/ir/formulas.ts printed to SQL, their cos/sin/sinh/asinh/atan2/log as V8's (`hepq_js_<name>`, registered
 * in DuckDB: libm's differ in the last bit), polar components kept until Cartesian ones are needed.
 */
import { P4_FORMULAS as F, type Formula, printFormula } from '../../planner/ir/index.js';
import { type Names, type P4V, type RecordV, refuse, type Scalar, scalar } from './values.js';

const JS = new Set(['cos', 'sin', 'sinh', 'asinh', 'atan2', 'log']);

/** The formula with its transcendental functions as V8's. */
function withJs(f: Formula): Formula {
  switch (f.k) {
    case 'fn': {
      const args = f.args.map(withJs);
      if (!JS.has(f.fn)) return { ...f, args };
      return { k: 'code', code: `hepq_js_${f.fn}(${args.map((a) => printFormula(a, 'sql')).join(', ')})` };
    }
    case 'bin':
      return { ...f, a: withJs(f.a), b: withJs(f.b) };
    case 'neg':
      return { ...f, a: withJs(f.a) };
    case 'if':
      return { ...f, yes: withJs(f.yes), no: withJs(f.no) };
    default:
      return f;
  }
}
const sql = (f: Formula) => `(${printFormula(withJs(f), 'sql')})`;

/** `{'pt', 'eta', 'phi', 'mass'|'m'|'E'}.ToFourMomentum()` or `{'px', 'py', 'pz', 'E'}` (eta and mass default to 0). */
export function toP4(
  r: RecordV,
  at: { span?: { start: number; end: number } },
  hoist?: (sql: string) => string,
  names?: Names,
): P4V {
  const p = fourVector(r, at, hoist, names);
  // a record that may be None (NaN fields) gives a four-vector that may be
  return [...r.fields.values()].some((v) => v.k === 'scalar' && v.nan) ? { ...p, nan: true } : p;
}

function fourVector(
  r: RecordV,
  at: { span?: { start: number; end: number } },
  hoist?: (sql: string) => string,
  names?: Names,
): P4V {
  const field = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = r.fields.get(n);
      if (v === undefined) continue;
      if (v.k !== 'scalar' || v.t === 'bool') return refuse(`four-vector field ${n} must be a number`, at);
      return v.t === 'float' ? v.sql : `(${v.sql})::DOUBLE`;
    }
    return undefined;
  };
  const px = field('px', 'x');
  if (px !== undefined)
    return {
      k: 'p4',
      cart: {
        px,
        py: field('py', 'y') ?? '0',
        pz: field('pz', 'z') ?? '0',
        e: field('E', 'e', 'energy', 't') ?? '0',
      },
    };
  const pt = field('pt');
  const phi = field('phi');
  if (pt === undefined || phi === undefined) return refuse('ToFourMomentum needs pt and phi fields', at);
  const eta = field('eta') ?? '0';
  const energy = field('E', 'e', 'energy', 't');
  if (energy === undefined) {
    const polar = { pt, eta, phi, m: field('mass', 'm') ?? '0' };
    const once = hoist && names ? hoistedCartesian(r, hoist, names) : undefined;
    return once ? { k: 'p4', polar, cartOnce: once } : { k: 'p4', polar };
  }
  return {
    k: 'p4',
    cart: {
      px: sql(F.px(pt, phi)),
      py: sql(F.py(pt, phi)),
      pz: eta === '0' ? '0' : sql(F.pz(pt, eta)),
      e: energy,
    },
  };
}

/**
 * An item of a group (event columns, indexed): its Cartesian components as four per-event lists computed once
 * (each item's px, py, pz, E by the same formulas), indexed by the item — instead of the trigonometric functions
 * repeated wherever the expression needs them (a pair's mass needs each component several times).
 */
function hoistedCartesian(
  r: RecordV,
  hoist: (sql: string) => string,
  names: Names,
): (() => NonNullable<P4V['cart']>) | undefined {
  const item = r.item;
  if (!item) return undefined;
  const col = (f: string) => item.lists.get(f)?.sql;
  const [pt, phi, eta, m] = [col('pt'), col('phi'), col('eta'), col('mass') ?? col('m')];
  // only lists that are columns of the relation (not lambda-bound expressions) can be hoisted
  const plain = (s: string | undefined) => s === undefined || /^"[^"]+"$/.test(s);
  if (!pt || !phi || !plain(pt) || !plain(phi) || !plain(eta) || !plain(m)) return undefined;
  if (r.fields.has('E') || r.fields.has('e') || r.fields.has('energy') || r.fields.has('t')) return undefined;
  let done: NonNullable<P4V['cart']> | undefined;
  return () => {
    if (done) return done;
    // a fixed parameter name: the same item's lists from another ToFourMomentum() are the same text, hoisted once
    const k = 'hk';
    void names;
    const at = (l: string) => `${l}[${k}]`;
    const c = cartesian({
      k: 'p4',
      polar: { pt: at(pt), phi: at(phi), eta: eta ? at(eta) : '0', m: m ? at(m) : '0' },
    });
    const list = (x: string) => hoist(`list_transform(range(1, len(${pt}) + 1), lambda ${k}: ${x})`);
    const [px, py, pz, e] = [list(c.px), list(c.py), list(c.pz), list(c.e)];
    done = {
      px: `"${px}"[${item.index}]`,
      py: `"${py}"[${item.index}]`,
      pz: `"${pz}"[${item.index}]`,
      e: `"${e}"[${item.index}]`,
    };
    return done;
  };
}

/** The Cartesian components (computed from the polar ones, by the loop's formulas, where needed). */
export function p4Cartesian(p: P4V): NonNullable<P4V['cart']> {
  return cartesian(p);
}

function cartesian(p: P4V): NonNullable<P4V['cart']> {
  if (p.cart) return p.cart;
  if (p.cartOnce) return p.cartOnce();
  const { pt, eta, phi, m } = p.polar!;
  const px = sql(F.px(pt, phi));
  const py = sql(F.py(pt, phi));
  const pz = eta === '0' ? '0' : sql(F.pz(pt, eta));
  return { px, py, pz, e: sql(F.energy(px, py, pz, m)) };
}

export function p4Add(a: P4V, b: P4V, sign: '+' | '-'): P4V {
  const x = cartesian(a);
  const y = cartesian(b);
  const c = (u: string, v: string) => `(${u} ${sign} ${v})`;
  const cart = { px: c(x.px, y.px), py: c(x.py, y.py), pz: c(x.pz, y.pz), e: c(x.e, y.e) };
  return a.nan || b.nan ? { k: 'p4', cart, nan: true } : { k: 'p4', cart };
}

const ptOf = (p: P4V) => p.polar?.pt ?? sql(F.pt(p.cart!.px, p.cart!.py));
const phiOf = (p: P4V) => p.polar?.phi ?? sql(F.phi(p.cart!.px, p.cart!.py));
const etaOf = (p: P4V) => p.polar?.eta ?? sql(F.eta(p.cart!.pz, ptOf(p)));

/** A four-vector property (`p.pt`, `p.mass`, …); of a four-vector that may be None, one that may be NaN. */
export function p4Property(p: P4V, name: string, at: { span?: { start: number; end: number } }): Scalar {
  const v = property(p, name, at);
  return p.nan ? { ...v, nan: true } : v;
}

function property(p: P4V, name: string, at: { span?: { start: number; end: number } }): Scalar {
  // finite inputs give finite properties (square roots of sums of squares, the signed mass, atan2), except η
  // (asinh of pz/pt, ±inf at pt 0) and the rapidity (a log): only those may be NaN and get compared guarded
  const f = (s: string) => scalar(s, 'float');
  switch (name) {
    case 'pt':
      return f(ptOf(p));
    case 'eta':
      return scalar(etaOf(p), 'float', !p.polar);
    case 'phi':
      return f(phiOf(p));
    case 'mass':
    case 'm': {
      if (p.polar) return f(p.polar.m);
      const c = p.cart!;
      return f(sql(F.mass(sql(F.m2(c.e, c.px, c.py, c.pz)))));
    }
    case 'E':
    case 'e':
    case 'energy':
    case 't':
      return f(cartesian(p).e);
    case 'px':
    case 'x':
      return f(cartesian(p).px);
    case 'py':
    case 'y':
      return f(cartesian(p).py);
    case 'pz':
    case 'z':
      return f(cartesian(p).pz);
    case 'p': {
      const c = cartesian(p);
      return f(sql(F.p(c.px, c.py, c.pz)));
    }
    case 'rapidity': {
      const c = cartesian(p);
      return scalar(sql(F.rapidity(c.e, c.pz)), 'float', true);
    }
    case 'mt': {
      const c = cartesian(p);
      return f(sql(F.mt(c.e, c.pz)));
    }
    case 'Et': {
      const c = cartesian(p);
      return f(sql(F.Et(c.e, ptOf(p), sql(F.p(c.px, c.py, c.pz)))));
    }
    default:
      return refuse(`a four-vector has no property ${name}`, at);
  }
}

/** `a.deltaR(b)`, `a.deltaphi(b)`, `a.deltaeta(b)`. */
export function p4Method(
  a: P4V,
  name: string,
  b: P4V,
  at: { span?: { start: number; end: number } },
): Scalar | undefined {
  const v = method(a, name, b, at);
  return v && (a.nan || b.nan) ? { ...v, nan: true } : v;
}

function method(
  a: P4V,
  name: string,
  b: P4V,
  at: { span?: { start: number; end: number } },
): Scalar | undefined {
  const dphi = () => sql(F.wrapPhi(`(${phiOf(a)} - ${phiOf(b)})`));
  const deta = () => sql(F.difference(etaOf(a), etaOf(b)));
  switch (name) {
    case 'deltaR':
    case 'DeltaR':
      return scalar(sql(F.deltaR(deta(), dphi())), 'float', !(a.polar && b.polar));
    case 'deltaphi':
    case 'deltaPhi':
    case 'DeltaPhi':
      return scalar(dphi(), 'float');
    case 'deltaeta':
    case 'deltaEta':
      return scalar(deta(), 'float', !(a.polar && b.polar));
    // ΔR and Δφ of finite η and φ are finite; η may not be (see p4Property)
    default:
      return refuse(`a four-vector has no method ${name}`, at);
  }
}
